#!/usr/bin/env bash
# npm run bench:<name> for the benchmarks that measure the hub beside real peers (ingest, retrieve,
# routing): the same installs as the tests, then bench/<name>.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_npm
ensure_test_peers
ensure_temporal_cli
ensure_postgres
ensure_redis
$TSNODE "bench/$1.ts"

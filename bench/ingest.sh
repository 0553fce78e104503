#!/usr/bin/env bash
# npm run bench:ingest: same installs as the tests, then the side-by-side ingest benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_npm
ensure_test_peers
ensure_temporal_cli
ensure_postgres
ensure_redis
$TSNODE bench/ingest.ts

#!/usr/bin/env bash
# npm run bench:routing: same installs as the tests, then protocol routing beside a direct storescu to Orthanc.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_npm
ensure_test_peers
ensure_temporal_cli
ensure_postgres
ensure_redis
$TSNODE bench/routing.ts

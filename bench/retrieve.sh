#!/usr/bin/env bash
# npm run bench:retrieve: same installs as the tests, then retrieval beside Orthanc's DICOMweb plugin and C-MOVE.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
ensure_npm
ensure_test_peers
ensure_temporal_cli
ensure_postgres
ensure_redis
$TSNODE bench/retrieve.ts

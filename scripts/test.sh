#!/usr/bin/env bash
# npm test: installs what the suites need on a fresh machine (npm packages, the Temporal CLI and
# test server, dcmtk, Orthanc, the Python DICOMweb client in a venv), makes sure PostgreSQL and
# Redis run, then type-checks, lints (ESLint, Prettier, dependency-cruiser boundaries:
# scripts/lint.sh) and runs the unit and end-to-end suites against the real services.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_npm
ensure_test_peers
ensure_temporal_cli
ensure_temporal_test_server
ensure_python_peers
ensure_viewer
ensure_chromium
ensure_postgres
ensure_redis

mkdir -p data/test
log "type-checking"
npx tsc -p tsconfig.json --noEmit

status=0
log "lint, format and boundaries (scripts/lint.sh)"
bash scripts/lint.sh || { status=$?; log "lint failed (the suites run anyway; npm test fails at the end)"; }
log "unit tests"
npx jest --selectProjects unit --json --outputFile=data/test/unit.json "$@" || status=$?
log "end-to-end tests (real Temporal, PostgreSQL, Redis, dcmtk, Orthanc)"
# In band: the suites start real servers and share two cores.
npx jest --selectProjects e2e --runInBand --json --outputFile=data/test/e2e.json "$@" || status=$?

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of ["data/test/unit.json", "data/test/e2e.json"]) {
    if (!fs.existsSync(f)) { failed++; continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0); skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
'
exit $status

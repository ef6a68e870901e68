#!/usr/bin/env bash
# Start moto's server mode (a local AWS API mock) on 127.0.0.1 only, through e2e/moto_server.py:
# moto plus CloudWatch's CBOR protocol, the few operations moto lacks, and a call recorder.
#
# - Installs moto[server]==$LAB_MOTO_VERSION into a venv in the per-machine cache
#   if it is missing (PyPI is the only network it needs, and only the first time).
# - Starts moto_server in the background on 127.0.0.1:${LAB_MOTO_PORT:-4566},
#   waits until http://127.0.0.1:PORT/moto-api/ answers, writes its pid file.
# - Idempotent: if our moto is already running and answering, does nothing.
# - Prints the endpoint URL as the last line of stdout.
#
# Env knobs:
#   LAB_CACHE_DIR      cache root (default ~/.cache/vpc-flow-logs-lab)
#   LAB_MOTO_PORT      port (default 4566)
#   LAB_MOTO_VERSION   moto version (default 5.2.5)
#   LAB_MOTO_PIDFILE   pid file (default $LAB_CACHE_DIR/moto-$PORT.pid)
#   LAB_MOTO_LOG       log file (default $LAB_CACHE_DIR/moto-$PORT.log)
#   LAB_MOTO_TIMEOUT   seconds to wait for it to answer (default 60)
#   LAB_PYTHON         python used to create the venv (default python3)
#   LAB_MOTO_RECORD    file that every AWS call is recorded into, decoded, one JSON line each (default: none)
set -euo pipefail

HOST=127.0.0.1 # never bind anything else
CACHE_DIR="${LAB_CACHE_DIR:-$HOME/.cache/vpc-flow-logs-lab}"
PORT="${LAB_MOTO_PORT:-4566}"
MOTO_VERSION="${LAB_MOTO_VERSION:-5.2.5}"
VENV="$CACHE_DIR/moto-venv"
PIDFILE="${LAB_MOTO_PIDFILE:-$CACHE_DIR/moto-$PORT.pid}"
LOG="${LAB_MOTO_LOG:-$CACHE_DIR/moto-$PORT.log}"
TIMEOUT="${LAB_MOTO_TIMEOUT:-60}"
# LAB_MOTO_SSL=1: HTTPS with a self-signed certificate, so that TLS-only bucket policies
# (aws:SecureTransport) hold against the emulator as they do on AWS.
SCHEME=http
SSL_ARGS=()
if [[ "${LAB_MOTO_SSL:-0}" == 1 ]]; then SCHEME=https; SSL_ARGS=(--ssl); fi
URL="$SCHEME://$HOST:$PORT"

log() { echo "[start-moto] $*" >&2; }

mkdir -p "$CACHE_DIR"

# --- venv -------------------------------------------------------------------
installed_version() {
  [[ -x "$VENV/bin/python" ]] || return 1
  "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null
}
if [[ "$(installed_version || true)" != "$MOTO_VERSION" ]]; then
  exec 8>"$CACHE_DIR/.moto-venv.lock"
  command -v flock >/dev/null 2>&1 && flock 8
  if [[ "$(installed_version || true)" != "$MOTO_VERSION" ]]; then
    log "installing moto[server]==$MOTO_VERSION into $VENV"
    [[ -x "$VENV/bin/python" ]] || "${LAB_PYTHON:-python3}" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q "moto[server]==$MOTO_VERSION"
  fi
  exec 8>&-
fi

answers() {
  "$VENV/bin/python" - "$URL/moto-api/" <<'PY' >/dev/null 2>&1
import ssl, sys, urllib.request
context = ssl._create_unverified_context()  # moto's self-signed certificate
with urllib.request.urlopen(sys.argv[1], timeout=2, context=context) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

is_our_moto() { # pid
  [[ -n "$1" && -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'moto_server'
}

# --- already running? ---------------------------------------------------------
if [[ -f "$PIDFILE" ]]; then
  OLD_PID="$(cat "$PIDFILE" 2>/dev/null || true)"
  if is_our_moto "$OLD_PID" && answers; then
    log "moto already running (pid $OLD_PID) at $URL"
    echo "$URL"
    exit 0
  fi
  rm -f "$PIDFILE"
fi
if answers; then
  log "something else already answers on $URL (not started by this script); refusing"
  exit 1
fi

# --- start ----------------------------------------------------------------------
log "starting moto_server $MOTO_VERSION on $HOST:$PORT (log: $LOG)"
# nohup: keeps running after the calling shell exits.
nohup "$VENV/bin/python" "$(dirname "$0")/moto_server.py" -H "$HOST" -p "$PORT" "${SSL_ARGS[@]}" >"$LOG" 2>&1 </dev/null &
PID=$!
echo "$PID" >"$PIDFILE"

deadline=$((SECONDS + TIMEOUT))
until answers; do
  if ! kill -0 "$PID" 2>/dev/null; then
    log "moto_server exited early; last log lines:"
    tail -n 20 "$LOG" >&2 || true
    rm -f "$PIDFILE"
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    log "moto did not answer on $URL within ${TIMEOUT}s; stopping it"
    kill "$PID" 2>/dev/null || true
    rm -f "$PIDFILE"
    tail -n 20 "$LOG" >&2 || true
    exit 1
  fi
  sleep 0.3
done
log "moto up (pid $PID, pidfile $PIDFILE) at $URL"
echo "$URL"

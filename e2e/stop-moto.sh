#!/usr/bin/env bash
# Stop the moto_server started by e2e/start-moto.sh (by its pid file only).
# Idempotent: exits 0 if nothing is running.
set -euo pipefail

CACHE_DIR="${LAB_CACHE_DIR:-$HOME/.cache/vpc-flow-logs-lab}"
PORT="${LAB_MOTO_PORT:-4566}"
PIDFILE="${LAB_MOTO_PIDFILE:-$CACHE_DIR/moto-$PORT.pid}"

log() { echo "[stop-moto] $*" >&2; }

if [[ ! -f "$PIDFILE" ]]; then
  log "no pid file $PIDFILE; nothing to stop"
  exit 0
fi
PID="$(cat "$PIDFILE" 2>/dev/null || true)"

# Only signal the pid if it still is a moto_server (guards against pid reuse).
if [[ -n "$PID" && -r "/proc/$PID/cmdline" ]] && tr '\0' ' ' <"/proc/$PID/cmdline" | grep -q 'moto_server'; then
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$PID" 2>/dev/null; then
    log "pid $PID ignored SIGTERM; sending SIGKILL"
    kill -KILL "$PID" 2>/dev/null || true
  fi
  log "stopped moto (pid $PID)"
else
  log "pid ${PID:-?} from $PIDFILE is not a running moto_server; removing stale pid file"
fi
rm -f "$PIDFILE"

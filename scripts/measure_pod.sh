#!/usr/bin/env bash
# What one Headroom process needs, for the resource requests and limits of
# deploy/kubernetes/deployment.yaml: starts the release server on loopback as a pod would run it
# (default limits, but the per-client ones off, since wrk is one client), measures the time from
# exec to ready, then runs wrk with scripts/load.lua (pages, the API, the schema, gzip and br)
# and reports the server's RSS (idle, after, and the peak VmHWM) and its CPU (user + system
# time from /proc over the wall time of the run: cores used), and wrk's requests per second.
#
#   scripts/measure_pod.sh                          # 64 connections, 10 s, 127.0.0.1:3390
#   MEASURE_SECONDS=20 MEASURE_CONNECTIONS=16 scripts/measure_pod.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR=${MEASURE_ADDR:-127.0.0.1:3390}
SECONDS_UNDER_LOAD=${MEASURE_SECONDS:-10}
CONNECTIONS=${MEASURE_CONNECTIONS:-64}
BIN=${HEADROOM_BIN:-target/release/headroom}
SITE=${LEPTOS_SITE_ROOT:-target/site}
OUT=target/measure
mkdir -p "$OUT"

case "$ADDR" in 127.*:*) ;; *) echo "loopback only, not $ADDR" >&2; exit 2 ;; esac
[ "$SECONDS_UNDER_LOAD" -le 120 ] && [ "$CONNECTIONS" -le 512 ] \
  || { echo "bounded: at most 120 s and 512 connections" >&2; exit 2; }
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 2; }

TICKS=$(getconf CLK_TCK)
started=$(date +%s%N)
HEADROOM_RENDER_RATE=0 HEADROOM_MAX_PER_CLIENT=0 HEADROOM_MAX_CONNECTIONS_PER_CLIENT=0 \
  HEADROOM_API_RATE=0 LEPTOS_SITE_ROOT="$SITE" RUST_LOG=warn \
  "$BIN" serve --addr "$ADDR" >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
until curl -fsS -o /dev/null "http://$ADDR/readyz" 2>/dev/null; do
  [ $(( $(date +%s%N) - started )) -lt 15000000000 ] || { echo "not ready after 15 s" >&2; exit 1; }
  sleep 0.005
done
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))

status() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$PID/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }

sleep 1
rss_idle=$(status VmRSS)
cpu_before=$(cpu_ticks)
t0=$(date +%s%N)
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_UNDER_LOAD}s" --timeout 5s -s scripts/load.lua \
  "http://$ADDR" >"$OUT/wrk.txt"
t1=$(date +%s%N)
cpu_after=$(cpu_ticks)
rss_after=$(status VmRSS)
rss_peak=$(status VmHWM)

rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
cores=$(awk -v c=$((cpu_after - cpu_before)) -v hz="$TICKS" -v ns=$((t1 - t0)) \
  'BEGIN {printf "%.2f", c / hz / (ns / 1e9)}')
echo "ready:  ${ready_ms} ms from exec to /readyz 200"
echo "load:   wrk -t2 -c$CONNECTIONS -d${SECONDS_UNDER_LOAD}s -s scripts/load.lua: $rps requests/s"
per_core=$(awk -v r="$rps" -v c="$cores" 'BEGIN {printf "%.0f", r / c}')
echo "CPU:    $cores cores over the run ($(nproc) on this machine, shared with wrk): $per_core requests/s per core"
echo "RSS:    idle $((rss_idle / 1024)) MiB, after the run $((rss_after / 1024)) MiB, peak (VmHWM) $((rss_peak / 1024)) MiB"

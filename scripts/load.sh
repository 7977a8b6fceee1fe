#!/usr/bin/env bash
# Bounded load test on loopback: the release server under 256 connections for 60 s (wrk), the
# per-client limits off (API rate, uncached renders, requests in flight and connections per
# address: wrk is one client with 256 connections), as for any benchmark, and room for all 256
# in the render queue (a burst of 256 new pages at once would otherwise be partly shed, 503). Passes only with zero socket
# errors, zero non-2xx answers, one log line per request, and flat memory (RSS after the run
# within 25% + 16 MiB of RSS after the warm-up).
#
#   scripts/load.sh                     # 256 connections, 60 s, on 127.0.0.1:3300
#   LOAD_SECONDS=10 scripts/load.sh     # shorter
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR=${LOAD_ADDR:-127.0.0.1:3300}
CONNECTIONS=${LOAD_CONNECTIONS:-256}
SECONDS_UNDER_LOAD=${LOAD_SECONDS:-60}
THREADS=${LOAD_THREADS:-2}
BIN=target/release/headroom
OUT=target/load
mkdir -p "$OUT"

case "$ADDR" in
  127.*:*|localhost:*) ;;
  *) echo "load.sh targets loopback only, not $ADDR" >&2; exit 2 ;;
esac
[ "$CONNECTIONS" -le 1024 ] && [ "$SECONDS_UNDER_LOAD" -le 600 ] || {
  echo "load.sh is bounded: at most 1024 connections and 600 s" >&2; exit 2; }
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: make setup-wrk" >&2; exit 2; }

HEADROOM_API_RATE=0 HEADROOM_RENDER_RATE=0 HEADROOM_MAX_PER_CLIENT=0 \
  HEADROOM_MAX_CONNECTIONS_PER_CLIENT=0 HEADROOM_RENDER_QUEUE=512 HEADROOM_ADDR="$ADDR" LEPTOS_SITE_ROOT=target/site RUST_LOG=info \
  "$BIN" serve >"$OUT/server.log" 2>&1 &
PID=$!
SAMPLER=
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://$ADDR/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://$ADDR/readyz" >/dev/null

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }
log_lines() { grep -c ' request ' "$OUT/server.log" || true; }

RSS_START=$(rss_kib)
echo "warm-up: 5 s"
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s --timeout 5s -s scripts/load.lua "http://$ADDR" >"$OUT/warmup.txt"
RSS_BEFORE=$(rss_kib)
LINES_BEFORE=$(log_lines)

( while sleep 5; do echo "$(date +%s) $(rss_kib)"; done ) >"$OUT/rss.txt" &
SAMPLER=$!
echo "load: $CONNECTIONS connections, $THREADS threads, ${SECONDS_UNDER_LOAD} s on http://$ADDR"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_UNDER_LOAD}s" --timeout 5s --latency \
  -s scripts/load.lua "http://$ADDR" | tee "$OUT/wrk.txt"
kill "$SAMPLER" 2>/dev/null || true
SAMPLER=
sleep 0.5
RSS_AFTER=$(rss_kib)
LINES_AFTER=$(log_lines)

REQUESTS=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
RPS=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
P50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk.txt")
P99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk.txt")
SOCKET_ERRORS=$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' "$OUT/wrk.txt")
NON_2XX=$(awk '/Non-2xx/ {print $NF}' "$OUT/wrk.txt")
SOCKET_ERRORS=${SOCKET_ERRORS:-0}
NON_2XX=${NON_2XX:-0}
LOGGED=$((LINES_AFTER - LINES_BEFORE))
SERVER_5XX=$(grep -c 'status=5' "$OUT/server.log" || true)

echo
echo "requests:        $REQUESTS in ${SECONDS_UNDER_LOAD} s ($RPS/s)"
echo "latency:         p50 $P50, p99 $P99"
echo "errors:          socket $SOCKET_ERRORS, non-2xx $NON_2XX, 5xx logged $SERVER_5XX"
echo "log lines:       $LOGGED for $REQUESTS requests"
echo "RSS (KiB):       start $RSS_START, after warm-up $RSS_BEFORE, after load $RSS_AFTER"
echo "RSS samples:     $(awk '{printf "%s ", $2}' "$OUT/rss.txt")"

FAIL=0
[ "$SOCKET_ERRORS" -eq 0 ] || { echo "FAIL: socket errors"; FAIL=1; }
[ "$NON_2XX" -eq 0 ] || { echo "FAIL: non-2xx answers"; FAIL=1; }
[ "$SERVER_5XX" -eq 0 ] || { echo "FAIL: 5xx in the server log"; FAIL=1; }
[ "$REQUESTS" -gt 0 ] || { echo "FAIL: no requests"; FAIL=1; }
# wrk counts a request when its answer is complete; a connection cut at the end may be logged
# without being counted, so allow one per connection.
[ "$LOGGED" -ge "$REQUESTS" ] && [ "$LOGGED" -le $((REQUESTS + CONNECTIONS)) ] \
  || { echo "FAIL: $LOGGED log lines for $REQUESTS requests"; FAIL=1; }
LIMIT=$((RSS_BEFORE * 5 / 4 + 16384))
[ "$RSS_AFTER" -le "$LIMIT" ] || { echo "FAIL: RSS grew from $RSS_BEFORE to $RSS_AFTER KiB"; FAIL=1; }
[ "$FAIL" -eq 0 ] && echo "load test passed"
exit "$FAIL"

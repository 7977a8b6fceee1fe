#!/usr/bin/env bash
# `make bench`: every benchmark of issue 8 in one run, printed as tables and written into
# BENCHMARKS.md between its `bench:start` / `bench:end` markers.
#   1. core (criterion): Scenario -> Report, the query codec, each simulator at its default size;
#   2. server (wrk, loopback only, bounded): throughput and p50/p99 at 64 connections for a
#      trivial route, SSR, the API and a static asset, with and without compression, and the
#      server's memory idle and after two rounds of load; then SSR and the API once more with
#      the response cache off, so the cost of rendering itself stays in view;
#   3. client (headless Chromium): bundle sizes, time to hydrated, input to updated figures;
#   4. Lighthouse 12 in its default mobile mode (simulated slow 4G and a mid-range phone) on
#      every page of the app's page table, LIGHTHOUSE_RUNS each in a fresh Chromium, medians
#      (tools/lighthouse.mjs; about 15 s per run).
# Ratios matter more than absolute times on a shared 2-core machine: compare within one run.
#   BENCH_SECONDS=10 (per wrk run)   BENCH_RUNS=10 (browser runs)   BENCH_NO_WRITE=1 (print only)
#   LIGHTHOUSE_RUNS=3 (per page; 0 skips Lighthouse)   BENCH_ADDR=127.0.0.1:3400 (the server under test)
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR=${BENCH_ADDR:-127.0.0.1:3400}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
RUNS=${BENCH_RUNS:-10}
LIGHTHOUSE_RUNS=${LIGHTHOUSE_RUNS:-3}
OUT=target/bench
BIN=target/release/headroom
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 2; }
[ "$SECONDS_PER_RUN" -le 60 ] || { echo "BENCH_SECONDS is at most 60" >&2; exit 2; }
START=$(date +%s)

echo "== core (criterion)"
cargo bench -p headroom --bench core --bench simulators --bench simulators_lb -- \
  --warm-up-time 1 --measurement-time 3 --noplot 2>/dev/null | tee "$OUT/criterion.txt" \
  | grep -E "time:" || true

echo "== server (wrk, 64 connections, ${SECONDS_PER_RUN} s per run, on $ADDR)"
start_server() { # extra environment, e.g. HEADROOM_CACHE_ENTRIES=0
  env HEADROOM_API_RATE=0 HEADROOM_RENDER_RATE=0 HEADROOM_MAX_PER_CLIENT=0 HEADROOM_MAX_CONNECTIONS_PER_CLIENT=0 HEADROOM_RENDER_QUEUE=512 HEADROOM_ADDR="$ADDR" LEPTOS_SITE_ROOT=target/site RUST_LOG=info "$@" \
    "$BIN" serve >>"$OUT/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do curl -fsS "http://$ADDR/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
}
stop_server() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
: >"$OUT/server.log"
trap stop_server EXIT
start_server
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }

CHAPTER="dau=100M&writes=0.5&reads=10&peak=10&size=500"
CSS=$(cd target/site && ls pkg/*.css | head -1)
declare -A ROUTES=(
  [trivial]="/healthz"
  [ssr]="/capacity?$CHAPTER"
  [api]="/api/v1/report?$CHAPTER"
  [static]="/$CSS"
)
run_wrk() { # name path encoding round
  local name=$1 path=$2 enc=$3 round=$4 header=()
  [ "$enc" != identity ] && header=(-H "Accept-Encoding: $enc")
  wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" --timeout 5s --latency "${header[@]}" \
    "http://$ADDR$path" >"$OUT/wrk-$name-$enc-$round.txt"
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$name-$enc-$round.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$OUT/wrk-$name-$enc-$round.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/wrk-$name-$enc-$round.txt")
  echo "$round $name $enc $rps $p50 $p99" | tee -a "$OUT/server.txt"
}
: >"$OUT/server.txt"
echo "rss idle_kib $(rss_kib)" >"$OUT/memory.txt"
for round in 1 2; do
  for name in trivial ssr api static; do run_wrk "$name" "${ROUTES[$name]}" identity "$round"; done
  for name in ssr api; do run_wrk "$name" "${ROUTES[$name]}" gzip "$round"; run_wrk "$name" "${ROUTES[$name]}" br "$round"; done
  echo "rss after_round_${round}_kib $(rss_kib)" >>"$OUT/memory.txt"
done
cat "$OUT/memory.txt"

echo "== client (Chromium)"
node tools/sizes.mjs --html "http://$ADDR/capacity" --json "$OUT/sizes.json" | tail -3
node tools/bench-client.mjs "http://$ADDR" --runs "$RUNS" --json "$OUT/client.json" >/dev/null

rm -f "$OUT/lighthouse.json"
if [ "$LIGHTHOUSE_RUNS" -gt 0 ]; then
  echo "== Lighthouse (mobile, ${LIGHTHOUSE_RUNS} runs per page, median)"
  CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} \
    node tools/lighthouse.mjs "http://$ADDR" --runs "$LIGHTHOUSE_RUNS" --json "$OUT/lighthouse.json"
fi

echo "== server with the response cache off (every request rendered)"
stop_server
start_server HEADROOM_CACHE_ENTRIES=0
for name in ssr api; do run_wrk "$name-uncached" "${ROUTES[$name]}" identity 1; done

END=$(date +%s)
python3 tools/bench_report.py "$OUT" "$((END - START))" ${BENCH_NO_WRITE:+--no-write}

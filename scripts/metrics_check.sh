#!/usr/bin/env bash
# /metrics after traffic, as an operator's Prometheus sees it: starts the release server with
# --metrics-addr on loopback, sends a short wrk run of scripts/load.lua (pages, the API, the
# schema), a burst of API requests past the rate limit and a few made-up paths, then scrapes,
# checks the scrape with `promtool check metrics` (Debian's prometheus package), and checks that
# the counts add up: every request wrk saw answered is counted, the rate limit's 429s are
# counted, and no path as sent became a label value. Prints the key lines (BENCHMARKS.md shows
# them).
#
#   scripts/metrics_check.sh                  # 5 s of wrk, 32 connections
#   METRICS_LOAD_SECONDS=15 scripts/metrics_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR=${METRICS_CHECK_ADDR:-127.0.0.1:3974}
METRICS_ADDR=${METRICS_CHECK_METRICS_ADDR:-127.0.0.1:3975}
LOAD_SECONDS=${METRICS_LOAD_SECONDS:-5}
BIN=${HEADROOM_BIN:-target/release/headroom}
OUT=target/metrics-check
mkdir -p "$OUT"

[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: make setup-wrk" >&2; exit 2; }
command -v promtool >/dev/null || { echo "promtool is missing: make setup-prometheus" >&2; exit 2; }
[ "$LOAD_SECONDS" -le 120 ] || { echo "metrics_check.sh is bounded: at most 120 s" >&2; exit 2; }

# Default limits, so the API's rate limit answers 429 to one client's burst.
LEPTOS_SITE_ROOT=target/site RUST_LOG=warn timeout 300 \
  "$BIN" serve --addr "$ADDR" --metrics-addr "$METRICS_ADDR" >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://$ADDR/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://$ADDR/readyz" >/dev/null

# Not on the public listener.
public=$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/metrics")
[ "$public" = 404 ] || { echo "FAIL: /metrics on the public listener answered $public" >&2; exit 1; }

wrk -t2 -c32 -d"${LOAD_SECONDS}s" --timeout 5s -s scripts/load.lua "http://$ADDR" >"$OUT/wrk.txt"
# 200 API requests at once from one address: past the burst of 120.
codes=$(seq 1 200 | xargs -P 16 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
  "http://$ADDR/api/v1/report?dau={}M")
limited=$(grep -c '^429$' <<<"$codes" || true)
for i in $(seq 1 10); do curl -s -o /dev/null "http://$ADDR/scan-$i/wp-login.php?x=$i"; done

curl -fsS -D "$OUT/headers.txt" "http://$METRICS_ADDR/metrics" >"$OUT/scrape.txt"
promtool check metrics <"$OUT/scrape.txt"
grep -qi '^cache-control: no-store' "$OUT/headers.txt" || { echo "FAIL: the scrape may be cached" >&2; exit 1; }

sum() { awk -v re="$1" '$0 ~ re {s += $NF} END {printf "%d", s}' "$OUT/scrape.txt"; }
wrk_requests=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
counted=$(sum '^headroom_http_requests_total')
api_rate_limited=$(sum '^headroom_rate_limited_total\\{limit="api_rate"\\}')
rate_limited=$(sum '^headroom_rate_limited_total')
status_429=$(sum '^headroom_http_requests_total\\{.*status="429"')
shed=$(sum '^headroom_load_shed_total')
status_503=$(sum '^headroom_http_requests_total\\{.*status="503"')
fail=0
# Every request wrk saw answered, the burst, the scans and the public /metrics (and readiness
# polls) are counted.
[ "$counted" -ge $((wrk_requests + 200 + 10 + 1)) ] \
  || { echo "FAIL: $counted requests counted, wrk alone completed $wrk_requests" >&2; fail=1; }
# wrk is one client too, so its API requests meet the same limit: at least curl's 429s.
[ "$limited" -gt 0 ] || { echo "FAIL: the burst was never rate-limited" >&2; fail=1; }
[ "$api_rate_limited" -ge "$limited" ] \
  || { echo "FAIL: curl saw $limited 429s, the scrape counts $api_rate_limited" >&2; fail=1; }
# Every 429 here is a rate limit's and every 503 a shed, and each is counted as both.
[ "$status_429" = "$rate_limited" ] \
  || { echo "FAIL: $status_429 answers were 429, $rate_limited counted as rate-limited" >&2; fail=1; }
[ "$status_503" = "$shed" ] \
  || { echo "FAIL: $status_503 answers were 503, $shed counted as shed" >&2; fail=1; }
if grep -q 'scan-\|wp-login' "$OUT/scrape.txt"; then
  echo "FAIL: a path as sent became a label value" >&2; fail=1
fi

echo "metrics: promtool check metrics passed; $counted requests counted (wrk: $wrk_requests," \
  "then 200 API requests from curl, $limited of them refused 429, and 10 made-up paths);" \
  "$status_429 answers 429 = $rate_limited rate-limited; $status_503 answers 503 = $shed shed"
grep -E '^headroom_http_requests_total\{method="GET",route="(/api/v1/report|/capacity|fallback)"' "$OUT/scrape.txt" || true
grep -E '^headroom_(rate_limited_total|load_shed_total|cache_(hits|misses)_total|cache_bytes|cache_entries|http_requests_in_flight|build_info)' "$OUT/scrape.txt" || true
grep -E '^headroom_http_request_duration_seconds_(bucket\{route="/api/v1/report",le="(0.001|0.0025)"|count\{route="/api/v1/report")' "$OUT/scrape.txt" || true
exit "$fail"

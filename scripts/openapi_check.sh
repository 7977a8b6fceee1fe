#!/usr/bin/env bash
# The API against its own OpenAPI document, on loopback: starts the release server, validates
# the served /api/v1/openapi.json with openapi-spec-validator, then lets schemathesis send
# property-based requests derived from it to every operation, checking that none answers a 5xx
# and that every answer has a documented status, media type and schema. Both are PyPI packages
# pinned in tools/openapi-check.txt (`make setup-openapi-check`, into .venv-openapi/).
#
# Bounded: OPENAPI_EXAMPLES requests per operation (50; 14 operations: about 560 requests in
# 15 s, measured), the examples and fuzzing
# phases only (the coverage phase sends every boundary of each of ~70 query keys, thousands of
# requests), and a hard timeout of OPENAPI_TIMEOUT seconds (150) for the whole run. The server's
# API rate limit is off (`--api-rate 0`) so that the examples reach the handlers instead of the
# 429 the limiter would answer after its burst of 120; scripts/abuse.py tests the limiter.
#
#   scripts/openapi_check.sh
#   OPENAPI_EXAMPLES=100 OPENAPI_TIMEOUT=600 scripts/openapi_check.sh   # a longer hunt
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR=${OPENAPI_CHECK_ADDR:-127.0.0.1:3976}
EXAMPLES=${OPENAPI_EXAMPLES:-50}
TIMEOUT=${OPENAPI_TIMEOUT:-150}
SEED=${OPENAPI_SEED:-17}
BIN=${HEADROOM_BIN:-target/release/headroom}
SITE=${HEADROOM_SITE_ROOT:-target/site}
VENV=${OPENAPI_VENV:-.venv-openapi}
OUT=target/openapi-check
mkdir -p "$OUT"

[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 2; }
[ -x "$VENV/bin/st" ] && [ -x "$VENV/bin/openapi-spec-validator" ] \
  || { echo "schemathesis is missing: make setup-openapi-check" >&2; exit 2; }

LEPTOS_SITE_ROOT=$SITE RUST_LOG=warn timeout $((TIMEOUT + 60)) \
  "$BIN" serve --addr "$ADDR" --api-rate 0 >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://$ADDR/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://$ADDR/api/v1/openapi.json" >"$OUT/openapi.json"

"$VENV/bin/openapi-spec-validator" "$OUT/openapi.json"

started=$(date +%s)
# No telemetry or report upload: schemathesis 4 sends nothing but the requests under test.
timeout "$TIMEOUT" "$VENV/bin/st" run "$OUT/openapi.json" --url "http://$ADDR" \
  --phases examples,fuzzing \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" --seed "$SEED" --request-timeout 30 \
  --suppress-health-check too_slow,filter_too_much,data_too_large \
  --no-color 2>&1 | tee "$OUT/schemathesis.log" | tail -25
status=${PIPESTATUS[0]}
echo "schemathesis: exit $status in $(($(date +%s) - started)) s (log: $OUT/schemathesis.log)"
if grep -q ' panicked' "$OUT/server.log"; then
  echo "FAIL: the server panicked (see $OUT/server.log)" >&2
  exit 1
fi
exit "$status"

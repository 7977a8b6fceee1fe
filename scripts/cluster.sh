#!/usr/bin/env bash
# Headroom as a small service on loopback: REPLICAS `headroom serve` processes behind one nginx
# (Debian's package), all run as the calling user with their pid files and logs under
# CLUSTER_DIR. nginx's configuration is rendered from deploy/nginx/headroom.conf.template, which
# says what it does and why.
#
#   scripts/cluster.sh run        # start, stay in the foreground, stop everything on Ctrl-C or
#                                 # SIGTERM (`make cluster`; Playwright's webServer)
#   scripts/cluster.sh start      # start and return (scripts/cluster_check.py)
#   scripts/cluster.sh stop       # stop what `start` left running (`make cluster-stop`)
#   scripts/cluster.sh replica N  # (re)start replica N (1-based), once it is gone
#   scripts/cluster.sh status
#
# Settings (environment):
#   CLUSTER_ADDR       nginx's address                         127.0.0.1:3080
#   CLUSTER_PORTS      the replicas' ports, space separated    the 3 ports after CLUSTER_ADDR's
#   CLUSTER_DIR        pid files, logs, nginx's prefix         target/cluster
#   CLUSTER_API_RATE   the API's global rate limit, per client address per second; 0 turns the
#                      limit off (load checks)                HEADROOM_API_RATE, else 60
#   CLUSTER_API_BURST  its burst                               HEADROOM_API_BURST, else 120
#   CLUSTER_FAIL_TIMEOUT  how long nginx leaves a failed replica alone   2s
#   HEADROOM_BIN, LEPTOS_SITE_ROOT  the binary and the site    target/release/headroom, target/site
# Other HEADROOM_* variables reach every replica as they are (e.g. HEADROOM_RENDER_RATE=0).
set -euo pipefail
cd "$(dirname "$0")/.."

ADDR=${CLUSTER_ADDR:-127.0.0.1:3080}
HOST=${ADDR%:*}
PORT=${ADDR##*:}
PORTS=${CLUSTER_PORTS:-"$((PORT + 1)) $((PORT + 2)) $((PORT + 3))"}
read -r -a REPLICA_PORTS <<<"$PORTS"
REPLICAS=${#REPLICA_PORTS[@]}
DIR=${CLUSTER_DIR:-target/cluster}
API_RATE=${CLUSTER_API_RATE:-${HEADROOM_API_RATE:-60}}
API_BURST=${CLUSTER_API_BURST:-${HEADROOM_API_BURST:-120}}
FAIL_TIMEOUT=${CLUSTER_FAIL_TIMEOUT:-2s}
BIN=${HEADROOM_BIN:-target/release/headroom}
SITE=${LEPTOS_SITE_ROOT:-target/site}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
TEMPLATE=deploy/nginx/headroom.conf.template
# The replicas' --shutdown-grace (their default) and one more second for the drain before it
# (server/src/serve.rs, DRAIN_KEEP_ALIVE): how long `stop` waits before SIGKILL.
GRACE_S=11

case "$HOST" in
  127.*|localhost) ;;
  *) echo "cluster.sh listens on loopback only, not $HOST" >&2; exit 2 ;;
esac
[ "$REPLICAS" -ge 1 ] && [ "$REPLICAS" -le 16 ] || { echo "1-16 replicas, not $REPLICAS" >&2; exit 2; }

NGINX_DIR="$DIR/nginx"

replica_pid_file() { echo "$DIR/replica-$1.pid"; }
# Running, and not a zombie: a process that `start` left behind is reaped by init, which may
# take its time.
running() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
alive() { [ -f "$1" ] && running "$(cat "$1")"; }

wait_ready() { # URL, what
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$2 is not ready after 15 s ($1)" >&2
  return 1
}

start_replica() { # N (1-based)
  local n=$1 port=${REPLICA_PORTS[$(($1 - 1))]}
  local pid_file
  pid_file=$(replica_pid_file "$n")
  if alive "$pid_file"; then
    echo "replica $n is already running (pid $(cat "$pid_file"))" >&2
    return 0
  fi
  # A port something else already answers on would take this replica's share of the traffic
  # (an older build, whose assets 404): refuse rather than wait for that one to look ready.
  if curl -fsS -o /dev/null --max-time 1 "http://$HOST:$port/healthz" 2>/dev/null; then
    echo "replica $n: $HOST:$port already answers; stop what runs there first" >&2
    return 1
  fi
  # --client-ip-header: nginx connects from loopback for everyone, so each replica keys its
  # per-client limits (API rate, renders, requests in flight) and its log's `client` on the
  # X-Real-IP that nginx sets (and overwrites if a client sent one).
  # --max-connections-per-client 0: every connection comes from nginx; nginx holds that limit
  # per client (limit_conn in the template).
  # --api-rate/--api-burst: the global limit again, as a backstop for anyone reaching a replica
  # without nginx; behind nginx, which lets a client through at the global rate in all, a
  # replica sees about 1/REPLICAS of it and never refuses.
  HEADROOM_ADDR="$HOST:$port" LEPTOS_SITE_ROOT="$SITE" NO_COLOR=1 RUST_LOG=${RUST_LOG:-info} \
    "$BIN" serve --client-ip-header X-Real-IP --max-connections-per-client 0 \
    --api-rate "$API_RATE" --api-burst "$API_BURST" \
    >"$DIR/replica-$n.log" 2>&1 &
  echo $! >"$pid_file"
  wait_ready "http://$HOST:$port/readyz" "replica $n"
}

render_config() {
  # shellcheck disable=SC2016 # nginx's variable, not the shell's
  local servers="" key='$binary_remote_addr' rate=$API_RATE port
  for port in "${REPLICA_PORTS[@]}"; do
    servers+="        server $HOST:$port max_fails=1 fail_timeout=$FAIL_TIMEOUT;"$'\n'
  done
  # An empty key counts nothing: the limit is off. nginx wants a positive rate even then.
  if [ "$API_RATE" = 0 ]; then key='""'; rate=1; fi
  mkdir -p "$NGINX_DIR/logs" "$NGINX_DIR/tmp"
  awk -v servers="${servers%$'\n'}" -v key="$key" -v rate="$rate" -v burst="$API_BURST" \
      -v excess="$((API_BURST - 1))" -v listen="$ADDR" -v replicas="$REPLICAS" \
      -v fail_timeout="$FAIL_TIMEOUT" -v workers="${CLUSTER_NGINX_WORKERS:-auto}" '
    $0 == "@UPSTREAM_SERVERS@" { print servers; next }
    {
      gsub(/@API_LIMIT_KEY@/, key); gsub(/@API_RATE@/, rate); gsub(/@API_BURST_EXCESS@/, excess)
      gsub(/@API_BURST@/, burst); gsub(/@LISTEN@/, listen); gsub(/@REPLICAS@/, replicas)
      gsub(/@FAIL_TIMEOUT@/, fail_timeout); gsub(/@WORKERS@/, workers)
      print
    }' "$TEMPLATE" >"$NGINX_DIR/nginx.conf"
  if grep -n '@[A-Z_]*@' "$NGINX_DIR/nginx.conf"; then
    echo "placeholders left in $NGINX_DIR/nginx.conf" >&2
    exit 1
  fi
}

start_nginx() {
  render_config
  # -e: the error log before the configuration is read (Debian's is stderr; be sure).
  "$NGINX" -q -t -p "$NGINX_DIR" -c nginx.conf -e logs/error.log
  "$NGINX" -p "$NGINX_DIR" -c nginx.conf -e logs/error.log >>"$NGINX_DIR/logs/stdout.log" 2>&1 &
  echo $! >"$DIR/nginx.pid"
  wait_ready "http://$ADDR/readyz" "nginx"
}

stop_pid() { # pid file, name, seconds before SIGKILL, signal
  local pid_file=$1 name=$2 seconds=$3 signal=${4:-TERM} pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  if kill -"$signal" "$pid" 2>/dev/null; then
    for _ in $(seq 1 $((seconds * 10))); do
      running "$pid" || break
      sleep 0.1
    done
    if running "$pid"; then
      echo "$name (pid $pid) still running after $seconds s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pid_file"
}

stop_all() {
  # nginx first, so that no request reaches a replica that is going away; SIGQUIT is its
  # graceful shutdown (requests in flight finish), SIGTERM would cut them.
  stop_pid "$DIR/nginx.pid" nginx 5 QUIT
  local n
  for n in $(seq 1 "$REPLICAS"); do
    stop_pid "$(replica_pid_file "$n")" "replica $n" "$GRACE_S" &
  done
  wait
}

start_all() {
  [ -x "$BIN" ] || { echo "build first: make build" >&2; exit 2; }
  [ -x "$NGINX" ] || { echo "nginx is missing: make setup-nginx" >&2; exit 2; }
  if alive "$DIR/nginx.pid"; then
    echo "a cluster is already running from $DIR: scripts/cluster.sh stop" >&2
    exit 1
  fi
  mkdir -p "$DIR"
  local n
  for n in $(seq 1 "$REPLICAS"); do start_replica "$n"; done
  start_nginx
  local limit="API limit ${API_RATE}/s, burst $API_BURST, per client across all replicas"
  [ "$API_RATE" = 0 ] && limit="API limit off"
  echo "Headroom behind nginx: http://$ADDR ($REPLICAS replicas on $HOST:${PORTS// /, };" \
    "$limit; logs in $DIR)"
}

case "${1:-}" in
  run)
    trap 'trap - EXIT; stop_all; exit 0' INT TERM
    trap 'stop_all' EXIT
    start_all
    # Wait for a signal; if nginx dies on its own, stop the rest and say so.
    while alive "$DIR/nginx.pid"; do sleep 1; done
    echo "nginx exited; stopping the replicas" >&2
    exit 1
    ;;
  start)
    # Whatever fails half-way, leave nothing running.
    trap 'stop_all' EXIT
    start_all
    trap - EXIT
    ;;
  stop) stop_all ;;
  replica)
    n=${2:?replica number}
    [ "$n" -ge 1 ] && [ "$n" -le "$REPLICAS" ] || { echo "replica 1-$REPLICAS, not $n" >&2; exit 2; }
    start_replica "$n"
    ;;
  status)
    for n in $(seq 1 "$REPLICAS"); do
      f=$(replica_pid_file "$n")
      if alive "$f"; then echo "replica $n: pid $(cat "$f"), $HOST:${REPLICA_PORTS[$((n - 1))]}"
      else echo "replica $n: down"; fi
    done
    if alive "$DIR/nginx.pid"; then echo "nginx: pid $(cat "$DIR/nginx.pid"), $ADDR"; else echo "nginx: down"; fi
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 2
    ;;
esac

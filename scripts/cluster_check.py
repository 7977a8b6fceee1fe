#!/usr/bin/env python3
"""Headroom behind nginx (scripts/cluster.sh), checked on loopback, each part bounded.

  failover    wrk through nginx (64 connections, --seconds, pages, API GETs and POSTs); one
              replica is killed (SIGKILL) a third of the way in and started again at two thirds.
              Passes only with zero socket errors and zero non-2xx answers at the client, no 5xx
              in nginx's log, and requests answered by the restarted replica.
  ratelimit   one client sends API requests through nginx as fast as it can: it gets the global
              limit (burst + rate x seconds), not REPLICAS times it; another client is not
              refused meanwhile; nginx's 429 is JSON with Retry-After. For contrast, the same
              client spread directly over the replicas gets about REPLICAS times as many.
  client-ip   a request from 127.0.0.2 that claims another address in X-Real-IP and
              X-Forwarded-For is logged by its replica as from 127.0.0.2: nginx overwrites the
              header and the replica reads it (--client-ip-header).
  any-replica a report exported from replica 1 and imported on replicas 2 and 3 (and through
              nginx) comes back byte for byte, apart from generated_at; a shared link shows the
              same figures on every replica. Nothing a user needs is kept per process.

    scripts/cluster_check.py                   # all of it, about 20 s
    scripts/cluster_check.py ratelimit         # some of it
    scripts/cluster_check.py --seconds 30      # a longer failover run
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLUSTER = os.path.join(ROOT, "scripts", "cluster.sh")
OUT = os.path.join(ROOT, "target", "cluster-check")
HOST = "127.0.0.1"
API_RATE, API_BURST = 60, 120  # the replicas' defaults, held globally by nginx

failures = []


def check(ok, message):
    print(("  ok    " if ok else "  FAIL  ") + message, flush=True)
    if not ok:
        failures.append(message)


class Cluster:
    """scripts/cluster.sh start/stop with its own directory and ports."""

    def __init__(self, name, port, env):
        self.dir = os.path.join(OUT, name)
        self.port = port
        self.replica_ports = [port + 1, port + 2, port + 3]
        self.env = dict(os.environ)
        self.env.update(env)
        self.env.update(
            CLUSTER_ADDR=f"{HOST}:{port}",
            CLUSTER_PORTS=" ".join(map(str, self.replica_ports)),
            CLUSTER_DIR=self.dir,
        )

    def run(self, *args):
        subprocess.run([CLUSTER, *args], cwd=ROOT, env=self.env, check=True, timeout=60)

    def __enter__(self):
        subprocess.run(["rm", "-rf", self.dir], check=True)
        self.run("start")
        return self

    def __exit__(self, *_):
        self.run("stop")

    def log(self, n):
        with open(os.path.join(self.dir, f"replica-{n}.log"), encoding="utf-8") as f:
            return f.read()

    def access_log(self):
        # nginx flushes its buffered access log every second, and when it stops.
        with open(os.path.join(self.dir, "nginx", "logs", "access.log"), encoding="utf-8") as f:
            return f.read()

    def pid(self, n):
        with open(os.path.join(self.dir, f"replica-{n}.pid"), encoding="utf-8") as f:
            return int(f.read())


def request(port, method, path, source=HOST, body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wrk_summary(text):
    summary = {"requests": 0, "socket_errors": 0, "non_2xx": 0, "rps": "?"}
    if m := re.search(r"(\d+) requests in", text):
        summary["requests"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
        summary["socket_errors"] = sum(int(g) for g in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", text):
        summary["non_2xx"] = int(m.group(1))
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        summary["rps"] = m.group(1)
    return summary


def failover(port, seconds):
    print(f"failover: wrk through nginx for {seconds} s; replica 2 killed at {seconds / 3:.0f} s, "
          f"started again at {2 * seconds / 3:.0f} s")
    # As scripts/load.sh: wrk is one client with 64 connections, so the per-client limits are
    # off (the API's global one in nginx too); the render queue takes a burst of all 64.
    limits_off = dict(CLUSTER_API_RATE="0", HEADROOM_RENDER_RATE="0", HEADROOM_MAX_PER_CLIENT="0",
                      HEADROOM_RENDER_QUEUE="512")
    with Cluster("failover", port, limits_off) as cluster:
        killed_port = cluster.replica_ports[1]
        wrk = subprocess.Popen(
            ["wrk", "-t2", "-c64", f"-d{seconds}s", "--timeout", "5s",
             "-s", os.path.join(ROOT, "scripts", "cluster.lua"), f"http://{HOST}:{port}"],
            stdout=subprocess.PIPE, text=True)
        try:
            time.sleep(seconds / 3)
            os.kill(cluster.pid(2), signal.SIGKILL)
            killed_at = time.monotonic()
            time.sleep(seconds / 3)
            started = time.monotonic()
            cluster.run("replica", "2")
            print(f"  replica 2 killed, then ready again {time.monotonic() - started:.2f} s after "
                  f"its start ({time.monotonic() - killed_at:.1f} s down)")
            output, _ = wrk.communicate(timeout=seconds + 30)
        finally:
            if wrk.poll() is None:
                wrk.kill()
        with open(os.path.join(OUT, "failover-wrk.txt"), "w", encoding="utf-8") as f:
            f.write(output)
        summary = wrk_summary(output)
        served_again = cluster.log(2).count(" request ")
    access = cluster.access_log()  # complete once nginx has stopped
    lines = access.splitlines()
    retried = [l for l in lines if re.search(r"upstream=\S+, ", l)]
    server_errors = [l for l in lines if re.search(r'" 5\d\d ', l)]
    print(f"  wrk: {summary['requests']} requests ({summary['rps']}/s), socket errors "
          f"{summary['socket_errors']}, non-2xx {summary['non_2xx']}; nginx: {len(lines)} "
          f"requests logged, {len(retried)} retried on another replica, {len(server_errors)} 5xx")
    check(summary["requests"] > 0, "wrk completed requests through nginx")
    check(summary["socket_errors"] == 0, "no socket error at the client")
    check(summary["non_2xx"] == 0, "no non-2xx answer at the client")
    check(not server_errors, "no 5xx in nginx's log" + (f": {server_errors[:3]}" if server_errors else ""))
    check(served_again > 0, f"the restarted replica (:{killed_port}) served {served_again} requests")


def hammer(ports, seconds, source, path, threads=8):
    """Sends GET path as fast as `threads` keep-alive connections allow, round robin over
    `ports`, for `seconds`; returns the count of each status."""
    counts = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(i):
        conns = {}
        local = {}
        n = i
        while time.monotonic() < deadline:
            port = ports[n % len(ports)]
            n += 1
            conn = conns.get(port)
            if conn is None:
                conn = conns[port] = http.client.HTTPConnection(
                    HOST, port, timeout=10, source_address=(source, 0))
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                local[response.status] = local.get(response.status, 0) + 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conns.pop(port)
            except (OSError, http.client.HTTPException):
                local["error"] = local.get("error", 0) + 1
                conn.close()
                conns.pop(port, None)
        for conn in conns.values():
            conn.close()
        with lock:
            for status, count in local.items():
                counts[status] = counts.get(status, 0) + count

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    return counts


def ratelimit_and_more(port, seconds, parts):
    with Cluster("ratelimit", port, {}) as cluster:
        if "ratelimit" in parts:
            ratelimit(cluster, seconds)
        if "client-ip" in parts:
            client_ip(cluster)
        if "any-replica" in parts:
            any_replica(cluster)


def ratelimit(cluster, seconds):
    # One URL, so every 200 is a cached report and the client is fast enough to pass the limit
    # several times over.
    path = "/api/v1/report?v=2&dau=7M"
    allowed_global = API_BURST + API_RATE * seconds
    print(f"ratelimit: one client, {seconds} s as fast as it can; the global limit lets "
          f"{API_BURST} + {API_RATE}/s x {seconds} s = {allowed_global} through")
    through = hammer([cluster.port], seconds, "127.0.0.1", path)
    ok_through = through.get(200, 0)
    other = request(cluster.port, "GET", path, source="127.0.0.2")
    limited = request(cluster.port, "GET", path, source="127.0.0.1")
    # Straight to the replicas from another address: what the replicas' own limits allow.
    direct = hammer(cluster.replica_ports, seconds, "127.0.0.3", path)
    ok_direct = direct.get(200, 0)
    print(f"  through nginx: {through}; spread over the {len(cluster.replica_ports)} replicas "
          f"without it: {direct}")
    check(through.get("error", 0) == 0, "no connection error through nginx")
    check(through.get(429, 0) > ok_through, "the client sent well past the limit")
    check(0.85 * allowed_global <= ok_through <= 1.15 * allowed_global + 2,
          f"{ok_through} answered 200 through nginx, the global {allowed_global} ± 15%")
    check(ok_through < 1.5 * allowed_global,
          f"not {len(cluster.replica_ports)}x: {ok_through} < 1.5 x {allowed_global}")
    check(ok_direct > 2.5 * allowed_global,
          f"contrast: the replicas alone let {ok_direct} through (≈ {len(cluster.replica_ports)} x "
          f"{allowed_global}), which is why nginx holds the limit")
    check(other[0] == 200, f"another client is answered meanwhile ({other[0]})")
    status, headers, body = limited
    try:
        message = json.loads(body)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = None
    check(status == 429 and headers.get("Retry-After") == "1" and message is not None,
          f"nginx's 429 is JSON with Retry-After: {status}, {headers.get('Retry-After')}, {message!r}")
    check(not any(k.lower().startswith("x-ratelimit") for k in headers),
          "no replica's X-RateLimit-* through nginx")


def client_ip(cluster):
    print("client-ip: from 127.0.0.2, claiming 203.0.113.7 and 203.0.113.8")
    marker = f"/cluster-check-client-ip-{os.getpid()}"
    status, _, _ = request(cluster.port, "GET", marker, source="127.0.0.2",
                           headers={"X-Real-IP": "203.0.113.7", "X-Forwarded-For": "203.0.113.8"})
    lines = []
    for _ in range(20):
        lines = [l for n in (1, 2, 3) for l in cluster.log(n).splitlines() if marker in l]
        if lines:
            break
        time.sleep(0.05)
    print(f"  {status}; replica log: {lines[0].strip() if lines else 'no line'}")
    check(len(lines) == 1 and 'client="127.0.0.2"' in lines[0],
          "the replica logs the client nginx saw, not nginx and not what the client claimed")


def any_replica(cluster):
    print("any-replica: export on replica 1, import on replicas 2 and 3 and through nginx")
    query = "v=2&dau=20M&peak=4&growth=5%25"
    source = "127.0.0.4"  # an address of its own: the rate limit check spent 127.0.0.1's budget
    r1, r2, r3 = cluster.replica_ports
    status, _, exported = request(r1, "GET", f"/api/v1/report?{query}", source=source)
    check(status == 200, f"export on replica 1: {status}, {len(exported)} bytes")

    def without_time(document):
        return re.sub(rb'"generated_at": "[^"]*"', b'"generated_at": ""', document)

    for name, port in (("replica 2", r2), ("replica 3", r3), ("nginx", cluster.port)):
        status, _, imported = request(port, "POST", "/api/v1/report", source=source, body=exported,
                                      headers={"Content-Type": "application/json"})
        check(status == 200 and without_time(imported) == without_time(exported),
              f"imported on {name}: {status}, same bytes apart from generated_at "
              f"({len(imported)} against {len(exported)})")
    link = "/capacity?" + json.loads(exported)["query"]
    figures = []
    for port in (r1, r2, r3, cluster.port):
        status, _, page = request(port, "GET", link, source=source)
        m = re.search(rb'id="peak-read-qps"[^>]*>([^<]+)<', page)
        figures.append((status, m.group(1).decode() if m else None))
    check(all(f == figures[0] for f in figures) and figures[0][1],
          f"the shared link {link} shows peak reads {figures[0][1]} on every replica and nginx")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", default=[],
                        help="failover, ratelimit, client-ip, any-replica (default: all)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_CHECK_PORT", 3380)),
                        help="nginx's port; the replicas take the next three")
    parser.add_argument("--seconds", type=int, default=12, help="the failover run")
    parser.add_argument("--limit-seconds", type=int, default=3, help="each rate limit run")
    args = parser.parse_args()
    parts = set(args.parts or ["failover", "ratelimit", "client-ip", "any-replica"])
    unknown = parts - {"failover", "ratelimit", "client-ip", "any-replica"}
    if unknown:
        parser.error(f"unknown part: {', '.join(sorted(unknown))}")
    if not (3 <= args.seconds <= 120 and 1 <= args.limit_seconds <= 30):
        parser.error("bounded: --seconds 3-120, --limit-seconds 1-30")
    os.makedirs(OUT, exist_ok=True)
    started = time.monotonic()
    if "failover" in parts:
        failover(args.port, args.seconds)
    if parts & {"ratelimit", "client-ip", "any-replica"}:
        ratelimit_and_more(args.port, args.limit_seconds, parts)
    took = time.monotonic() - started
    if failures:
        print(f"cluster check FAILED in {took:.0f} s: {len(failures)} failure(s)")
        return 1
    print(f"cluster check passed in {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

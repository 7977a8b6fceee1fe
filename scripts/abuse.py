#!/usr/bin/env python3
"""Attacks on the release server, on loopback, each bounded in time and count.

Starts `target/release/headroom serve` with its default limits (only the address is set), then
runs each attack below and checks what the server promises (README, "Operations"):

  heavy     8 clients, each from its own loopback address, loop on fresh URLs of the costliest
            simulator pages; meanwhile /healthz p99 < 50 ms and a cached page p99 < 100 ms from
            another address, and no 5xx but the documented 503s.
  panic     API and page paths whose 120th (or any) byte falls inside a character: a JSON 404
            on /api with the security headers, never a 500.
  head      HEAD, and GET with an absolute-form target, of a heavy page already rendered: both
            answered from the cache (as fast as a cached GET).
  slow      520 slow POST bodies from one address (a byte a second): other clients' pages and
            API requests still succeed, and the server never answers 5xx but 503.
  idle      4,096 connections that never send a byte from one address: /healthz from another
            address stays fast, and a silent connection is closed within --silent-timeout.
  big       a body over the limit, sent whole before reading (as urllib does): a readable 413.
  memory    peak RSS (VmHWM) over all of the above under the cap stated in the README.
  sigterm   SIGTERM while the heavy loop runs: /readyz answers 503 draining at once on an open
            connection, and the process exits within --shutdown-grace + 1 s.

Addresses: the attackers use 127.0.0.1 and 127.0.0.3-10, the probes 127.0.0.2 (all loopback).

    scripts/abuse.py                 # every attack, about a minute and a half
    scripts/abuse.py heavy sigterm   # some of them
"""

import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "headroom")
OUT = os.path.join(ROOT, "target", "load")
HOST = "127.0.0.1"
PORT = int(os.environ.get("ABUSE_PORT", "3302"))
PROBE = "127.0.0.2"
GRACE_S = 10.0  # the server's default --shutdown-grace
SILENT_S = 3.0  # the server's default --silent-timeout
RSS_CAP_MIB = 256  # stated in the README ("Operations"): peak RSS under the worst load

# The costliest pages at the simulators' caps; `{n}` makes every URL new (a cache miss).
HEAVY = [
    "/load-balancing?lb_servers=1000*1:1:1&lb_requests=200k&lb_clients=1M&lb_vnodes=2000"
    "&lb_seed={n}",
    "/load-balancing?lb_servers=100*1:1:4&lb_requests=200k&lb_dist=pareto&lb_alpha=1.1"
    "&lb_seed={n}",
    "/rate-limiting?rl_rate=1000&rl_duration=1000&rl_servers=1000&rl_seed={n}",
    "/autoscaling?as_hours=168&as_pattern=event&as_seed={n}",
]
CACHED = "/capacity?dau=12345"

failures = []


def check(ok, message):
    print(("  ok    " if ok else "  FAIL  ") + message)
    if not ok:
        failures.append(message)


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def request(method, path, source=PROBE, body=None, headers=None, timeout=15):
    """One request on a new connection: (status, headers, body, seconds)."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout, source_address=(source, 0))
    started = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), data, time.monotonic() - started
    finally:
        conn.close()


class Prober(threading.Thread):
    """Asks for /healthz and a cached page every 20 ms over keep-alive connections."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.healthz = []
        self.cached = []
        self.errors = []

    def run(self):
        conns = {}
        while not self.stop.is_set():
            for path, into in (("/healthz", self.healthz), (CACHED, self.cached)):
                try:
                    conn = conns.get(path) or http.client.HTTPConnection(
                        HOST, PORT, timeout=10, source_address=(PROBE, 0)
                    )
                    conns[path] = conn
                    started = time.monotonic()
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                    into.append(time.monotonic() - started)
                    if response.status != 200:
                        self.errors.append(f"{path}: {response.status}")
                    if response.getheader("connection", "").lower() == "close":
                        conn.close()
                        conns.pop(path, None)
                except OSError as err:
                    self.errors.append(f"{path}: {err}")
                    conns.pop(path, None)
            time.sleep(0.02)


class HeavyLoop(threading.Thread):
    """Loops on fresh heavy URLs from one address; records every status."""

    def __init__(self, index, until):
        super().__init__(daemon=True)
        self.index = index
        self.until = until
        self.statuses = {}
        self.errors = []

    def run(self):
        n = self.index * 1_000_000
        while time.monotonic() < self.until:
            n += 1
            path = HEAVY[n % len(HEAVY)].format(n=n)
            try:
                status, _, _, _ = request("GET", path, source=f"127.0.0.{3 + self.index}")
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status in (429, 503):
                    time.sleep(0.05)
            except OSError as err:
                self.errors.append(str(err))


class Server:
    def __init__(self):
        os.makedirs(OUT, exist_ok=True)
        self.log = open(os.path.join(OUT, "abuse-server.log"), "w")
        env = dict(os.environ, LEPTOS_SITE_ROOT="target/site", RUST_LOG="info", NO_COLOR="1")
        env.pop("RUST_BACKTRACE", None)
        self.proc = subprocess.Popen(
            [BIN, "serve", "--addr", f"{HOST}:{PORT}"], cwd=ROOT, env=env, stdout=self.log,
            stderr=self.log,
        )
        self.peak_rss_kib = 0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request("GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit("the server did not become ready")

    def rss(self):
        """(current, peak) RSS in KiB."""
        fields = {}
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        current = int(fields["VmRSS"].split()[0])
        peak = int(fields["VmHWM"].split()[0])
        self.peak_rss_kib = max(self.peak_rss_kib, peak)
        return current, peak

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=GRACE_S + 5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def heavy_loop(seconds):
    until = time.monotonic() + seconds
    loops = [HeavyLoop(i, until) for i in range(8)]
    for loop in loops:
        loop.start()
    return loops


def attack_heavy(server):
    print("heavy: 8 clients loop on fresh simulator URLs for 20 s")
    request("GET", CACHED)  # warm the cached page
    prober = Prober()
    prober.start()
    loops = heavy_loop(20)
    for loop in loops:
        loop.join()
    prober.stop.set()
    prober.join()
    server.rss()
    statuses = {}
    for loop in loops:
        for status, count in loop.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    errors = [e for loop in loops for e in loop.errors]
    print(f"  heavy answers by status: {dict(sorted(statuses.items()))}; socket errors: {len(errors)}")
    h99, c99 = percentile(prober.healthz, 99) * 1000, percentile(prober.cached, 99) * 1000
    print(
        f"  /healthz p50 {percentile(prober.healthz, 50) * 1000:.1f} ms, p99 {h99:.1f} ms "
        f"({len(prober.healthz)}); cached page p50 {percentile(prober.cached, 50) * 1000:.1f} ms, "
        f"p99 {c99:.1f} ms ({len(prober.cached)})"
    )
    check(statuses.get(200, 0) > 0, "some heavy pages were rendered")
    check(set(statuses) <= {200, 429, 503}, f"heavy pages answered only 200, 429 or 503: {statuses}")
    check(not errors, f"no socket errors on heavy pages ({errors[:3]})")
    check(not prober.errors, f"every probe answered 200 ({prober.errors[:3]})")
    check(h99 < 50, f"/healthz p99 {h99:.1f} ms < 50 ms")
    check(c99 < 100, f"cached page p99 {c99:.1f} ms < 100 ms")


def attack_panic(server):
    print("panic: raw UTF-8 paths cut inside a character")
    count = 0
    for pad in range(112, 124):
        for prefix in ("/api/", "/api/v1/", "/"):
            path = prefix + "a" * (pad - len(prefix)) + "é" * 40
            answer = raw(
                f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
            )
            count += 1
            head, _, body = answer.partition(b"\r\n\r\n")
            status = head[9:12]
            if not head.startswith(b"HTTP/1.1 ") or status.startswith(b"5"):
                check(False, f"{path[:40]}…: {head[:40]!r}")
                return
            # hyper may refuse such a target itself (400, no body); anything we answer has our
            # headers, and the API's answers are JSON.
            if status != b"400" or body:
                if b"content-security-policy" not in head.lower():
                    check(False, f"{path[:40]}…: no security headers")
                    return
                if prefix.startswith("/api"):
                    try:
                        json.loads(body)
                    except ValueError:
                        check(False, f"{path[:40]}…: not JSON: {body[:60]!r}")
                        return
    check(True, f"{count} non-ASCII paths: no 5xx, JSON on /api, security headers")


def raw(request_bytes, source=PROBE, read_timeout=10):
    """Sends raw bytes and reads the whole answer (the server closes or sends it all)."""
    sock = socket.create_connection((HOST, PORT), timeout=read_timeout, source_address=(source, 0))
    try:
        sock.sendall(request_bytes)
        chunks = []
        started = time.monotonic()
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and time.monotonic() - started > 0.5:
                break
        return b"".join(chunks)
    finally:
        sock.close()


def attack_head(server):
    print("head: HEAD and absolute-form targets come from the cache")
    path = HEAVY[0].format(n=424242)
    status, _, _, first = request("GET", path)
    check(status == 200, f"the heavy page renders ({status}, {first * 1000:.0f} ms)")
    timings = []
    for _ in range(5):
        status, _, body, took = request("HEAD", path)
        timings.append(took)
        check(status == 200 and body == b"", "HEAD answers 200 without a body") if _ == 0 else None
    head = percentile(timings, 50) * 1000
    check(head < 50, f"HEAD from the cache: median {head:.1f} ms (the render took {first * 1000:.0f} ms)")
    started = time.monotonic()
    answer = raw(
        f"GET http://{HOST}:{PORT}{path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nConnection: close\r\n\r\n".encode()
    )
    took = (time.monotonic() - started) * 1000
    check(answer.startswith(b"HTTP/1.1 200"), f"absolute-form GET answers 200 ({answer[:20]!r})")
    check(took < 100, f"absolute-form GET from the cache: {took:.1f} ms")


def attack_slow(server):
    print("slow: 520 slow POST bodies from one address")
    socks = []
    head = (
        f"POST /api/v1/report HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
        f"Content-Length: 1000\r\n\r\n{{"
    ).encode()
    refused = 0
    for _ in range(520):
        try:
            sock = socket.create_connection((HOST, PORT), timeout=5, source_address=(HOST, 0))
            sock.sendall(head)
            socks.append(sock)
        except OSError:
            refused += 1
    time.sleep(0.5)
    ok = 0
    statuses = {}
    started = time.monotonic()
    while time.monotonic() - started < 6:
        for sock in socks[:: max(1, len(socks) // 50)]:
            try:
                sock.send(b" ")
            except OSError:
                pass
        for path, method in (("/capacity?dau=7", "GET"), ("/api/v1/report?dau=7", "GET")):
            status = request(method, path)[0]
            statuses[status] = statuses.get(status, 0) + 1
            ok += status == 200
        time.sleep(0.1)
    ready = request("GET", "/readyz")[0]
    for sock in socks:
        sock.close()
    total = sum(statuses.values())
    print(f"  other clients' answers: {statuses}; /readyz {ready}; connections refused {refused}")
    check(ok == total, f"other clients: {ok}/{total} answered 200 while one address held slow bodies")


def attack_idle(server):
    print("idle: 4,096 silent connections from one address")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 5000:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    socks = []
    for _ in range(4096):
        try:
            sock = socket.socket()
            sock.setblocking(False)
            sock.bind((HOST, 0))
            sock.connect_ex((HOST, PORT))
            socks.append(sock)
        except OSError:
            break
    time.sleep(0.3)
    timings = []
    for _ in range(50):
        status, _, _, took = request("GET", "/healthz")
        timings.append(took)
        time.sleep(0.02)
    p99 = percentile(timings, 99) * 1000
    check(p99 < 50, f"/healthz p99 {p99:.1f} ms from another address with {len(socks)} silent connections open")
    # One silent connection, alone: closed within the silent timeout.
    for sock in socks:
        sock.close()
    time.sleep(0.5)
    sock = socket.create_connection((HOST, PORT), timeout=SILENT_S + 3, source_address=(PROBE, 0))
    started = time.monotonic()
    try:
        closed = sock.recv(1) == b""
    except OSError:
        closed = True
    took = time.monotonic() - started
    sock.close()
    check(closed and took < SILENT_S + 1, f"a silent connection is closed after {took:.1f} s")


def attack_big(server):
    print("big: a body over the limit, sent whole before reading")
    body = b"{" + b" " * (1 << 20) + b"}"
    for method in ("content-length", "chunked"):
        if method == "content-length":
            head = (
                f"POST /api/v1/report HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            payload = head + body
        else:
            head = (
                f"POST /api/v1/report HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
                f"Transfer-Encoding: chunked\r\n\r\n"
            ).encode()
            chunks = b"".join(
                f"{len(body[i:i + 65536]):x}\r\n".encode() + body[i:i + 65536] + b"\r\n"
                for i in range(0, len(body), 65536)
            )
            payload = head + chunks + b"0\r\n\r\n"
        try:
            answer = raw(payload)
            readable = answer.startswith(b"HTTP/1.1 413") and b'"field": "body"' in answer
        except OSError as err:
            answer, readable = str(err).encode(), False
        check(readable, f"{method}: a readable 413 ({answer[:40]!r})")


def attack_sigterm(server):
    print("sigterm: SIGTERM under the heavy loop")
    loops = heavy_loop(15)
    time.sleep(2)
    conn = http.client.HTTPConnection(HOST, PORT, timeout=5, source_address=(PROBE, 0))
    conn.request("GET", "/healthz")
    conn.getresponse().read()
    server.rss()
    sent = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    time.sleep(0.05)
    try:
        conn.request("GET", "/readyz")
        response = conn.getresponse()
        text = response.read().decode()
        took = time.monotonic() - sent
        check(response.status == 503 and text.strip() == "draining", f"/readyz says {response.status} {text.strip()!r} {took * 1000:.0f} ms after SIGTERM")
    except OSError as err:
        check(False, f"/readyz on an open connection after SIGTERM: {err}")
    try:
        code = server.proc.wait(timeout=GRACE_S + 1 + 1)
        took = time.monotonic() - sent
        check(took <= GRACE_S + 1, f"exited ({code}) {took:.1f} s after SIGTERM (grace {GRACE_S:.0f} s + 1)")
    except subprocess.TimeoutExpired:
        check(False, "did not exit within the grace period + 1 s")
    for loop in loops:
        loop.until = 0
    for loop in loops:
        loop.join(timeout=20)


ATTACKS = {
    "heavy": attack_heavy,
    "panic": attack_panic,
    "head": attack_head,
    "slow": attack_slow,
    "idle": attack_idle,
    "big": attack_big,
    "sigterm": attack_sigterm,
}


def main():
    chosen = sys.argv[1:] or list(ATTACKS) + ["memory"]
    if not os.access(BIN, os.X_OK):
        raise SystemExit("build first: make build")
    server = Server()
    started = time.monotonic()
    try:
        for name in chosen:
            if name in ("sigterm", "memory"):
                continue
            ATTACKS[name](server)
            server.rss()
        if "memory" in chosen:
            print("memory: peak RSS over the attacks")
            server.rss()
            peak = server.peak_rss_kib / 1024
            check(peak < RSS_CAP_MIB, f"peak RSS {peak:.0f} MiB < {RSS_CAP_MIB} MiB")
        if "sigterm" in chosen:
            attack_sigterm(server)
        log = open(os.path.join(OUT, "abuse-server.log")).read()
        check("panicked" not in log and "panic" not in log, "no panic in the server log")
    finally:
        server.stop()
    print(f"abuse: {time.monotonic() - started:.0f} s, {len(failures)} failed")
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Restart under load, dropping no request.

A tiny supervisor, like systemd socket activation: it binds the listening socket once and hands
it to each server process (LISTEN_FDS=1, fd 3), so the socket never closes and connections
waiting in its backlog are never refused. Under load from wrk (keep-alive connections on
loopback), it restarts the server several times: start the new process, wait until it listens,
send SIGTERM to the old one, which stops accepting, answers its in-flight and next requests with
`Connection: close` (the client reconnects to the new process) and exits.

Passes only if wrk saw no socket error and no non-2xx answer, and every old process exited 0
within its grace period.

    scripts/restart.py                      # 30 s, 64 connections, 3 restarts, 127.0.0.1:3301
    scripts/restart.py --seconds 60 --restarts 5
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "headroom")
OUT = os.path.join(ROOT, "target", "load")


def start_server(listen_fd: int, generation: int) -> subprocess.Popen:
    """Starts a server on the shared socket and waits until it says it listens."""
    env = dict(os.environ)
    env.update(
        LISTEN_FDS="1",
        HEADROOM_API_RATE="0",
        HEADROOM_RENDER_RATE="0",
        HEADROOM_MAX_PER_CLIENT="0",
        HEADROOM_MAX_CONNECTIONS_PER_CLIENT="0",
        HEADROOM_RENDER_QUEUE="512",
        LEPTOS_SITE_ROOT="target/site",
        RUST_LOG="info",
        NO_COLOR="1",
    )
    env.pop("LISTEN_PID", None)
    log = open(os.path.join(OUT, f"restart-server-{generation}.log"), "w")
    proc = subprocess.Popen(
        [BIN, "serve"],
        cwd=ROOT,
        env=env,
        pass_fds=(listen_fd,),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    deadline = time.monotonic() + 30
    for line in proc.stdout:
        log.write(line)
        if "listening on" in line:
            break
        if time.monotonic() > deadline:
            break
    else:
        raise SystemExit(f"server {generation} exited before listening")
    # Keep draining its stdout into the log so that it never blocks on a full pipe.
    def drain():
        for rest in proc.stdout:
            log.write(rest)
        log.close()

    threading.Thread(target=drain, daemon=True).start()
    return proc


def wrk_summary(text: str) -> dict:
    summary = {"requests": 0, "socket_errors": 0, "non_2xx": 0, "rps": "?", "p50": "?", "p99": "?"}
    if m := re.search(r"(\d+) requests in", text):
        summary["requests"] = int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
        summary["socket_errors"] = sum(int(g) for g in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", text):
        summary["non_2xx"] = int(m.group(1))
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        summary["rps"] = m.group(1)
    if m := re.search(r"^\s+50%\s+(\S+)", text, re.M):
        summary["p50"] = m.group(1)
    if m := re.search(r"^\s+99%\s+(\S+)", text, re.M):
        summary["p99"] = m.group(1)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=3301)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if not (1 <= args.seconds <= 600 and 1 <= args.connections <= 1024 and 1 <= args.restarts <= 20):
        print("restart.py is bounded: 1-600 s, 1-1024 connections, 1-20 restarts", file=sys.stderr)
        return 2
    if not os.access(BIN, os.X_OK):
        print("build first: make build", file=sys.stderr)
        return 2
    os.makedirs(OUT, exist_ok=True)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(1024)
    # The socket-activation convention: the first passed socket is fd 3.
    os.dup2(listener.fileno(), 3)
    os.set_inheritable(3, True)

    current = start_server(3, 0)
    failures = []
    wrk = subprocess.Popen(
        [
            "wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "5s",
            "--latency", "-s", os.path.join(ROOT, "scripts", "load.lua"),
            f"http://127.0.0.1:{args.port}",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    interval = args.seconds / (args.restarts + 1)
    try:
        for generation in range(1, args.restarts + 1):
            time.sleep(interval)
            started = time.monotonic()
            new = start_server(3, generation)
            current.send_signal(signal.SIGTERM)
            try:
                code = current.wait(timeout=30)
            except subprocess.TimeoutExpired:
                current.kill()
                code = "killed after 30 s"
            took = time.monotonic() - started
            print(f"restart {generation}: old pid {current.pid} exited {code}, "
                  f"new pid {new.pid}, {took:.2f} s", flush=True)
            if code != 0:
                failures.append(f"generation {generation - 1} exited {code}")
            current = new
        output, _ = wrk.communicate(timeout=args.seconds + 60)
    finally:
        if wrk.poll() is None:
            wrk.kill()
        current.send_signal(signal.SIGTERM)
        try:
            current.wait(timeout=30)
        except subprocess.TimeoutExpired:
            current.kill()

    with open(os.path.join(OUT, "restart-wrk.txt"), "w") as f:
        f.write(output)
    s = wrk_summary(output)
    print(output)
    print(f"restarts: {args.restarts} in {args.seconds} s with {args.connections} connections")
    print(f"requests: {s['requests']} ({s['rps']}/s), p50 {s['p50']}, p99 {s['p99']}")
    print(f"errors:   socket {s['socket_errors']}, non-2xx {s['non_2xx']}")
    if s["requests"] == 0:
        failures.append("no requests")
    if s["socket_errors"]:
        failures.append(f"{s['socket_errors']} socket errors")
    if s["non_2xx"]:
        failures.append(f"{s['non_2xx']} non-2xx answers")
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print("restart under load passed: no request lost")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

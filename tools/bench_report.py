#!/usr/bin/env python3
"""Turns the raw outputs of tools/bench.sh into the tables of BENCHMARKS.md, with each budget
of issue 8 marked met or not. Usage: bench_report.py <out-dir> <wall-seconds> [--no-write]."""
import json
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

out = Path(sys.argv[1])
wall = int(sys.argv[2])
write = "--no-write" not in sys.argv

UNITS = {"ps": 1e-12, "ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def criterion():
    """name -> median seconds, from criterion's `time: [low median high]` lines."""
    results, name = {}, None
    for line in (out / "criterion.txt").read_text().splitlines():
        m = re.match(r"^(\S.*?)\s+time:\s+\[(\S+) (\S+) (\S+) (\S+)", line)
        if m:
            name = m.group(1).strip()
            results[name] = float(m.group(4)) * UNITS[m.group(5)]
            continue
        m = re.match(r"^\s+time:\s+\[(\S+) (\S+) (\S+) (\S+)", line)
        if m and name:
            results[name] = float(m.group(3)) * UNITS[m.group(4)]
            continue
        if line and not line[0].isspace() and not line.startswith(("Benchmarking", "Found", "Warning", "Gnuplot")):
            name = line.strip()
    return results


def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]


def fmt_time(seconds):
    for unit, size in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds * 1e12:.3g} ps"


def verdict(ok):
    return "met" if ok else "**not met**"


core = criterion()
server = {}
for line in (out / "server.txt").read_text().splitlines():
    rnd, name, enc, rps, p50, p99 = line.split()
    server[(int(rnd), name, enc)] = (float(rps), ms(p50), ms(p99))
memory = {}
for line in (out / "memory.txt").read_text().splitlines():
    _, key, value = line.split()
    memory[key] = int(value)
sizes = json.loads((out / "sizes.json").read_text())
client = json.loads((out / "client.json").read_text())
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()

lines = []
add = lines.append
add(f"Run of {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC at commit `{commit}`, `make bench`, "
    f"{wall // 60} min {wall % 60} s in all, on this 2-core machine.")
add("")
add("### Core (criterion, median)")
add("")
add("| benchmark | time | budget |")
add("|---|---:|---|")
budgets = {
    "report/build/chapter": (20e-6, "under 20 µs"),
    "autoscale/simulate/chapter-day-5760-steps": (200e-6, "under 200 µs"),
}
for name, t in core.items():
    budget = ""
    if name in budgets:
        limit, text = budgets[name]
        budget = f"{text}: {verdict(t <= limit)}"
    elif name.startswith("loadbalance/simulate_100k"):
        budget = f"under 50 ms: {verdict(t <= 50e-3)}"
    add(f"| `{name}` | {fmt_time(t)} | {budget} |")
add("")
add("### Server (wrk, 64 connections, loopback, API limiter off)")
add("")
add("| route | encoding | requests/s | p50 | p99 | share of trivial | budget |")
add("|---|---|---:|---:|---:|---:|---|")
trivial = server[(1, "trivial", "identity")][0]
for (rnd, name, enc), (rps, p50, p99) in sorted(server.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
    if rnd != 1:
        continue
    share = rps / trivial
    budget = ""
    if enc == "identity" and name.startswith("ssr"):
        budget = f"≥ 25% of trivial: {verdict(share >= 0.25)}; p99 < 10 ms: {verdict(p99 < 10)}"
    if enc == "identity" and name.startswith("api"):
        budget = f"≥ 50% of trivial: {verdict(share >= 0.50)}; p99 < 10 ms: {verdict(p99 < 10)}"
    add(f"| `{name}` | {enc} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {share:.0%} | {budget} |")
add("")
ratios = [server[(1, name, enc)][0] / server[(1, name, "identity")][0]
          for name in ("ssr", "api") for enc in ("gzip", "br")]
add("Compression cost (requests/s with gzip or brotli over without, same run; cached entries keep "
    "their compressed forms): " + ", ".join(
    f"{name} {enc} {server[(1, name, enc)][0] / server[(1, name, 'identity')][0]:.0%}"
    for name in ("ssr", "api") for enc in ("gzip", "br"))
    + f". Budget ≥ 50% each: {verdict(min(ratios) >= 0.5)}.")
add("")
if (1, "ssr-uncached", "identity") in server:
    add("The `-uncached` rows are a second server started with `HEADROOM_CACHE_ENTRIES=0`: every "
        "request rendered afresh, the cost the response cache saves on a repeated URL (and what a "
        "URL seen for the first time costs).")
    add("")
add("Second round of the same load (to see drift): " + ", ".join(
    f"{name} {server[(2, name, 'identity')][0]:,.0f}/s" for name in ("trivial", "ssr", "api", "static")) + ".")
add("")
add("### Memory (server RSS)")
add("")
add(f"Idle {memory['idle_kib'] / 1024:.1f} MiB; after the first round {memory['after_round_1_kib'] / 1024:.1f} MiB; "
    f"after the second {memory['after_round_2_kib'] / 1024:.1f} MiB "
    f"({'no growth' if memory['after_round_2_kib'] <= memory['after_round_1_kib'] * 1.05 + 2048 else 'GROWTH'} "
    "across rounds).")
add("")
add("### Client")
add("")
add("| loaded by every page | raw | gzip | brotli |")
add("|---|---:|---:|---:|")
for a in sizes["common"] + sizes.get("later", []) + ([sizes["html"]] if sizes.get("html") else []):
    add(f"| {a['name']} | {a['raw'] / 1024:.1f} KB | {a['gzip'] / 1024:.1f} KB | {a['brotli'] / 1024:.1f} KB |")
add("")
add("Each page's first load: the above (without echarts and the HTML) and the WASM chunks its code is in "
    "(`tools/sizes.mjs`, from the split manifest):")
add("")
add("| page (split point) | its chunks | chunks gzip | WASM gzip | first load gzip | first load brotli |")
add("|---|---:|---:|---:|---:|---:|")
for p in sizes["pages"]:
    add(f"| {p['page']} | {p['chunks']} | {p['gzip'] / 1024:.1f} KB | {p['wasm_gzip'] / 1024:.1f} KB | "
        f"{p['first_load']['gzip'] / 1024:.1f} KB | {p['first_load']['brotli'] / 1024:.1f} KB |")
for d in sizes.get("on_demand", []):
    add("")
    add(f"Fetched on demand, `{d['name']}`: {d['chunks']} chunks, {d['gzip'] / 1024:.1f} KB gzip, of which "
        f"{d['added_gzip_min'] / 1024:.1f} to {d['added_gzip_max'] / 1024:.1f} KB are not already a page's.")
total = sizes["total"]
add("")
add(f"Heaviest page `{sizes['heaviest']}`: WASM gzipped {sizes['wasm_gzip'] / 1024:.1f} KB, budget 250 KB: "
    f"{verdict(sizes['wasm_gzip'] <= 256000)}. First load gzipped {sizes['bundle_gzip'] / 1024:.1f} KB "
    f"({total['gzip'] / 1024:.1f} KB with the HTML of `/capacity`), budget 500 KB: {verdict(total['gzip'] <= 512000)}.")
add("")
add("| measure (headless Chromium, loopback) | median | p95 | budget |")
add("|---|---:|---:|---|")
for path, s in client["hydrated_ms"].items():
    add(f"| time to hydrated, `{path}` | {s['median']:.0f} ms | {s['p95']:.0f} ms | |")
for what, m in client["input_to_update_ms"].items():
    fig, job, done = m["figures_ms"], m["longest_chart_job_ms"], m["all_near_charts_ms"]
    add(f"| keystroke to updated figures, {what} | {fig['median']:.1f} ms | {fig['p95']:.1f} ms | "
        f"16 ms: {verdict(fig['p95'] <= 16)} |")
    add(f"| longest single chart redraw (one per frame), {what} | {job['median']:.1f} ms | {job['p95']:.1f} ms | "
        f"one frame, 16 ms: {verdict(job['p95'] <= 16)} |")
    add(f"| keystroke to every chart near the viewport redrawn ({m['charts_redrawn']['median']:.0f} charts, "
        f"one per frame), {what} | {done['median']:.1f} ms | {done['p95']:.1f} ms | |")
for query, s in client.get("sampling_10k_ms", {}).items():
    add(f"| 10,000 samples of `{query}` in the page's WASM (issue 15) | {s['median']:.1f} ms | {s['p95']:.1f} ms | "
        f"100 ms: {verdict(s['p95'] <= 100)} |")
transfer = client["first_load_bytes"]
add("")
add("Measured first-load transfer of `/capacity` as the browser received it (compressed by the server): "
    + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in transfer.items()) + ".")

lighthouse_path = out / "lighthouse.json"
if lighthouse_path.exists():
    lighthouse = json.loads(lighthouse_path.read_text())
    add("")
    add(f"Lighthouse {lighthouse['lighthouse']} in its default mobile mode (a mid-range phone on a slow 4G "
        f"link, simulated), a fresh Chromium per run, median of {lighthouse['runs']} runs per page "
        "(`tools/lighthouse.mjs`; transfer is Lighthouse's `total-byte-weight`, everything the page "
        "loaded, echarts included):")
    add("")
    add("| page | performance | LCP | TBT | transfer | budget |")
    add("|---|---:|---:|---:|---:|---|")
    for page, m in lighthouse["pages"].items():
        scores = ", ".join(str(r["score"]) for r in m["runs"])
        add(f"| `{page}` | {m['score']:.0f} ({scores}) | {m['lcp_ms'] / 1000:.1f} s | {m['tbt_ms']:.0f} ms | "
            f"{m['bytes'] / 1024:.0f} KB | ≥ 95: {verdict(m['score'] >= 95)} |")

text = "\n".join(lines) + "\n"
print(text)
if write:
    path = Path("BENCHMARKS.md")
    doc = path.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    i, j = doc.index(start), doc.index(end)
    path.write_text(doc[: i + len(start)] + "\n" + text + doc[j:])
    print("BENCHMARKS.md updated")

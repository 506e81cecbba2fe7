#!/usr/bin/env python3
"""Report for scripts/loadtest.sh: medians, ratios, results.json and an SVG chart.

Usage: loadtest_report.py RUNS.jsonl META_JSON RESULTS.json CHART.svg

RUNS.jsonl has one object per wrk run (written by loadtest.sh); META_JSON describes the
machine and settings. Prints a Markdown table of medians over the rounds and the ratios
the performance goals are stated in (each ratio is computed within a round, then the
median over rounds is taken, so routes are compared under the same machine drift).
Standard library only.
"""

import html
import json
import math
import sys
import time
from statistics import median

HELLO = "actix /hello"
PROTECTED = "actix /protected"
HANDWRITTEN = "actix /handwritten"
AJAM = "actix-jwt-auth-middleware"
FLASK_HELLO = "flask /hello"
FLASK_PROTECTED = "flask /protected"

COLORS = {
    HELLO: "#9e9e9e",
    PROTECTED: "#2e7d32",
    HANDWRITTEN: "#ef6c00",
    AJAM: "#6a1b9a",
    FLASK_HELLO: "#90a4ae",
    FLASK_PROTECTED: "#1565c0",
}


def key_of(target):
    for key in (AJAM, HELLO, PROTECTED, HANDWRITTEN, FLASK_HELLO, FLASK_PROTECTED):
        if target.startswith(key):
            return key
    return target


def fmt_int(value):
    return f"{value:,.0f}"


def fmt_us(value):
    return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def summarize(runs):
    """Per target: medians and ranges over the rounds, in first-seen order."""
    order, by_target = [], {}
    for run in runs:
        if run["target"] not in by_target:
            order.append(run["target"])
            by_target[run["target"]] = []
        by_target[run["target"]].append(run)
    summary = []
    for target in order:
        rs = by_target[target]
        col = lambda field: [r[field] for r in rs]  # noqa: E731
        summary.append(
            {
                "target": target,
                "key": key_of(target),
                "runs": len(rs),
                "rps": median(col("rps")),
                "rps_min": min(col("rps")),
                "rps_max": max(col("rps")),
                "p50_ms": median(col("p50_ms")),
                "p99_ms": median(col("p99_ms")),
                "server_cpu_us_per_req": median(col("server_cpu_us_per_req")),
                "cpu_min": min(col("server_cpu_us_per_req")),
                "cpu_max": max(col("server_cpu_us_per_req")),
                "steal_cores": median(col("steal_cores")),
                "other_cores": median(col("other_cores")),
                "errors": sum(r["non2xx"] + r["socket_errors"] for r in rs),
            }
        )
    return summary


def per_round(runs, key, field):
    return {r["round"]: r[field] for r in runs if key_of(r["target"]) == key}


def ratio(runs, a, b, field, op):
    """op(a, b) per round over the rounds both have; (median, min, max) or None."""
    ra, rb = per_round(runs, a, field), per_round(runs, b, field)
    values = [op(ra[k], rb[k]) for k in sorted(ra) if k in rb and rb[k]]
    if not values:
        return None
    return median(values), min(values), max(values)


def ratios(runs):
    div = lambda x, y: x / y  # noqa: E731
    sub = lambda x, y: x - y  # noqa: E731
    rows = []

    def add(label, value, unit, goal=None, better="higher"):
        if value is None:
            return
        met = None
        if goal is not None:
            met = value[0] >= goal if better == "higher" else value[0] <= goal
        rows.append(
            {
                "label": label,
                "median": value[0],
                "min": value[1],
                "max": value[2],
                "unit": unit,
                "goal": goal,
                "better": better,
                "met": met,
            }
        )

    cpu, rps = "server_cpu_us_per_req", "rps"
    add("protected / unprotected throughput", ratio(runs, PROTECTED, HELLO, rps, div), "x", 0.74)
    add("protected / unprotected server CPU per request", ratio(runs, PROTECTED, HELLO, cpu, div), "x")
    add(
        "protected overhead: server CPU per request, protected - unprotected",
        ratio(runs, PROTECTED, HELLO, cpu, sub),
        "us",
        3.0,
        "lower",
    )
    add(
        "hand-written extractor overhead: handwritten - unprotected",
        ratio(runs, HANDWRITTEN, HELLO, cpu, sub),
        "us",
    )
    add("protected / hand-written extractor throughput", ratio(runs, PROTECTED, HANDWRITTEN, rps, div), "x", 1.5)
    add("hand-written / protected server CPU per request", ratio(runs, HANDWRITTEN, PROTECTED, cpu, div), "x")
    add("protected / actix-jwt-auth-middleware throughput", ratio(runs, PROTECTED, AJAM, rps, div), "x", 1.5)
    add("protected / flask-jwt-extended protected throughput", ratio(runs, PROTECTED, FLASK_PROTECTED, rps, div), "x", 40)
    add(
        "flask-jwt-extended / actix protected server CPU per request",
        ratio(runs, FLASK_PROTECTED, PROTECTED, cpu, div),
        "x",
    )
    return rows


def print_report(summary, ratio_rows, meta):
    print()
    print(
        f"Load test: {meta['wrk']}, {meta['rounds']} interleaved round(s), medians (min-max); "
        f"actix workers {meta['actix_workers']}, TASKSET={meta['taskset']}, "
        f"{meta['nproc']} CPUs ({meta['cpu']}), load {meta['loadavg_before']} -> {meta['loadavg_after']}"
    )
    print()
    print("| target | req/s (min-max) | p50 ms | p99 ms | server CPU us/req (min-max) | steal cores | other cores |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for s in summary:
        errors = f" **{s['errors']} errors**" if s["errors"] else ""
        print(
            f"| {s['target']}{errors} | {fmt_int(s['rps'])} ({fmt_int(s['rps_min'])}-{fmt_int(s['rps_max'])}) "
            f"| {s['p50_ms']:.2f} | {s['p99_ms']:.2f} "
            f"| {fmt_us(s['server_cpu_us_per_req'])} ({fmt_us(s['cpu_min'])}-{fmt_us(s['cpu_max'])}) "
            f"| {s['steal_cores']:.2f} | {s['other_cores']:.2f} |"
        )
    print()
    print("| ratio (per round, median (min-max)) | value | goal |")
    print("| --- | --- | --- |")
    for r in ratio_rows:
        number = (lambda v: f"{v:.2f}") if r["unit"] == "x" else (lambda v: f"{v:+.1f}")
        unit = "x" if r["unit"] == "x" else " us"
        goal = ""
        if r["goal"] is not None:
            sign = ">=" if r["better"] == "higher" else "<="
            goal = f"{sign} {r['goal']:g}{unit}: {'met' if r['met'] else 'NOT met'}"
        print(
            f"| {r['label']} | {number(r['median'])}{unit} ({number(r['min'])}-{number(r['max'])}) | {goal} |"
        )
    print()


def nice_ticks(top, count=4):
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks, value = [], 0.0
    while value <= top * 1.0001:
        ticks.append(value)
        value += step
    if ticks[-1] < top:
        ticks.append(value)
    return ticks


def panel(svg, y0, title, items, unit_fmt, axis_fmt, x0=330, width=400, row=26):
    """A horizontal bar chart; log scale when the values span more than 30x."""
    values = [v for _, v, _ in items if v > 0]
    log = max(values) / min(values) > 30
    if log:
        lo = 10 ** math.floor(math.log10(min(values)))
        hi = 10 ** math.ceil(math.log10(max(values)))
        scale = lambda v: width * math.log10(max(v, lo) / lo) / math.log10(hi / lo)  # noqa: E731
        ticks, t = [], lo
        while t <= hi * 1.0001:
            ticks.append(t)
            t *= 10
    else:
        ticks = nice_ticks(max(values))
        hi = ticks[-1]
        scale = lambda v: width * v / hi  # noqa: E731
    suffix = " (log scale)" if log else ""
    svg.append(f'<text x="20" y="{y0}" class="title">{html.escape(title + suffix)}</text>')
    top = y0 + 12
    bottom = top + row * len(items)
    for t in ticks:
        x = x0 + scale(t)
        svg.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" class="grid"/>')
        svg.append(f'<text x="{x:.1f}" y="{bottom + 14}" class="tick">{axis_fmt(t)}</text>')
    for i, (label, value, color) in enumerate(items):
        y = top + i * row
        w = max(scale(value), 1.0)
        svg.append(f'<text x="{x0 - 8}" y="{y + row / 2 + 4:.1f}" class="label">{html.escape(label)}</text>')
        svg.append(f'<rect x="{x0}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{color}"/>')
        svg.append(f'<text x="{x0 + w + 6:.1f}" y="{y + row / 2 + 4:.1f}" class="value">{unit_fmt(value)}</text>')
    return bottom + 40


def render_svg(summary, meta, path):
    items_cpu = [(s["target"], s["server_cpu_us_per_req"], COLORS.get(s["key"], "#555")) for s in summary]
    items_rps = [(s["target"], s["rps"], COLORS.get(s["key"], "#555")) for s in summary]
    svg = []
    y = panel(
        svg,
        30,
        "Server CPU per request, µs (lower is better)",
        items_cpu,
        lambda v: f"{fmt_us(v)} µs",
        lambda v: f"{v:g}",
    )
    y = panel(
        svg,
        y,
        "Throughput, requests/s (higher is better)",
        items_rps,
        lambda v: f"{fmt_int(v)}/s",
        lambda v: f"{v / 1e6:g}M" if v >= 1e6 else f"{v / 1000:g}k" if v >= 1000 else f"{v:g}",
    )
    note = (
        f"{meta['wrk']}, medians of {meta['rounds']} interleaved rounds, {meta['actix_workers']} actix worker(s), "
        f"TASKSET={meta['taskset']}; {meta['nproc']} vCPU {meta['cpu']}; commit {meta['commit']}, {meta['date']}"
    )
    svg.append(f'<text x="20" y="{y - 8}" class="note">{html.escape(note)}</text>')
    height = y + 4
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="860" height="{height}" '
        f'viewBox="0 0 860 {height}" font-family="Helvetica, Arial, sans-serif">\n'
        "<style>.title{font-size:15px;font-weight:bold;fill:#222}.label{font-size:12px;fill:#222;text-anchor:end}"
        ".value{font-size:12px;fill:#222}.tick{font-size:10px;fill:#777;text-anchor:middle}"
        ".grid{stroke:#ddd;stroke-width:1}.note{font-size:10px;fill:#777}</style>\n"
        f'<rect width="860" height="{height}" fill="#fff"/>\n'
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + "\n".join(svg) + "\n</svg>\n")


def main():
    runs_path, meta_json, results_path, svg_path = sys.argv[1:5]
    with open(runs_path, encoding="utf-8") as f:
        runs = [json.loads(line) for line in f if line.strip()]
    meta = json.loads(meta_json)
    meta["date"] = time.strftime("%Y-%m-%d")
    summary = summarize(runs)
    ratio_rows = ratios(runs)
    print_report(summary, ratio_rows, meta)
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "summary": summary, "ratios": ratio_rows, "runs": runs}, f, indent=2)
    render_svg(summary, meta, svg_path)
    print(f"wrote {results_path} and {svg_path}")


if __name__ == "__main__":
    main()

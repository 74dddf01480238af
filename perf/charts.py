#!/usr/bin/env python3
"""SVG charts from the benchmark suites' JSON results (issue 7); stdlib only, hand-written SVG.

Usage: python3 perf/charts.py RESULTS_DIR [--out DIR]
  Reads whichever of these RESULTS_DIR holds and writes one chart for each into DIR (default
  RESULTS_DIR/charts), then prints the names of the charts written, one a line (a chart whose file
  has nothing for it is not written):
    volume-results.json  (scripts/bench-volumes.sh)  -> volumes.svg: a panel per row, a bar per server
                                                     -> volumes-latency.svg: a panel per random row, its
                                                        p50, p99 and p99.9 latency for each server
    s3-results.json      (scripts/bench-s3.sh)       -> s3.svg: a panel per operation and object size,
                                                        bars by concurrency for each target
    sse-results.json     (scripts/bench-s3.sh --sse,
                          renamed by scripts/bench.sh) -> sse.svg: as s3.svg
    s3-results.json, sse-results.json               -> s3-latency.svg, sse-latency.svg: a panel per row,
                                                        p50 and p99 latency, a bar per target (no whiskers)
    kms-results.json     (scripts/bench-kms.sh)      -> kms.svg: a panel per HSM and operation, a bar
                                                        per client thread count (no spread: one run)
    crypto-jmh.json      (scripts/bench-crypto.sh)   -> crypto.svg: a panel per format operation, the
                                                        format beside raw AES-GCM by segment size
Every bar is the median; its whisker spans the lowest to the highest round. Each panel has its own
linear scale from zero. Every bar is an SVG <rect class="bar"> with data-panel, data-group and
data-series attributes, so a test can count them (perf/src/test/.../BenchHarnessTest).
"""
import json
import math
import os
import sys
from xml.sax.saxutils import escape

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]
PANEL_W, PANEL_H = 420, 260
PLOT_LEFT, PLOT_TOP, PLOT_BOTTOM = 64, 34, 44


def attr(v):
    return escape(str(v), {'"': "&quot;"})


def fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}"


def nice_max(v):
    """A round upper bound for an axis holding values up to v."""
    if not v or v <= 0 or math.isnan(v):
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def median(xs):
    s = sorted(xs)
    n = len(s)
    return (s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2) if n else float("nan")


def chart(title, subtitle, series, panels, columns=2):
    """series: [(id, label)]; panels: [{"id", "title", "unit", "groups": [{"label", "bars": {series id: (median, lo, hi)}}]}]"""
    colour = {sid: PALETTE[i % len(PALETTE)] for i, (sid, _) in enumerate(series)}
    columns = max(1, min(columns, len(panels)))
    rows = math.ceil(len(panels) / columns)
    legend_h = 22 * math.ceil(len(series) / 3) + 8
    head = 52
    width = columns * PANEL_W + 20
    height = head + legend_h + rows * PANEL_H + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="10" y="20" font-size="15" font-weight="bold">{escape(title)}</text>',
           f'<text x="10" y="38" fill="#555555">{escape(subtitle)}</text>']
    for i, (sid, label) in enumerate(series):
        x, y = 10 + (i % 3) * (width - 20) / 3, head + 22 * (i // 3)
        out.append(f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour[sid]}"/>'
                   f'<text x="{x + 17:.1f}" y="{y + 10}">{escape(label)}</text>')
    for p, panel in enumerate(panels):
        ox = 10 + (p % columns) * PANEL_W
        oy = head + legend_h + (p // columns) * PANEL_H
        out.append(panel_svg(panel, series, colour, ox, oy))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def panel_svg(panel, series, colour, ox, oy):
    plot_w = PANEL_W - PLOT_LEFT - 16
    plot_h = PANEL_H - PLOT_TOP - PLOT_BOTTOM
    x0, y0 = ox + PLOT_LEFT, oy + PLOT_TOP + plot_h  # the origin
    highest = max([v for g in panel["groups"] for b in g["bars"].values() for v in b if v is not None and not math.isnan(v)]
                  or [0])
    top = nice_max(highest)
    out = [f'<g class="panel" data-panel="{attr(panel["id"])}">',
           f'<text x="{ox + PANEL_W / 2 - 10:.1f}" y="{oy + 18}" text-anchor="middle" font-size="12" font-weight="bold">'
           f'{escape(panel["title"])}</text>',
           f'<text x="{ox + 12}" y="{oy + PLOT_TOP + plot_h / 2:.1f}" text-anchor="middle" '
           f'transform="rotate(-90 {ox + 12} {oy + PLOT_TOP + plot_h / 2:.1f})">{escape(panel["unit"])}</text>']
    for t in range(5):
        v = top * t / 4
        y = y0 - plot_h * t / 4
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + plot_w}" y2="{y:.1f}" stroke="#dddddd"/>'
                   f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#555555">{fmt(v)}</text>')
    groups = panel["groups"]
    group_w = plot_w / max(1, len(groups))
    for g, group in enumerate(groups):
        present = [sid for sid, _ in series if sid in group["bars"]]
        bar_w = min(40.0, (group_w - 12) / max(1, len(present)))
        gx = x0 + g * group_w + (group_w - bar_w * len(present)) / 2
        for i, sid in enumerate(present):
            med, lo, hi = group["bars"][sid]
            h = 0 if med is None or math.isnan(med) else plot_h * med / top
            x = gx + i * bar_w
            tip = f'{sid}: {fmt(med)} {panel["unit"]} [{fmt(lo)}-{fmt(hi)}]'
            out.append(f'<rect class="bar" data-panel="{attr(panel["id"])}" data-group="{attr(group["label"])}" '
                       f'data-series="{attr(sid)}" data-median="{med}" x="{x + 1:.1f}" y="{y0 - h:.1f}" '
                       f'width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{colour[sid]}"><title>{escape(tip)}</title></rect>')
            if lo is not None and hi is not None and not math.isnan(lo) and not math.isnan(hi):
                cx = x + bar_w / 2
                ylo, yhi = y0 - plot_h * lo / top, y0 - plot_h * hi / top
                out.append(f'<path class="whisker" d="M{cx:.1f},{ylo:.1f}V{yhi:.1f}M{cx - 4:.1f},{ylo:.1f}h8'
                           f'M{cx - 4:.1f},{yhi:.1f}h8" stroke="#000000" fill="none"/>')
            if bar_w >= 24 and h > 0:  # the median as text, above the bar and its whisker
                above = y0 - max(h, 0 if hi is None or math.isnan(hi) else plot_h * hi / top) - 3
                out.append(f'<text x="{x + bar_w / 2:.1f}" y="{above:.1f}" text-anchor="middle" font-size="9">{fmt(med)}</text>')
        if group["label"]:
            out.append(f'<text x="{x0 + (g + 0.5) * group_w:.1f}" y="{y0 + 16}" text-anchor="middle">'
                       f'{escape(group["label"])}</text>')
    if panel.get("xlabel"):
        out.append(f'<text x="{x0 + plot_w / 2:.1f}" y="{y0 + 32}" text-anchor="middle" fill="#555555">'
                   f'{escape(panel["xlabel"])}</text>')
    out.append(f'<line x1="{x0}" y1="{y0}" x2="{x0 + plot_w}" y2="{y0}" stroke="#000000"/></g>')
    return "\n".join(out)


def volumes_chart(data):
    series_ids = []
    panels = []
    for row, r in data["rows"].items():
        bars = {}
        for server, xs in r["values"].items():
            xs = [float(x) for x in xs]
            if server not in series_ids:
                series_ids.append(server)
            bars[server] = (median(xs), min(xs), max(xs)) if xs else (float("nan"),) * 3
        panels.append({"id": row, "title": row, "unit": r.get("unit", ""), "groups": [{"label": "", "bars": bars}]})
    return chart("Volumes over NBD: Coffer versus qemu-nbd LUKS, nbdkit luks and nbdkit file", volumes_subtitle(data),
                 [(s, s) for s in series_ids], panels)


def volumes_subtitle(data):
    tiny = "TINY RUN, figures meaningless; " if data.get("mode") == "tiny" else ""
    rounds = data.get("rounds", "?")
    return (f"{tiny}commit {data.get('commit', '?')}, {rounds} round{'' if rounds == 1 else 's'} "
            f"(random rows {data.get('random_seconds', '?')} s); median with min-max whiskers")


VOLUME_PERCENTILES = ("p50", "p99", "p99.9")


def volumes_latency_chart(data):
    """fio's completion latency of the random rows; None when the results have none (older files)."""
    series_ids = []
    panels = []
    for row, r in data["rows"].items():
        latency = r.get("latency_us")
        if not latency:
            continue
        groups = []
        for p in VOLUME_PERCENTILES:
            bars = {}
            for server, by in latency.items():
                xs = [float(x) for x in by.get(p, [])]
                if not xs:
                    continue
                if server not in series_ids:
                    series_ids.append(server)
                bars[server] = (median(xs), min(xs), max(xs))
            groups.append({"label": p, "bars": bars})
        panels.append({"id": row, "title": row, "unit": "µs", "xlabel": "completion latency percentile", "groups": groups})
    if not panels:
        return None
    return chart("Volumes over NBD: latency of the 4 KiB random rows (fio clat)", volumes_subtitle(data),
                 [(s, s) for s in series_ids], panels)


def size_label(n):
    for unit, b in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= b and n % b == 0:
            return f"{n // b} {unit}"
    return f"{n} B"


def s3_chart(data, title):
    targets = data.get("targets") or {}
    series = list(targets.items())
    panels = {}
    for row in data["rows"]:
        size = row.get("nominalBytes", row["objectBytes"])  # a --tiny run's stand-in objects keep their row's size
        key = (row["operation"], size)
        panel = panels.setdefault(key, {"id": f'{row["operation"].lower()}-{size_label(size).replace(" ", "")}',
                                        "title": f'{row["operation"]} {size_label(size)}',
                                        "unit": row["unit"], "xlabel": "requests in flight", "groups": []})
        bars = {}
        for tid, _ in series:
            s = row.get(tid)
            if isinstance(s, dict) and "median" in s:
                bars[tid] = (s["median"], s.get("min"), s.get("max"))
        for tid, s in row.items():  # targets missing from the map still get a bar
            if isinstance(s, dict) and "median" in s and tid not in bars:
                bars[tid] = (s["median"], s.get("min"), s.get("max"))
                series.append((tid, tid))
        panel["groups"].append({"label": str(row["concurrency"]), "bars": bars})
    for p in panels.values():
        p["groups"].sort(key=lambda g: int(g["label"]))
    subtitle = (f"{data.get('mode', '?')} run, commit {data.get('commit', '?')}, {data.get('started', '?')[:10]}; "
                "median round with lowest-highest whiskers")
    return chart(title, subtitle, series, list(panels.values()))


def s3_latency_chart(data, title):
    """A panel per row, p50 and p99 latency (ms, over all its rounds) side by side, a bar per target."""
    series = list((data.get("targets") or {}).items())
    panels = []
    for row in data["rows"]:
        bars = {}
        for tid, s in row.items():
            if isinstance(s, dict) and "p50Millis" in s:
                bars[tid] = s
                if tid not in dict(series):
                    series.append((tid, tid))
        groups = [{"label": label, "bars": {tid: (s[key], None, None) for tid, s in bars.items() if s.get(key) is not None}}
                  for label, key in (("p50", "p50Millis"), ("p99", "p99Millis"))]
        panels.append({"id": row["id"], "title": f'{row["operation"]} {size_label(row.get("nominalBytes", row["objectBytes"]))}, '
                       f'{row["concurrency"]} in flight', "unit": "ms", "xlabel": "latency percentile", "groups": groups})
    subtitle = (f"{data.get('mode', '?')} run, commit {data.get('commit', '?')}, {data.get('started', '?')[:10]}; "
                "request latency over all timed rounds")
    return chart(title, subtitle, series, panels, columns=3)


def kms_chart(data):
    panels = {}
    for r in data:
        key = (r["hsm"], r["operation"])
        panel = panels.setdefault(key, {"id": f'{r["hsm"]}-{r["operation"]}', "title": f'{r["operation"]} ({r["hsm"]} HSM)',
                                        "unit": "operations/s", "xlabel": "client threads", "groups": []})
        panel["groups"].append({"label": str(r["threads"]), "bars": {"kms": (r["opsPerSecond"], None, None)}})
    return chart("KMS end to end: GenerateDataKey and Decrypt", "one run per row (no spread)",
                 [("kms", "Coffer KMS over HTTP (AWS SDK KmsClient)")], list(panels.values()))


# Format benchmark -> its raw AES-GCM baseline, as scripts/bench-crypto.sh pairs them (--pair), with a panel title.
CRYPTO_PAIRS = [
    ("streamEncrypt", "rawAesGcmEncrypt", "encrypt a 16 MiB object"),
    ("streamDecrypt", "rawAesGcmDecrypt", "decrypt a 16 MiB object (reader)"),
    ("streamDecryptPushed", "rawAesGcmDecrypt", "decrypt a 16 MiB object (pushed)"),
    ("volumeBlockSeal4k", "rawAesGcmSeal4k", "seal a 4 KiB volume block"),
    ("volumeBlockOpen4k", "rawAesGcmOpen4k", "open a 4 KiB volume block"),
]
SECONDS = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "\u00b5s/op": 1e-6, "ns/op": 1e-9}


def crypto_chart(data):
    """MB/s of plaintext per measurement iteration: bytes per operation (objectSizeBytes or blockSizeBytes) over time."""
    runs = {}  # (method, segment label) -> (median, lowest, highest) MB/s over the measurement iterations
    for b in data:
        method = b["benchmark"].rsplit(".", 1)[-1]
        params = b.get("params") or {}
        size = params.get("objectSizeBytes") or params.get("blockSizeBytes")
        pm = b["primaryMetric"]
        unit = SECONDS.get(pm.get("scoreUnit"))
        if not size or not unit:
            continue
        segment = size_label(int(params.get("segmentSizeBytes") or params.get("blockSizeBytes")))
        times = [t for fork in pm.get("rawData", []) for t in fork if t > 0]
        # the median time as MB/s, as jmh_summary.py's table has it (not the median of the per-iteration MB/s)
        runs[(method, segment)] = [int(size) / (t * unit) / 1e6 for t in (median(times), max(times), min(times))] if times else []
    panels = []
    for fmt_method, raw_method, title in CRYPTO_PAIRS:
        groups = []
        for (method, segment), xs in runs.items():
            if method != fmt_method or not xs:
                continue
            bars = {"format": tuple(xs)}
            raw = runs.get((raw_method, segment))
            if raw:
                bars = {"raw": tuple(raw), **bars}
            groups.append({"label": segment, "bars": bars})
        if groups:
            groups.sort(key=lambda g: size_bytes(g["label"]))
            panels.append({"id": fmt_method, "title": title, "unit": "MB/s", "xlabel": "segment", "groups": groups})
    return chart("Crypto formats versus raw AES-GCM (JMH, 1 thread)",
                 "MB/s of plaintext: median measurement iteration with lowest-highest whiskers",
                 [("raw", "raw AES-GCM, one call"), ("format", "Coffer's format")], panels)


def size_bytes(label):
    n, unit = label.split(" ")
    return int(n) * {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[unit]


CHARTS = [
    ("crypto-jmh.json", "crypto.svg", crypto_chart),
    ("volume-results.json", "volumes.svg", volumes_chart),
    ("volume-results.json", "volumes-latency.svg", volumes_latency_chart),
    ("s3-results.json", "s3.svg", lambda d: s3_chart(d, "S3 end to end: throughput by object size and concurrency")),
    ("s3-results.json", "s3-latency.svg", lambda d: s3_latency_chart(d, "S3 end to end: latency p50 and p99 by row")),
    ("sse-results.json", "sse.svg", lambda d: s3_chart(d, "S3 server-side encryption: throughput by mode")),
    ("sse-results.json", "sse-latency.svg", lambda d: s3_latency_chart(d, "S3 server-side encryption: latency p50 and p99 by row")),
    ("kms-results.json", "kms.svg", kms_chart),
]


def main(argv):
    args = list(argv)
    out = None
    if "--out" in args:
        i = args.index("--out")
        out = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1 or args[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    results = args[0]
    out = out or os.path.join(results, "charts")
    os.makedirs(out, exist_ok=True)
    for source, name, make in CHARTS:
        path = os.path.join(results, source)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            svg = make(json.load(f))
        if svg is None:
            continue
        with open(os.path.join(out, name), "w") as f:
            f.write(svg)
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

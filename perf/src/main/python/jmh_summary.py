#!/usr/bin/env python3
"""Turns a JMH JSON result file into a Markdown table of throughput and format-versus-raw ratios.

Each benchmark's operation processes a known number of bytes, named by one of its parameters
(objectSizeBytes, blockSizeBytes), so bytes per second is that size over the time per operation.
A benchmark named as a format in a --pair is compared with its raw baseline run with the same
parameters: the ratio is format time over raw time (1.10 means the format costs 10% more).

Ratios are taken from medians of the measurement iterations, not means: on a shared machine an
iteration that ran beside someone else's build is slow, and the median ignores a minority of those.
The JMH score (mean) and its 99.9% confidence interval are shown beside it, unchanged. When the run
used dev.coffer.perf.ProcessCpuTimeProfiler, the same ratio is also given in CPU time per operation,
which does not grow while the benchmark waits for a core; the goal is judged on both.

Benchmarks of the packages named with --hot-package (the hot paths: SigV4, NBD decoding, the block
engine) get a table of their own, "Hot paths": time per operation, MB/s where --bytes names the bytes
an operation moves, and the ratio to the reference named in a --pair. A reference may have fewer
parameters than the row (it does not depend on them, e.g. the engine's codec): the one whose
parameters are a subset of the row's is used.

--paired adds the table of PairedFormatRatio's JSON (raw and format timed back to back in each round,
which resists a noisy machine far better than two separate JMH measurements), and the goal is judged
on its median ratio. --tiny marks a run whose figures are meaningless (every benchmark once, minimal
settings): it says so at the top and judges no goal.

Standard library only, so that it runs wherever python3 does.
"""
import argparse
import json
import math
import statistics
import sys

BYTES_PARAMS = ("objectSizeBytes", "blockSizeBytes")
# JMH 1.37 names them without the leading dot that older versions printed.
ALLOC_METRICS = ("gc.alloc.rate.norm", "\u00b7gc.alloc.rate.norm")
CPU_METRIC = "cpu.time.norm"  # dev.coffer.perf.ProcessCpuTimeProfiler, ns/op
SECONDS_PER_UNIT = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "\u00b5s/op": 1e-6, "ns/op": 1e-9}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="JMH result file written with -rf json")
    parser.add_argument("--pair", action="append", default=[], metavar="FORMAT=RAW",
                        help="compare benchmark method FORMAT with method RAW of the same class")
    parser.add_argument("--goal", metavar="PARAM:MIN:PCT",
                        help="rows whose PARAM is at least MIN must cost at most PCT%% over raw")
    parser.add_argument("--title", default="JMH results")
    parser.add_argument("--note", action="append", default=[], help="a line to print under the title")
    parser.add_argument("--hot-package", action="append", default=[], metavar="PACKAGE",
                        help="benchmarks of this Java package go to the Hot paths table")
    parser.add_argument("--bytes", action="append", default=[], metavar="METHOD=N",
                        help="a hot-path benchmark method moves N bytes per operation (for MB/s)")
    parser.add_argument("--paired", metavar="JSON", help="PairedFormatRatio's result file: adds the paired ratio table")
    parser.add_argument("--tiny", action="store_true", help="a smoke run: say the figures are meaningless, judge no goal")
    return parser.parse_args(argv)


def human_bytes(n):
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} B"


def describe_params(params):
    parts = []
    for name, value in sorted(params.items()):
        if name.endswith("Bytes") and value.isdigit():
            value = human_bytes(int(value))
        parts.append(f"{name.removesuffix('Bytes').removesuffix('Size')} {value}")
    return ", ".join(parts)


class Row:
    def __init__(self, entry):
        self.package, self.cls, self.method = entry["benchmark"].rsplit(".", 2)
        self.params = entry.get("params", {})
        metric = entry["primaryMetric"]
        unit = metric["scoreUnit"]
        if unit not in SECONDS_PER_UNIT:
            raise SystemExit(f"jmh_summary: {entry['benchmark']} reports {unit}; use -bm avgt")
        self.unit = unit
        self.seconds = SECONDS_PER_UNIT[unit]
        # float(): JMH writes "NaN" (a string) for the error of a single iteration.
        self.score = float(metric["score"])
        self.error = float(metric["scoreError"])
        self.iterations = [x for fork in metric["rawData"] for x in fork]
        self.median = statistics.median(self.iterations)
        bytes_param = next((p for p in BYTES_PARAMS if p in self.params), None)
        self.bytes_per_op = int(self.params[bytes_param]) if bytes_param else None
        secondary = entry.get("secondaryMetrics", {})
        alloc = next((secondary[m] for m in ALLOC_METRICS if m in secondary), None)
        self.alloc_bytes = float(alloc["score"]) if alloc else None
        cpu = secondary.get(CPU_METRIC)
        self.cpu_median_ns = statistics.median(x for fork in cpu["rawData"] for x in fork) if cpu else None

    def key(self, method=None):
        return (self.cls, method or self.method, tuple(sorted(self.params.items())))

    def mb_per_s(self, time_per_op, seconds_per_unit=None):
        if self.bytes_per_op is None or time_per_op <= 0 or math.isnan(time_per_op):
            return None
        return self.bytes_per_op / (time_per_op * (seconds_per_unit or self.seconds)) / 1e6

    def relative_spread(self):
        """Half the interquartile range over the median: how noisy the iterations were."""
        if len(self.iterations) < 4:
            return float("nan")
        q1, _, q3 = statistics.quantiles(self.iterations, n=4)
        return (q3 - q1) / 2 / self.median


def fmt(x, digits=0):
    if x is None or math.isnan(x):
        return "n/a"
    return f"{x:,.{digits}f}"


def fmt_time(seconds):
    """A time per operation in the largest unit it is at least 1 of, to three figures: 812 ns, 12.3 \u00b5s, 4.56 ms."""
    if seconds is None or math.isnan(seconds):
        return "n/a"
    for unit, size in (("s", 1.0), ("ms", 1e-3), ("\u00b5s", 1e-6), ("ns", 1e-9)):
        if seconds >= size or unit == "ns":
            value = seconds / size
            return f"{value:,.{2 if value < 10 else 1 if value < 100 else 0}f} {unit}"


def find_baseline(row, method, rows):
    """The reference run of `method` in row's class, with the same parameters or a subset of them."""
    mine = set(row.params.items())
    candidates = [r for r in rows if r.cls == row.cls and r.method == method and set(r.params.items()) <= mine]
    return max(candidates, key=lambda r: len(r.params), default=None)


def hot_paths_table(rows, pairs, bytes_per_op, has_cpu):
    out = ["## Hot paths", "",
           "Each operation beside its reference in the same run. *Time/op* is the median measurement iteration; "
           "*ratio* is the operation's median time over the reference's (2.0 = twice the reference's time)"
           + (", in wall-clock time and in CPU time of the benchmark JVM." if has_cpu else "."), ""]
    header = ["Operation", "Params", "Time/op (median)", "MB/s (median)", "Alloc B/op", "Reference", "Reference time/op", "Ratio"]
    align = ["---", "---", "---:", "---:", "---:", "---", "---:", "---:"]
    if has_cpu:
        header.append("Ratio (CPU)")
        align.append("---:")
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(align) + "|")
    references = set(pairs.values())
    for r in sorted(rows, key=lambda r: (r.package, r.cls, r.method in references, r.method, tuple(sorted(r.params.items())))):
        seconds = r.median * r.seconds
        size = bytes_per_op.get(r.method)
        mbps = fmt(size / seconds / 1e6) if size and seconds > 0 else ""
        baseline = find_baseline(r, pairs[r.method], rows) if r.method in pairs else None
        cells = [f"{r.cls}.{r.method}", describe_params(r.params), fmt_time(seconds), mbps,
                 fmt(r.alloc_bytes) if r.alloc_bytes is not None else ""]
        if baseline is None:
            cells += ["", "", ""] + ([""] if has_cpu else [])
        else:
            base_seconds = baseline.median * baseline.seconds
            cells += [baseline.method, fmt_time(base_seconds), f"{seconds / base_seconds:.2f}"]
            if has_cpu:
                cpu = r.cpu_median_ns / baseline.cpu_median_ns if r.cpu_median_ns and baseline.cpu_median_ns else None
                cells.append(f"{cpu:.2f}" if cpu is not None else "")
        out.append("| " + " | ".join(cells) + " |")
    return out


def paired_table(paired, goal_pct, tiny):
    limit = 1 + goal_pct / 100
    out = ["## Paired ratio", "",
           f"PairedFormatRatio: a {human_bytes(paired['objectSizeBytes'])} object; in each of {paired['rounds']} rounds "
           f"(after {paired['warmupRounds']} warm-up rounds) one raw AES-GCM call and the format run back to back, "
           "rotating which goes first, and the ratio of the two times is kept. *Median ratio* is the median of those "
           "per-round ratios [25th-75th percentile]; *min/min* is the fastest format run over the fastest raw run. "
           "*Raw segmented* runs in the same rounds: raw AES-GCM cut into the format's segments, one init and one "
           "doFinal each and nothing else, the floor of any format that seals segments separately with the JDK's "
           "provider; its column is its median per-round ratio to the single raw call (the provider's own "
           "per-message cost), and *format ÷ raw segmented* is what the format adds to that floor. "
           f"Goal: the median ratio is at most {limit:.2f}.", ""]
    out.append("| Operation | Segment | Rounds | Median ratio [p25-p75] | Min/min | Raw (median) | Format (median) "
               "| Raw segmented ÷ raw | Format ÷ raw segmented | Goal |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in paired["rows"]:
        if tiny:
            verdict = "not judged (tiny run)"
        elif row["ratioMedian"] <= limit:
            verdict = "meets"
        else:
            verdict = f"**misses** (> {goal_pct:g}%)"
        segmented = (f"{row['segmentedRatioMedian']:.3f} | {row['formatOverSegmentedMedian']:.3f}"
                     if "segmentedRatioMedian" in row else " | ")
        out.append(f"| {row['operation']} | {human_bytes(row['segmentSizeBytes'])} | {row['rounds']} | "
                   f"{row['ratioMedian']:.3f} [{row['ratioP25']:.3f}-{row['ratioP75']:.3f}] | {row['minRatio']:.3f} | "
                   f"{fmt_time(row['rawMedianNs'] * 1e-9)} | {fmt_time(row['formatMedianNs'] * 1e-9)} | "
                   f"{segmented} | {verdict} |")
    return out


def main(argv):
    args = parse_args(argv)
    with open(args.results, encoding="utf-8") as f:
        entries = json.load(f)
    if not entries:
        raise SystemExit("jmh_summary: no results in " + args.results)
    all_rows = [Row(e) for e in entries]
    hot_packages = set(args.hot_package)
    rows = [r for r in all_rows if r.package not in hot_packages]
    hot_rows = [r for r in all_rows if r.package in hot_packages]
    by_key = {r.key(): r for r in rows}
    bytes_per_op = {m: int(n) for m, n in (b.split("=", 1) for b in args.bytes)}
    paired = None
    if args.paired:
        with open(args.paired, encoding="utf-8") as f:
            paired = json.load(f)
    pairs = dict(p.split("=", 1) for p in args.pair)
    goal = None
    if args.goal:
        name, minimum, pct = args.goal.split(":")
        goal = (name, int(minimum), float(pct))

    first = entries[0]
    out = [f"# {args.title}", ""]
    out.append(f"JDK {first.get('jdkVersion', '?')} ({first.get('vmName', '?')} {first.get('vmVersion', '')}), "
               f"JMH {first.get('jmhVersion', '?')}, {first.get('forks', '?')} fork(s), "
               f"warm-up {first.get('warmupIterations', '?')} x {first.get('warmupTime', '?')}, "
               f"measurement {first.get('measurementIterations', '?')} x {first.get('measurementTime', '?')}, "
               f"{first.get('threads', '?')} thread(s).")
    if args.tiny:
        out.extend(["", "**Tiny run: every benchmark ran once with minimal settings to check that it works. "
                        "The figures are meaningless; no goal is judged.**"])
    out.extend(["", *[f"- {n}" for n in args.note]] if args.note else [])
    out.append("")
    has_cpu = any(r.cpu_median_ns is not None for r in all_rows)
    out.append("MB/s is 10^6 bytes per second of plaintext. *Score* is JMH's mean wall-clock time with its 99.9% "
               "confidence interval (no \u00b1 on MB/s when that interval reaches zero); *median* is the median "
               "measurement iteration, \u00b1 half its interquartile range. *Format/raw* is the format's median "
               "time over the raw call's median time in the same run (1.10 = the format costs 10% more)"
               + (", in wall-clock time and in CPU time of the benchmark JVM." if has_cpu else "."))
    out.append("")
    header = ["Benchmark", "Params", "Time/op (score)", "MB/s (score)", "MB/s (median)"]
    align = ["---", "---", "---:", "---:", "---:"]
    if has_cpu:
        header.append("MB/s (CPU median)")
        align.append("---:")
    header += ["Alloc B/op", "Baseline", "Format/raw"]
    align += ["---:", "---", "---:"]
    if has_cpu:
        header.append("Format/raw (CPU)")
        align.append("---:")
    header.append("Goal")
    align.append("---")
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(align) + "|")
    for r in sorted(rows, key=lambda r: (r.cls, tuple(sorted(r.params.items())), r.method not in pairs.values(), r.method)):
        lo, hi = r.score - r.error, r.score + r.error
        mbps = r.mb_per_s(r.score)
        mbps_err = None
        if mbps is not None and not math.isnan(r.error) and lo > 0:
            mbps_err = (r.mb_per_s(lo) - r.mb_per_s(hi)) / 2
        median_mbps = r.mb_per_s(r.median)
        spread = r.relative_spread()
        baseline = by_key.get(r.key(pairs[r.method])) if r.method in pairs else None
        ratio_text = cpu_ratio_text = goal_text = baseline_text = ""
        if baseline is not None:
            baseline_text = baseline.method
            ratio = (r.median * r.seconds) / (baseline.median * baseline.seconds)
            ratio_text = f"{ratio:.3f}"
            cpu_ratio = None
            if r.cpu_median_ns and baseline.cpu_median_ns:
                cpu_ratio = r.cpu_median_ns / baseline.cpu_median_ns
                cpu_ratio_text = f"{cpu_ratio:.3f}"
            if goal and not args.tiny and goal[0] in r.params and int(r.params[goal[0]]) >= goal[1]:
                limit = 1 + goal[2] / 100
                verdicts = {ratio <= limit} | ({cpu_ratio <= limit} if cpu_ratio is not None else set())
                if verdicts == {True}:
                    goal_text = "meets"
                elif verdicts == {False}:
                    goal_text = f"**misses** (> {goal[2]:g}%)"
                else:
                    goal_text = "unclear (wall and CPU disagree)"
        cells = [
            f"{r.cls}.{r.method}",
            describe_params(r.params),
            f"{fmt(r.score, 3)} \u00b1 {fmt(r.error, 3)} {r.unit}",
            (f"{fmt(mbps)} \u00b1 {fmt(mbps_err)}" if mbps_err is not None else fmt(mbps)) if mbps is not None else "n/a",
            f"{fmt(median_mbps)} \u00b1 {fmt(median_mbps * spread if median_mbps else None)}" if median_mbps else "n/a",
        ]
        if has_cpu:
            cells.append(fmt(r.mb_per_s(r.cpu_median_ns, 1e-9)) if r.cpu_median_ns else "")
        cells += [fmt(r.alloc_bytes) if r.alloc_bytes is not None else "", baseline_text, ratio_text]
        if has_cpu:
            cells.append(cpu_ratio_text)
        cells.append(goal_text)
        out.append("| " + " | ".join(cells) + " |")
    if goal:
        out.append("")
        out.append(f"Goal: the format costs at most {goal[2]:g}% over raw AES-GCM where {goal[0]} >= "
                   f"{human_bytes(goal[1])}."
                   + (" The verdicts above come from JMH's separate measurements of the two, which swing by tens of "
                      "percent between runs on a shared machine; the paired ratio below decides." if paired else ""))
    if paired:
        out.extend(["", *paired_table(paired, goal[2] if goal else 10.0, args.tiny)])
    if hot_rows:
        out.extend(["", *hot_paths_table(hot_rows, pairs, bytes_per_op, has_cpu)])
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])

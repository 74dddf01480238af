package dev.coffer.perf.s3;

import dev.coffer.perf.s3.S3Workload.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run as a Markdown table (one row per workload: each server's median round with the spread,
 * the ratio, latencies, CPU per request, and the goals marked met or not met) and as JSON with
 * every round.
 */
final class S3Report {
    static final double PUT_64MIB_FRACTION_OF_DISK_GOAL = 0.8;
    static final double GET_64MIB_MEGABYTES_PER_SECOND_GOAL = 1000;
    static final double PUT_4KIB_PER_SECOND_GOAL = 3500;
    static final double GET_4KIB_PER_SECOND_GOAL = 5500;
    /** Issue 5: SSE-KMS large-object (64 MiB) throughput at least this fraction of SSE off. */
    static final double SSE_KMS_LARGE_FRACTION_GOAL = 0.85;
    /** Issue 5: 4 KiB SSE-KMS with bucket keys at least this fraction of SSE off's requests per second. */
    static final double SSE_KMS_BUCKET_KEY_SMALL_FRACTION_GOAL = 0.80;
    /** Issue 5: every SSE row at least this many times s3proxy's encryption middleware. */
    static final double SSE_OVER_S3PROXY_ENC_GOAL = 5;
    /** The SSE modes' target ids, in column order, and their short names. */
    static final Map<String, String> SSE_MODES = sseModes();
    static final String SSE_OFF = "coffer";
    static final String SSE_OFF_HTTPS = "coffer-https";
    static final String S3PROXY_ENC = "s3proxy-enc";

    private static Map<String, String> sseModes() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("coffer-sse-s3", "SSE-S3");
        m.put("coffer-sse-kms", "SSE-KMS");
        m.put("coffer-sse-kms-bk", "SSE-KMS, bucket key");
        m.put("coffer-sse-c", "SSE-C");
        return m;
    }

    private final S3RunInfo info;
    private final List<S3RowResult> rows;
    /** Target id to report name, in column order. */
    private final Map<String, String> targets;

    S3Report(S3RunInfo info, List<S3RowResult> rows, Map<String, String> targets) {
        this.info = info;
        this.rows = rows;
        this.targets = targets;
    }

    String markdown() {
        StringBuilder b = new StringBuilder("# S3 end to end: Coffer versus s3proxy\n\n");
        S3Benchmark.Settings s = info.settings;
        if (s.tiny()) {
            b.append(String.format(Locale.ROOT, "**A tiny run (`--tiny`): it exists to test the harness, and its figures are "
                    + "meaningless.** Every row and target runs once, for %.1f s, at most %d in flight; the 1 MiB rows move %s "
                    + "objects and the 64 MiB rows %s (the ids and labels keep the sizes they stand for); no dd. GETs are "
                    + "still verified byte for byte.%n%n", s.round().toMillis() / 1e3, s.maxConcurrency(),
                    S3Workload.label(s.mediumBytes()), S3Workload.label(s.largeBytes())));
        }
        for (String line : info.describe()) {
            b.append("- ").append(line).append('\n');
        }
        b.append(String.format(Locale.ROOT, "- mode: %s; per row and target one %.1f s warm-up round, then %d round%s of %.1f s "
                        + "alternating the targets (A, B, C, A, B, C, ...); each cell is the median round [lowest-highest]; "
                        + "latency percentiles over all rounds; first, %.1f s of 4 KiB and %s PUT and GET per target to warm up%n",
                s.mode(), s.rowWarmUp().toMillis() / 1e3, s.rounds(), s.rounds() == 1 ? "" : "s", s.round().toMillis() / 1e3,
                s.initialWarmUp().toMillis() / 1e3 * 4.0, S3Workload.label(s.mediumBytes())));
        b.append(String.format(Locale.ROOT, "- load average (1 min, whole machine): %.2f at start, %.2f at end, %.2f highest at a round's start%n",
                info.loadAverageAtStart, info.loadAverageAtEnd, rows.stream().flatMap(r -> r.rounds().values().stream())
                        .flatMap(List::stream).mapToDouble(S3RowResult.Round::loadAverage).max().orElse(Double.NaN)));
        if (!info.diskMegabytesPerSecond.isEmpty()) {
            b.append("- disk: `dd if=/dev/zero bs=1M count=1024 conv=fdatasync` on the data disk: ");
            b.append(String.join(", ", info.diskMegabytesPerSecond.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList()));
            b.append(String.format(Locale.ROOT, " MB/s (start, [before 64 MiB,] end); median %,.0f MB/s", info.diskMegabytesPerSecondMedian()));
            for (S3RowResult row : rows) {
                if (!row.diskMegabytesPerSecond().isEmpty()) {
                    b.append("; between the rounds of ").append(row.workload().id()).append(": ")
                            .append(String.join(", ", row.diskMegabytesPerSecond().stream()
                                    .map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList()))
                            .append(String.format(Locale.ROOT, " (median %,.0f)", row.diskMegabytesPerSecondMedian()));
                }
            }
            b.append(". A 64 MiB PUT is held against the median dd of its own row\n");
        }
        if (!info.loopbackMegabytesPerSecond.isEmpty()) {
            b.append(String.format(Locale.ROOT, "- loopback TCP: %s (127.0.0.1, %d KiB writes, %.1f s each, before the "
                            + "servers start): what the machine can move between two sockets without a protocol; the 64 MiB rows "
                            + "are held against it below%n",
                    String.join(", ", info.loopbackMegabytesPerSecond.entrySet().stream().map(e -> String.format(Locale.ROOT,
                            "%,.0f MB/s with %d stream%s", e.getValue(), e.getKey(), e.getKey() == 1 ? "" : "s")).toList()),
                    LoopbackThroughput.WRITE_BYTES / 1024, s.loopback().toMillis() / 1e3));
        }
        b.append("- checksums: \"SDK default checksums\" is an S3AsyncClient with no checksum setting (AWS_REQUEST_CHECKSUM_CALCULATION=")
                .append(envOrUnset("AWS_REQUEST_CHECKSUM_CALCULATION")).append(", AWS_RESPONSE_CHECKSUM_VALIDATION=")
                .append(envOrUnset("AWS_RESPONSE_CHECKSUM_VALIDATION"))
                .append("); \"WHEN_REQUIRED\" sets requestChecksumCalculation and responseChecksumValidation to WHEN_REQUIRED. "
                        + "s3proxy ").append(info.s3proxyWithSdkDefaults)
                .append(", so the ratio compares Coffer and s3proxy both WHEN_REQUIRED. Integrity headers on the first request of each operation:\n");
        info.integrityHeaders().forEach((target, byOperation) -> byOperation.forEach((operation, headers) -> {
            if (operation.equals("PutObject") || operation.equals("GetObject")) {
                b.append("  - ").append(target).append(' ').append(operation).append(": ").append(headers).append('\n');
            }
        }));
        b.append("- MB = 10^6 bytes; GETs compare every byte with what was written; each server is its own JVM, beside the client, on the same cores\n");
        b.append("- s3proxy's filesystem store does not fsync (jclouds writes a temp file and renames it); Coffer syncs before it answers. "
                + "The disk is synced (untimed) after every round so that no target's write-back lands in another's round\n\n");

        b.append("| workload | in flight | unit");
        targets.values().forEach(name -> b.append(" | ").append(name));
        b.append(" | Coffer ÷ s3proxy (both WHEN_REQUIRED) | goals (Coffer, SDK default checksums) |\n|---|---:|---");
        targets.values().forEach(name -> b.append("|---:"));
        b.append("|---:|---|\n");
        for (S3RowResult row : rows) {
            S3Workload w = row.workload();
            b.append("| ").append(w.operation()).append(' ').append(w.sizeLabel()).append(" | ").append(w.concurrency())
                    .append(" | ").append(w.unit());
            for (String id : targets.keySet()) {
                b.append(" | ").append(rate(stats(row, id)));
            }
            double ratio = row.ratio();
            b.append(" | ").append(Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio));
            b.append(" | ").append(String.join("; ", goals(row))).append(" |\n");
        }
        b.append("\nLatency (p50 / p99 ms, all rounds); CPU time per request, server / client (user + system, from /proc; "
                + "per MB for the MB/s rows; the client is this JVM: the SDK and the byte comparison); cores busy during the "
                + "rounds, server / client. The machine has " + Runtime.getRuntime().availableProcessors() + " cores. With one "
                + "request in flight the two take turns, so such a row's rate is at most about 1 / (server CPU + client CPU) "
                + "per request, whatever the server does.\n\n| workload | in flight");
        targets.values().forEach(name -> b.append(" | ").append(name).append(": latency | CPU | cores"));
        b.append(" |\n|---|---:");
        targets.values().forEach(name -> b.append("|---:|---:|---:"));
        b.append("|\n");
        for (S3RowResult row : rows) {
            S3Workload w = row.workload();
            b.append("| ").append(w.operation()).append(' ').append(w.sizeLabel()).append(" | ").append(w.concurrency());
            for (String id : targets.keySet()) {
                S3RowResult.Stats st = stats(row, id);
                b.append(" | ").append(latency(st)).append(" | ").append(cpu(st, w)).append(" | ")
                        .append(st == null ? "" : String.format(Locale.ROOT, "%.2f / %.2f", st.serverCoresBusy(), st.clientCoresBusy()));
            }
            b.append(" |\n");
        }
        b.append('\n').append(latencyMarkdown());
        if (rows.stream().anyMatch(r -> r.workload().operation() == Operation.MIXED)) {
            b.append('\n').append(mixedMarkdown());
        }
        if (rows.stream().anyMatch(r -> r.workload().large())) {
            b.append('\n').append(limitsMarkdown());
        }
        if (hasSse()) {
            b.append('\n').append(sseMarkdown());
        }
        return b.toString();
    }

    /** Each row's latency percentiles per target; a mixed row's GETs and PUTs on lines of their own. */
    String latencyMarkdown() {
        StringBuilder b = new StringBuilder("## Latency\n\nEach request's latency, first byte sent to last byte received "
                + "(and, for GETs, compared), over all timed rounds: p50 / p99 ms, p99.9 in parentheses. A mixed row's GETs "
                + "and PUTs are also shown apart.\n\n| workload | in flight");
        targets.values().forEach(name -> b.append(" | ").append(name));
        b.append(" |\n|---|---:");
        targets.values().forEach(name -> b.append("|---:"));
        b.append("|\n");
        for (S3RowResult row : rows) {
            S3Workload w = row.workload();
            List<String> kinds = new ArrayList<>();
            kinds.add(null);
            row.rounds().values().stream().flatMap(List::stream).flatMap(r -> r.result().latencyNanosByKind().keySet().stream())
                    .distinct().sorted().forEach(kinds::add);
            for (String kind : kinds) {
                b.append("| ").append(w.operation()).append(' ').append(w.sizeLabel()).append(kind == null ? "" : " (" + kind + "s)")
                        .append(" | ").append(w.concurrency());
                for (String id : targets.keySet()) {
                    S3RowResult.Stats st = stats(row, id);
                    S3RowResult.Latency l = st == null ? null : kind == null ? st.latency() : st.latencyByKind().get(kind);
                    b.append(" | ").append(l == null ? "" : millis(l.p50Millis()) + " / " + millis(l.p99Millis())
                            + " (" + millis(l.p999Millis()) + ")");
                }
                b.append(" |\n");
            }
        }
        return b.toString();
    }

    /** The mixed rows: operations and MB/s per target, the ratio, and GET and PUT latencies apart. */
    String mixedMarkdown() {
        StringBuilder b = new StringBuilder("## Mixed GET and PUT\n\n70% GETs and 30% PUTs at a fixed number in flight: "
                + "the GETs read the GET rows' objects and the objects this round's PUTs have written (every byte compared), "
                + "the PUTs write new keys. Median round's operations per second [lowest-highest] and object MB/s (both "
                + "directions); GET and PUT latency p50 / p99 ms.\n\n| workload | in flight");
        targets.values().forEach(name -> b.append(" | ").append(name).append(": ops/s | MB/s | GET | PUT"));
        b.append(" | Coffer ÷ s3proxy (both WHEN_REQUIRED) |\n|---|---:");
        targets.values().forEach(name -> b.append("|---:|---:|---:|---:"));
        b.append("|---:|\n");
        for (S3RowResult row : rows) {
            S3Workload w = row.workload();
            if (w.operation() != Operation.MIXED) {
                continue;
            }
            b.append("| MIXED ").append(w.sizeLabel()).append(" | ").append(w.concurrency());
            for (String id : targets.keySet()) {
                S3RowResult.Stats st = stats(row, id);
                if (st == null) {
                    b.append(" | | | |");
                    continue;
                }
                b.append(" | ").append(rate(st)).append(" | ").append(String.format(Locale.ROOT, "%,.1f", st.medianMegabytesPerSecond()))
                        .append(" | ").append(latency(st.latencyByKind().get("GET"))).append(" | ")
                        .append(latency(st.latencyByKind().get("PUT")));
            }
            double ratio = row.ratio();
            b.append(" | ").append(Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f", ratio)).append(" |\n");
        }
        return b.toString();
    }

    /**
     * The loopback TCP figure a row is held against: the one measured with as many streams as the row has
     * requests in flight, or the closest below; NaN when none was measured.
     */
    double loopbackFor(S3Workload w) {
        double best = Double.NaN;
        int bestStreams = 0;
        for (Map.Entry<Integer, Double> e : info.loopbackMegabytesPerSecond.entrySet()) {
            if (e.getKey() <= w.concurrency() && e.getKey() > bestStreams) {
                best = e.getValue();
                bestStreams = e.getKey();
            }
        }
        return best;
    }

    /** {@code target}'s median MB/s in a large-object row over the loopback TCP figure it is held against. */
    double fractionOfLoopback(S3RowResult row, String target) {
        double loopback = loopbackFor(row.workload());
        return row.rounds().containsKey(target) && !Double.isNaN(loopback) ? row.stats(target).median() / loopback : Double.NaN;
    }

    /** The 64 MiB rows against what the machine can do: loopback TCP and, for PUTs, dd's durable write speed. */
    String limitsMarkdown() {
        StringBuilder b = new StringBuilder("## Large objects against the machine's limits\n\nEach target's median MB/s in the "
                + "64 MiB rows as a fraction of loopback TCP with as many streams as requests in flight (1 stream for 1 in "
                + "flight, 4 for 4 or more) and, for PUTs, of dd's durable write speed (the median dd of the row, else of "
                + "the run).\n\n| workload | in flight | loopback MB/s | dd MB/s");
        targets.values().forEach(name -> b.append(" | ").append(name));
        b.append(" |\n|---|---:|---:|---:");
        targets.values().forEach(name -> b.append("|---:"));
        b.append("|\n");
        for (S3RowResult row : rows) {
            S3Workload w = row.workload();
            if (!w.large()) {
                continue;
            }
            double loopback = loopbackFor(w);
            double disk = w.operation() != Operation.PUT ? Double.NaN
                    : row.diskMegabytesPerSecond().isEmpty() ? info.diskMegabytesPerSecondMedian() : row.diskMegabytesPerSecondMedian();
            b.append("| ").append(w.operation()).append(' ').append(w.sizeLabel()).append(" | ").append(w.concurrency())
                    .append(" | ").append(Double.isNaN(loopback) ? "–" : String.format(Locale.ROOT, "%,.0f", loopback))
                    .append(" | ").append(Double.isNaN(disk) ? "–" : String.format(Locale.ROOT, "%,.0f", disk));
            for (String id : targets.keySet()) {
                S3RowResult.Stats st = stats(row, id);
                if (st == null) {
                    b.append(" | ");
                    continue;
                }
                List<String> parts = new ArrayList<>();
                double f = fractionOfLoopback(row, id);
                if (!Double.isNaN(f)) {
                    parts.add(String.format(Locale.ROOT, "%.2f of loopback", f));
                }
                if (!Double.isNaN(disk)) {
                    parts.add(String.format(Locale.ROOT, "%.2f of dd", st.median() / disk));
                }
                b.append(" | ").append(String.join(", ", parts));
            }
            b.append(" |\n");
        }
        return b.toString();
    }

    /** Whether any SSE mode or s3proxy's encryption middleware ran. */
    boolean hasSse() {
        return targets.keySet().stream().anyMatch(id -> SSE_MODES.containsKey(id) || id.equals(S3PROXY_ENC));
    }

    /** The SSE off target an SSE mode is held against: over the same transport as the mode. */
    private String baseline(String mode) {
        return targets.getOrDefault(mode, "").endsWith("over HTTPS") && targets.containsKey(SSE_OFF_HTTPS) ? SSE_OFF_HTTPS : SSE_OFF;
    }

    /** {@code target}'s median over {@code reference}'s in this row; NaN when either did not run. */
    static double ratio(S3RowResult row, String target, String reference) {
        if (!row.rounds().containsKey(target) || !row.rounds().containsKey(reference)) {
            return Double.NaN;
        }
        return row.stats(target).median() / row.stats(reference).median();
    }

    /** The SSE modes that ran, in column order. */
    private List<String> modes() {
        return SSE_MODES.keySet().stream().filter(targets::containsKey).toList();
    }

    String sseMarkdown() {
        StringBuilder b = new StringBuilder("## Server-side encryption\n\n");
        b.append("One Coffer process (`coffer serve --services s3,kms`) driven with different request headers, beside "
                + "s3proxy with its encryption middleware (`s3proxy.encrypted-blobstore=true`, AES-CFB, checksums "
                + "WHEN_REQUIRED as s3proxy needs). SSE off: no encryption header, buckets without default encryption, "
                + "so Coffer stores the bytes as sent. Each mode's cell is its median round and, in parentheses, its "
                + "median over SSE off's median in the same run (over the same transport). Goals from issue 5: SSE-KMS "
                + "(with and without a bucket key) on 64 MiB objects ≥ 0.85 of SSE off; 4 KiB SSE-KMS with a bucket key "
                + "≥ 0.80 of SSE off; every Coffer SSE mode ≥ 5× s3proxy-enc on every row.\n\n");
        List<String> modes = modes();
        boolean https = targets.containsKey(SSE_OFF_HTTPS);
        b.append("| workload | in flight | unit | SSE off");
        if (https) {
            b.append(" | SSE off, HTTPS");
        }
        modes.forEach(m -> b.append(" | ").append(SSE_MODES.get(m)).append(targets.get(m).endsWith("over HTTPS") ? " (HTTPS)" : "")
                .append(" (÷ SSE off)"));
        boolean enc = targets.containsKey(S3PROXY_ENC);
        if (enc) {
            b.append(" | s3proxy-enc | ÷ s3proxy-enc (").append(String.join(" / ", modes.stream().map(SSE_MODES::get).toList()))
                    .append(")");
        }
        b.append(" | goals |\n|---|---:|---|---:");
        if (https) {
            b.append("|---:");
        }
        modes.forEach(m -> b.append("|---:"));
        if (enc) {
            b.append("|---:|---:");
        }
        b.append("|---|\n");
        for (S3RowResult row : rows) {
            S3Workload w = row.workload();
            b.append("| ").append(w.operation()).append(' ').append(w.sizeLabel()).append(" | ").append(w.concurrency())
                    .append(" | ").append(w.unit()).append(" | ").append(median(row, SSE_OFF));
            if (https) {
                b.append(" | ").append(median(row, SSE_OFF_HTTPS));
            }
            for (String m : modes) {
                b.append(" | ").append(median(row, m));
                double r = ratio(row, m, baseline(m));
                if (!Double.isNaN(r)) {
                    b.append(String.format(Locale.ROOT, " (%.2f)", r));
                }
            }
            if (enc) {
                b.append(" | ").append(median(row, S3PROXY_ENC)).append(" | ").append(String.join(" / ", modes.stream()
                        .map(m -> times(ratio(row, m, S3PROXY_ENC))).toList()));
            }
            b.append(" | ").append(String.join("; ", sseGoals(row))).append(" |\n");
        }
        if (!info.kmsCalls.isEmpty()) {
            b.append("\nKMS calls, counted as KMS audit trail events (`<data-dir>/audit/kms`, one record per call, written "
                    + "before the call returns) during 4 KiB PUTs to a new bucket and then GETs of the same objects at 16 in "
                    + "flight (so a bucket key or SSE-S3 data key, cached per bucket, is fetched within the count); per 1,000 "
                    + "requests:\n\n");
            b.append("| target | PUTs | GenerateDataKey per 1,000 PUTs | Decrypt per 1,000 PUTs | other events during PUTs "
                    + "| Decrypt per 1,000 GETs | GenerateDataKey per 1,000 GETs | other events during GETs |\n"
                    + "|---|---:|---:|---:|---|---:|---:|---|\n");
            for (S3RunInfo.KmsCalls k : info.kmsCalls) {
                b.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s |%n", k.displayName(), k.requests(),
                        count(k.perThousandPuts("GenerateDataKey")), count(k.perThousandPuts("Decrypt")),
                        others(k.duringPuts()), count(k.perThousandGets("Decrypt")), count(k.perThousandGets("GenerateDataKey")),
                        others(k.duringGets())));
            }
        }
        return b.toString();
    }

    private static String count(double perThousand) {
        return perThousand == Math.rint(perThousand) ? String.format(Locale.ROOT, "%,.0f", perThousand)
                : String.format(Locale.ROOT, "%,.1f", perThousand);
    }

    private static String others(Map<String, Long> events) {
        List<String> rest = events.entrySet().stream().filter(e -> !e.getKey().equals("GenerateDataKey") && !e.getKey().equals("Decrypt"))
                .map(e -> e.getKey() + " " + e.getValue()).toList();
        return rest.isEmpty() ? "none" : String.join(", ", rest);
    }

    private static String median(S3RowResult row, String target) {
        return row.rounds().containsKey(target) ? String.format(Locale.ROOT, "%,.0f", row.stats(target).median()) : "";
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, ratio >= 10 ? "%.0f×" : "%.1f×", ratio);
    }

    /**
     * Issue 5's SSE goals that apply to this row, each met or not met with its figure: SSE-KMS (both) on
     * 64 MiB objects ≥ 0.85 of SSE off; SSE-KMS with a bucket key on 4 KiB ≥ 0.80 of SSE off; every SSE mode
     * ≥ 5× s3proxy-enc (the lowest mode named).
     */
    List<String> sseGoals(S3RowResult row) {
        List<String> goals = new ArrayList<>();
        S3Workload w = row.workload();
        for (String m : List.of("coffer-sse-kms", "coffer-sse-kms-bk")) {
            double r = ratio(row, m, baseline(m));
            if (Double.isNaN(r)) {
                continue;
            }
            if (w.large()) {
                goals.add(String.format(Locale.ROOT, "%s ≥ %.2f of off: %s (%.2f)", SSE_MODES.get(m), SSE_KMS_LARGE_FRACTION_GOAL,
                        mark(r >= SSE_KMS_LARGE_FRACTION_GOAL), r));
            } else if (w.nominalBytes() == 4 * S3Workload.KIB && m.equals("coffer-sse-kms-bk")) {
                goals.add(String.format(Locale.ROOT, "%s ≥ %.2f of off: %s (%.2f)", SSE_MODES.get(m),
                        SSE_KMS_BUCKET_KEY_SMALL_FRACTION_GOAL, mark(r >= SSE_KMS_BUCKET_KEY_SMALL_FRACTION_GOAL), r));
            }
        }
        String lowest = null;
        double lowestRatio = Double.POSITIVE_INFINITY;
        List<String> below = new ArrayList<>();
        for (String m : modes()) {
            double r = ratio(row, m, S3PROXY_ENC);
            if (Double.isNaN(r)) {
                continue;
            }
            if (r < lowestRatio) {
                lowestRatio = r;
                lowest = m;
            }
            if (r < SSE_OVER_S3PROXY_ENC_GOAL) {
                below.add(SSE_MODES.get(m) + " " + times(r));
            }
        }
        if (lowest != null) {
            goals.add(below.isEmpty()
                    ? String.format(Locale.ROOT, "≥ 5× s3proxy-enc: met (lowest %s, %s)", times(lowestRatio), SSE_MODES.get(lowest))
                    : "≥ 5× s3proxy-enc: **not met** (" + String.join(", ", below) + ")");
        }
        return goals;
    }

    private static S3RowResult.Stats stats(S3RowResult row, String target) {
        return row.rounds().containsKey(target) ? row.stats(target) : null;
    }

    /**
     * The goals that apply to this row, each marked met or not met: the absolute ones on Coffer
     * with the SDK's default checksums (what applications send), being ahead on the like-for-like pair.
     */
    List<String> goals(S3RowResult row) {
        List<String> goals = new ArrayList<>();
        S3Workload w = row.workload();
        String target = row.rounds().containsKey("coffer") ? "coffer" : S3RowResult.COFFER;
        if (row.rounds().containsKey(target) && w.operation() != Operation.MIXED) {
            double coffer = row.stats(target).median();
            if (w.large() && w.operation() == Operation.PUT) {
                double disk = row.diskMegabytesPerSecond().isEmpty() ? info.diskMegabytesPerSecondMedian()
                        : row.diskMegabytesPerSecondMedian();
                double fraction = coffer / disk;
                if (Double.isNaN(disk)) {
                    goals.add("of dd's speed: no dd figure in this run");
                } else {
                    goals.add(String.format(Locale.ROOT, "%.2f of dd's %,.0f MB/s (≥ %.2f): %s", fraction, disk,
                            PUT_64MIB_FRACTION_OF_DISK_GOAL, mark(fraction >= PUT_64MIB_FRACTION_OF_DISK_GOAL)));
                }
            } else if (w.large()) {
                goals.add("> 1 GB/s: " + mark(coffer > GET_64MIB_MEGABYTES_PER_SECOND_GOAL));
            } else if (w.nominalBytes() == 4 * S3Workload.KIB && w.operation() == Operation.PUT) {
                goals.add("≥ 3,500/s: " + mark(coffer >= PUT_4KIB_PER_SECOND_GOAL));
            } else if (w.nominalBytes() == 4 * S3Workload.KIB) {
                goals.add("≥ 5,500/s: " + mark(coffer >= GET_4KIB_PER_SECOND_GOAL));
            }
        }
        double ratio = row.ratio();
        if (!Double.isNaN(ratio)) {
            goals.add("ahead of s3proxy: " + mark(ratio > 1));
        }
        return goals;
    }

    private static String mark(boolean met) {
        return met ? "met" : "**not met**";
    }

    private static String envOrUnset(String name) {
        String v = System.getenv(name);
        return v == null ? "unset" : v;
    }

    private static String rate(S3RowResult.Stats s) {
        return s == null ? "" : String.format(Locale.ROOT, "%,.0f [%,.0f-%,.0f]", s.median(), s.min(), s.max());
    }

    private static String latency(S3RowResult.Stats s) {
        return s == null ? "" : String.format(Locale.ROOT, "%s / %s", millis(s.p50Millis()), millis(s.p99Millis()));
    }

    private static String latency(S3RowResult.Latency l) {
        return l == null ? "" : String.format(Locale.ROOT, "%s / %s", millis(l.p50Millis()), millis(l.p99Millis()));
    }

    private static String millis(double ms) {
        return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%,.0f", ms);
    }

    private static String cpu(S3RowResult.Stats s, S3Workload w) {
        if (s == null) {
            return "-";
        }
        if (w.megabytesPerSecond()) {
            double megabytes = w.objectBytes() / 1e6;
            return String.format(Locale.ROOT, "%.2f / %.2f ms/MB", s.serverCpuMicrosPerRequest() / 1e3 / megabytes,
                    s.clientCpuMicrosPerRequest() / 1e3 / megabytes);
        }
        return String.format(Locale.ROOT, "%,.0f / %,.0f µs", s.serverCpuMicrosPerRequest(), s.clientCpuMicrosPerRequest());
    }

    String json() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"mode\": ").append(q(info.settings.mode())).append(",\n");
        b.append("  \"machine\": ").append(q(info.machine)).append(",\n");
        b.append("  \"started\": ").append(q(String.valueOf(info.started))).append(",\n");
        b.append("  \"finished\": ").append(q(String.valueOf(info.finished))).append(",\n");
        b.append("  \"commit\": ").append(q(info.commit)).append(",\n");
        b.append("  \"jdk\": ").append(q(info.jdk)).append(", \"awsSdk\": ").append(q(info.sdk))
                .append(", \"client\": ").append(q(info.client.name().toLowerCase(Locale.ROOT)))
                .append(", \"s3proxy\": ").append(q(info.s3proxy)).append(",\n");
        b.append("  \"disk\": ").append(q(info.disk)).append(",\n");
        b.append("  \"s3proxyWithSdkDefaultChecksums\": ").append(q(info.s3proxyWithSdkDefaults)).append(",\n");
        b.append("  \"targets\": {").append(String.join(", ", targets.entrySet().stream()
                .map(e -> q(e.getKey()) + ": " + q(e.getValue())).toList())).append("},\n");
        b.append(String.format(Locale.ROOT, "  \"loadAverageAtStart\": %.2f, \"loadAverageAtEnd\": %.2f,%n",
                info.loadAverageAtStart, info.loadAverageAtEnd));
        b.append("  \"ddMegabytesPerSecond\": ").append(info.diskMegabytesPerSecond).append(",\n");
        b.append("  \"loopbackMegabytesPerSecond\": {").append(String.join(", ", info.loopbackMegabytesPerSecond.entrySet().stream()
                .map(e -> q(String.valueOf(e.getKey())) + ": " + number(e.getValue())).toList())).append("},\n");
        if (info.settings.tiny()) {
            b.append("  \"note\": \"a tiny run: it tests the harness; its figures are meaningless\",\n");
        }
        if (info.kmsKeyArn != null) {
            b.append("  \"kmsKeyArn\": ").append(q(info.kmsKeyArn)).append(",\n");
        }
        if (info.sseCTransport != null) {
            b.append("  \"sseCTransport\": ").append(q(info.sseCTransport)).append(",\n");
        }
        if (info.s3proxyEncryption != null) {
            b.append("  \"s3proxyEncryption\": ").append(q(info.s3proxyEncryption)).append(",\n");
        }
        b.append("  \"kmsCalls\": [").append(String.join(", ", info.kmsCalls.stream().map(k -> "{\"target\": " + q(k.target())
                + ", \"requests\": " + k.requests() + ", \"duringPuts\": " + counts(k.duringPuts()) + ", \"duringGets\": "
                + counts(k.duringGets()) + "}").toList())).append("],\n");
        b.append("  \"integrityHeaders\": {");
        List<String> servers = new ArrayList<>();
        info.integrityHeaders().forEach((server, ops) -> {
            List<String> entries = new ArrayList<>();
            ops.forEach((op, h) -> entries.add(q(op) + ": " + q(h)));
            servers.add(q(server) + ": {" + String.join(", ", entries) + "}");
        });
        b.append(String.join(", ", servers)).append("},\n");
        b.append("  \"rows\": [\n");
        for (int i = 0; i < rows.size(); i++) {
            S3RowResult row = rows.get(i);
            S3Workload w = row.workload();
            b.append("    {\"id\": ").append(q(w.id())).append(", \"operation\": ").append(q(w.operation().name()))
                    .append(", \"objectBytes\": ").append(w.objectBytes()).append(", \"nominalBytes\": ").append(w.nominalBytes())
                    .append(", \"concurrency\": ").append(w.concurrency())
                    .append(", \"unit\": ").append(q(w.unit()));
            double ratio = row.ratio();
            b.append(", \"ratio\": ").append(Double.isNaN(ratio) ? "null" : String.format(Locale.ROOT, "%.4f", ratio));
            double defaultsRatio = row.ratio("coffer");
            b.append(", \"ratioCofferSdkDefaultsOverS3proxy\": ").append(Double.isNaN(defaultsRatio) ? "null"
                    : String.format(Locale.ROOT, "%.4f", defaultsRatio));
            b.append(", \"pairRatios\": ").append(doubles(row.pairRatios()));
            b.append(", \"ddMegabytesPerSecond\": ").append(row.diskMegabytesPerSecond());
            b.append(", \"goals\": [").append(String.join(", ", goals(row).stream().map(S3Report::q).toList())).append("]");
            if (w.large()) {
                b.append(", \"loopbackMegabytesPerSecond\": ").append(number(loopbackFor(w)));
                b.append(", \"fractionOfLoopback\": {").append(String.join(", ", row.rounds().keySet().stream()
                        .map(id -> q(id) + ": " + number(fractionOfLoopback(row, id))).toList())).append("}");
            }
            if (hasSse()) {
                List<String> toOff = new ArrayList<>();
                List<String> toEnc = new ArrayList<>();
                for (String m : modes()) {
                    toOff.add(q(m) + ": " + number(ratio(row, m, baseline(m))));
                    toEnc.add(q(m) + ": " + number(ratio(row, m, S3PROXY_ENC)));
                }
                b.append(", \"sseRatioToSseOff\": {").append(String.join(", ", toOff)).append("}");
                b.append(", \"sseRatioToS3proxyEnc\": {").append(String.join(", ", toEnc)).append("}");
                b.append(", \"sseGoals\": [").append(String.join(", ", sseGoals(row).stream().map(S3Report::q).toList())).append("]");
            }
            for (Map.Entry<String, List<S3RowResult.Round>> e : row.rounds().entrySet()) {
                S3RowResult.Stats s = row.stats(e.getKey());
                b.append(",\n      ").append(q(e.getKey())).append(": {");
                b.append(String.format(Locale.ROOT, "\"median\": %.2f, \"min\": %.2f, \"max\": %.2f, \"p50Millis\": %.3f, "
                                + "\"p90Millis\": %.3f, \"p99Millis\": %.3f, \"p999Millis\": %.3f, \"megabytesPerSecond\": %.2f, "
                                + "\"serverCpuMicrosPerRequest\": %.1f, \"clientCpuMicrosPerRequest\": %.1f, "
                                + "\"serverCoresBusy\": %.2f, \"clientCoresBusy\": %.2f, \"requests\": %d, ",
                        s.median(), s.min(), s.max(), s.p50Millis(), s.latency().p90Millis(), s.p99Millis(), s.latency().p999Millis(),
                        s.medianMegabytesPerSecond(), s.serverCpuMicrosPerRequest(), s.clientCpuMicrosPerRequest(), s.serverCoresBusy(),
                        s.clientCoresBusy(), s.requests()));
                if (!s.latencyByKind().isEmpty()) {
                    b.append("\"latencyByKind\": {").append(String.join(", ", s.latencyByKind().entrySet().stream()
                            .map(k -> q(k.getKey()) + ": " + latencyJson(k.getValue())).toList())).append("}, ");
                }
                b.append("\"rounds\": [");
                List<String> rounds = new ArrayList<>();
                for (S3RowResult.Round r : e.getValue()) {
                    LoadRound.Result res = r.result();
                    rounds.add(String.format(Locale.ROOT, "{\"rate\": %.2f, \"requests\": %d, \"seconds\": %.3f, "
                                    + "\"serverCpuSeconds\": %.3f, \"clientCpuSeconds\": %.3f, \"loadAverage\": %.2f}",
                            w.rate(res.requestsPerSecond()), res.requests(), res.nanos() / 1e9, res.serverCpuNanos() / 1e9,
                            res.clientCpuNanos() / 1e9, r.loadAverage()));
                }
                b.append(String.join(", ", rounds)).append("]}");
            }
            b.append("}").append(i + 1 < rows.size() ? "," : "").append('\n');
        }
        b.append("  ]\n}\n");
        return b.toString();
    }

    private static String latencyJson(S3RowResult.Latency l) {
        return String.format(Locale.ROOT, "{\"requests\": %d, \"p50Millis\": %.3f, \"p90Millis\": %.3f, \"p99Millis\": %.3f, "
                + "\"p999Millis\": %.3f}", l.count(), l.p50Millis(), l.p90Millis(), l.p99Millis(), l.p999Millis());
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String counts(Map<String, Long> events) {
        return "{" + String.join(", ", events.entrySet().stream().map(e -> q(e.getKey()) + ": " + e.getValue()).toList()) + "}";
    }

    private static String doubles(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(String.format(Locale.ROOT, "%.4f", v));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

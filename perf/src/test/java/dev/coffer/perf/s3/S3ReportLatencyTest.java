package dev.coffer.perf.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.perf.s3.S3Workload.Operation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain run's new parts of the report: the latency table (p50 / p99 and p99.9 per row and target, a
 * mixed row's GETs and PUTs apart), the mixed rows' table (ops/s, MB/s, ratio), the 64 MiB rows against
 * loopback TCP and dd, the JSON fields behind them, a tiny run's warning, and the rows each mode runs.
 */
class S3ReportLatencyTest {
    @TempDir
    Path work;

    private static final Map<String, String> TARGETS = new LinkedHashMap<>();

    static {
        TARGETS.put("coffer", "Coffer, SDK default checksums");
        TARGETS.put("coffer-when-required", "Coffer, checksums WHEN_REQUIRED");
        TARGETS.put("s3proxy", "s3proxy, checksums WHEN_REQUIRED");
    }

    private static Histogram millis(long... values) {
        Histogram h = new Histogram(3);
        for (long v : values) {
            h.recordValue(v * 1_000_000);
        }
        return h;
    }

    /** One one-second round per target at {@code rate} requests per second, every request {@code latencyMillis}. */
    private static S3RowResult row(S3Workload w, Map<String, Integer> rate, long latencyMillis, Map<String, Histogram> byKind) {
        Map<String, List<S3RowResult.Round>> rounds = new LinkedHashMap<>();
        TARGETS.keySet().stream().filter(rate::containsKey).forEach(target -> rounds.put(target, List.of(new S3RowResult.Round(
                new LoadRound.Result(rate.get(target), 1_000_000_000L, millis(latencyMillis), 1, 1, byKind), 1.0))));
        return new S3RowResult(w, rounds, List.of());
    }

    private S3Report report(S3Benchmark.Settings settings, List<S3RowResult> rows) {
        S3RunInfo info = S3RunInfo.collect(work, work, settings);
        info.loopbackMegabytesPerSecond.put(1, 2000.0);
        info.loopbackMegabytesPerSecond.put(4, 5000.0);
        info.finish(List.of(500.0));
        return new S3Report(info, rows, TARGETS);
    }

    private static final Map<String, Integer> RATES = Map.of("coffer", 300, "coffer-when-required", 400, "s3proxy", 200);

    @Test
    void mixedRowsShowOpsMegabytesAndGetAndPutLatenciesApart() {
        S3RowResult mixed = row(new S3Workload(Operation.MIXED, S3Workload.MIB, 16), RATES, 20,
                Map.of("GET", millis(10, 10, 12), "PUT", millis(30, 40)));
        S3Report report = report(S3Benchmark.Settings.FULL, List.of(mixed));

        assertThat(mixed.workload().id()).isEqualTo("mixed-1MiB-c16");
        assertThat(mixed.workload().unit()).isEqualTo("ops/s");
        String md = report.markdown();
        assertThat(md).contains("| MIXED 1 MiB | 16 | ops/s | 300 [300-300] | 400 [400-400] | 200 [200-200] | 2.00 | ahead of s3proxy: met |")
                .contains("## Mixed GET and PUT")
                // 300 ops/s of 1 MiB objects is 314.6 MB/s; GET p50 / p99 10 / 12 ms, PUT 30 / 40 ms
                .contains("| MIXED 1 MiB | 16 | 300 [300-300] | 314.6 | 10 / 12 | 30 / 40 | 400 [400-400] | 419.4 |")
                .contains("| MIXED 1 MiB (GETs) | 16 | 10 / 12 (12) |")
                .contains("| MIXED 1 MiB (PUTs) | 16 | 30 / 40 (40) |")
                .doesNotContain("## Large objects");
        assertThat(report.json()).contains("\"id\": \"mixed-1MiB-c16\", \"operation\": \"MIXED\"")
                .contains("\"megabytesPerSecond\": 314.57")
                .containsPattern(Pattern.quote("\"latencyByKind\": {\"GET\": {\"requests\": 3, \"p50Millis\": 10.")
                        + ".*" + Pattern.quote("\"PUT\": {\"requests\": 2, \"p50Millis\": 30."));
    }

    @Test
    void everyRowHasItsPercentilesAndLargeRowsTheirFractionOfLoopback() {
        // 64 MiB at 10 requests/s is 671 MB/s; 1 in flight is held against 1 stream, 4 against 4.
        S3RowResult put = row(new S3Workload(Operation.PUT, 64 * S3Workload.MIB, 1), Map.of("coffer", 10, "s3proxy", 5), 100, Map.of());
        S3RowResult get = row(new S3Workload(Operation.GET, 64 * S3Workload.MIB, 4), Map.of("coffer", 40, "s3proxy", 20), 50, Map.of());
        S3Report report = report(S3Benchmark.Settings.FULL, List.of(put, get));

        String md = report.markdown();
        assertThat(md).contains("- loopback TCP: 2,000 MB/s with 1 stream, 5,000 MB/s with 4 streams")
                .contains("## Latency")
                .contains("| PUT 64 MiB | 1 | 100 / 100 (100) |  | 100 / 100 (100) |")
                .contains("## Large objects against the machine's limits")
                .contains("| PUT 64 MiB | 1 | 2,000 | 500 | 0.34 of loopback, 1.34 of dd |  | 0.17 of loopback, 0.67 of dd |")
                .contains("| GET 64 MiB | 4 | 5,000 | – | 0.54 of loopback |  | 0.27 of loopback |")
                .doesNotContain("tiny run");
        assertThat(report.json()).contains("\"loopbackMegabytesPerSecond\": {\"1\": 2000.0000, \"4\": 5000.0000}")
                .contains("\"loopbackMegabytesPerSecond\": 2000.0000, \"fractionOfLoopback\": {\"coffer\": 0.3355, \"s3proxy\": 0.1678}")
                .contains("\"p50Millis\": 100.", "\"p90Millis\": 100.", "\"p99Millis\": 100.", "\"p999Millis\": 100.");
    }

    @Test
    void aTinyRunSaysItsFiguresAreMeaninglessAndHoldsNoRowAgainstAMissingDd() {
        S3Workload standIn = new S3Workload(Operation.PUT, 64 * S3Workload.KIB, 4, 64 * S3Workload.MIB);
        S3RowResult put = row(standIn, RATES, 5, Map.of());
        S3RunInfo info = S3RunInfo.collect(work, work, S3Benchmark.Settings.TINY);
        info.finish(List.of());
        S3Report report = new S3Report(info, List.of(put), TARGETS);

        assertThat(standIn.id()).isEqualTo("put-64MiB-c4");
        assertThat(report.markdown()).contains("**A tiny run (`--tiny`): it exists to test the harness, and its figures are meaningless.**")
                .contains("the 1 MiB rows move 16 KiB objects and the 64 MiB rows 64 KiB")
                // 300 requests/s of 64 KiB objects
                .contains("| PUT 64 MiB | 4 | MB/s | 20 [20-20] |")
                .contains("of dd's speed: no dd figure in this run").doesNotContain("NaN");
        assertThat(report.json()).contains("\"note\": \"a tiny run: it tests the harness; its figures are meaningless\"")
                .contains("\"objectBytes\": 65536, \"nominalBytes\": 67108864");
    }

    @Test
    void tinyRunsEveryRowOnceAtMostFourInFlightAndQuickFewerRows() {
        List<S3Workload> tiny = S3Benchmark.workloads(null, false, S3Benchmark.Settings.TINY);
        assertThat(tiny.stream().map(S3Workload::id)).containsExactly("put-4KiB-c1", "put-4KiB-c4", "get-4KiB-c1", "get-4KiB-c4",
                "mixed-4KiB-c4", "put-1MiB-c1", "put-1MiB-c4", "get-1MiB-c1", "get-1MiB-c4", "mixed-1MiB-c4", "put-64MiB-c1",
                "put-64MiB-c4", "get-64MiB-c1", "get-64MiB-c4");
        assertThat(tiny).allSatisfy(w -> assertThat(w.objectBytes()).isLessThanOrEqualTo(64 * S3Workload.KIB));
        assertThat(S3Benchmark.workloads(null, true, S3Benchmark.Settings.TINY).stream().map(S3Workload::id)).containsExactly(
                "put-4KiB-c1", "put-4KiB-c4", "get-4KiB-c1", "get-4KiB-c4", "put-1MiB-c4", "get-1MiB-c4", "put-64MiB-c1",
                "put-64MiB-c4", "get-64MiB-c1", "get-64MiB-c4");

        assertThat(S3Benchmark.workloads(null, false, S3Benchmark.Settings.QUICK).stream().map(S3Workload::id)).containsExactly(
                "put-4KiB-c1", "put-4KiB-c16", "get-4KiB-c1", "get-4KiB-c16", "mixed-4KiB-c16", "put-1MiB-c16", "get-1MiB-c16",
                "mixed-1MiB-c16", "put-64MiB-c1", "put-64MiB-c4", "get-64MiB-c1", "get-64MiB-c4");
        assertThat(S3Benchmark.workloads(null, true, S3Benchmark.Settings.QUICK)).hasSize(8);
        List<S3Workload> full = S3Benchmark.workloads(null, false, S3Benchmark.Settings.FULL);
        assertThat(full).hasSize(16).allSatisfy(w -> assertThat(w.objectBytes()).isEqualTo(w.nominalBytes()));
        assertThat(S3Benchmark.workloads(Pattern.compile("^mixed-"), false, S3Benchmark.Settings.FULL).stream().map(S3Workload::id))
                .containsExactly("mixed-4KiB-c16", "mixed-1MiB-c16");
    }
}

package dev.coffer.perf.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.perf.s3.S3Workload.Operation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSE section's arithmetic: ratios to SSE off and to s3proxy-enc, and issue 5's goals, met or not, per row. */
class S3ReportSseTest {
    @TempDir
    Path work;

    private static final Map<String, String> TARGETS = new LinkedHashMap<>();

    static {
        TARGETS.put("coffer", "Coffer, SDK default checksums");
        TARGETS.put("coffer-sse-s3", "Coffer, SSE-S3, SDK default checksums");
        TARGETS.put("coffer-sse-kms", "Coffer, SSE-KMS, SDK default checksums");
        TARGETS.put("coffer-sse-kms-bk", "Coffer, SSE-KMS, bucket key, SDK default checksums");
        TARGETS.put("coffer-sse-c", "Coffer, SSE-C, SDK default checksums");
        TARGETS.put("s3proxy-enc", "s3proxy-enc, encrypted blob store, checksums WHEN_REQUIRED");
    }

    /** One round per target at {@code requests} per second (one second each). */
    private static S3RowResult row(S3Workload w, Map<String, Integer> requestsPerSecond) {
        Map<String, List<S3RowResult.Round>> rounds = new LinkedHashMap<>();
        requestsPerSecond.forEach((target, rate) -> {
            Histogram latency = new Histogram(3);
            latency.recordValue(1_000_000);
            rounds.put(target, List.of(new S3RowResult.Round(new LoadRound.Result(rate, 1_000_000_000L, latency, 1, 1), 1.0)));
        });
        return new S3RowResult(w, rounds, List.of());
    }

    private S3Report report(List<S3RowResult> rows) {
        S3RunInfo info = S3RunInfo.collect(work, work, S3Benchmark.Settings.TINY);
        info.kmsCalls.add(new S3RunInfo.KmsCalls("coffer-sse-kms", TARGETS.get("coffer-sse-kms"), 1000,
                Map.of("GenerateDataKey", 1000L), Map.of("Decrypt", 1000L)));
        info.kmsCalls.add(new S3RunInfo.KmsCalls("coffer-sse-kms-bk", TARGETS.get("coffer-sse-kms-bk"), 1000,
                Map.of("GenerateDataKey", 1L), Map.of()));
        info.finish(List.of());
        return new S3Report(info, rows, TARGETS);
    }

    @Test
    void largeObjectsHoldBothSseKmsModesAgainstSseOffAndEveryModeAgainstS3proxyEnc() {
        // 64 MiB: 10 requests/s is 671 MB/s.
        S3RowResult row = row(new S3Workload(Operation.PUT, 64 * S3Workload.MIB, 1), Map.of("coffer", 100, "coffer-sse-s3", 95,
                "coffer-sse-kms", 90, "coffer-sse-kms-bk", 80, "coffer-sse-c", 99, "s3proxy-enc", 17));
        List<String> goals = report(List.of(row)).sseGoals(row);

        assertThat(goals).containsExactly("SSE-KMS ≥ 0.85 of off: met (0.90)",
                "SSE-KMS, bucket key ≥ 0.85 of off: **not met** (0.80)",
                "≥ 5× s3proxy-enc: **not met** (SSE-KMS, bucket key 4.7×)");
    }

    @Test
    void smallObjectsHoldTheBucketKeyModeAgainstSseOff() {
        S3RowResult row = row(new S3Workload(Operation.GET, 4 * S3Workload.KIB, 16), Map.of("coffer", 1000, "coffer-sse-s3", 900,
                "coffer-sse-kms", 200, "coffer-sse-kms-bk", 850, "coffer-sse-c", 950, "s3proxy-enc", 30));
        List<String> goals = report(List.of(row)).sseGoals(row);

        assertThat(goals).containsExactly("SSE-KMS, bucket key ≥ 0.80 of off: met (0.85)",
                "≥ 5× s3proxy-enc: met (lowest 6.7×, SSE-KMS)");
    }

    @Test
    void theMarkdownShowsEachModeWithItsRatioAndTheKmsCallsPerThousand() {
        S3RowResult row = row(new S3Workload(Operation.PUT, 4 * S3Workload.KIB, 1), Map.of("coffer", 1000, "coffer-sse-s3", 900,
                "coffer-sse-kms", 200, "coffer-sse-kms-bk", 700, "coffer-sse-c", 950, "s3proxy-enc", 100));
        S3Report report = report(List.of(row));

        String markdown = report.markdown();
        assertThat(markdown).contains("## Server-side encryption")
                .contains("| PUT 4 KiB | 1 | PUT/s | 1,000 | 900 (0.90) | 200 (0.20) | 700 (0.70) | 950 (0.95) | 100 | 9.0× / 2.0× / 7.0× / 9.5× |")
                .contains("SSE-KMS, bucket key ≥ 0.80 of off: **not met** (0.70)")
                .contains("| Coffer, SSE-KMS, SDK default checksums | 1,000 | 1,000 | 0 | none | 1,000 | 0 | none |")
                .contains("| Coffer, SSE-KMS, bucket key, SDK default checksums | 1,000 | 1 | 0 | none | 0 | 0 | none |");
        assertThat(report.json()).contains("\"sseRatioToSseOff\": {\"coffer-sse-s3\": 0.9000")
                .contains("\"kmsCalls\": [{\"target\": \"coffer-sse-kms\"");
    }
}

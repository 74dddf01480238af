package dev.coffer.perf.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The S3 benchmark's harness end to end, at a size that says nothing about speed: a real Coffer
 * ({@code serve --services s3,kms} from the packaged gateway jar) driven with SSE off and with SSE-KMS
 * under a bucket key, for a few hundred milliseconds per row, every GET verified byte for byte and its
 * encryption header checked, and the KMS calls counted from the audit trail.
 */
class S3BenchmarkSseIT {
    @Test
    void aTinySseRunMeasuresVerifiesAndCountsKmsCalls() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(repo.resolve("gateway/target/coffer-gateway.jar")),
                "needs the packaged gateway (mvn verify from the root builds it first)");
        Path out = Path.of("target", "s3-bench-it").toAbsolutePath();
        Files.createDirectories(out);
        Path work = Files.createTempDirectory(out, "work");

        try {
            S3Benchmark.main(new String[] {repo.toString(), out.toString(), work.toString(), "--tiny", "--sse",
                    "--servers", "coffer,coffer-sse-kms-bk", "--only", "-4KiB-c1$", "--kms-count", "20"});
        } finally {
            // The servers' data (~130 MB of objects) is not kept.
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }

        String summary = Files.readString(out.resolve("s3-summary.md"));
        assertThat(summary).contains("## Server-side encryption")
                .contains("| PUT 4 KiB | 1 | PUT/s |")
                .contains("| GET 4 KiB | 1 | GET/s |")
                .contains("SSE-KMS, bucket key ≥ 0.80 of off: ")
                .contains("| Coffer, SSE-KMS, bucket key, SDK default checksums | 20 |")
                .contains("x-amz-server-side-encryption-bucket-key-enabled: true");
        String json = Files.readString(out.resolve("s3-results.json"));
        assertThat(json).contains("\"sseRatioToSseOff\": {\"coffer-sse-kms-bk\": ")
                .contains("\"kmsCalls\": [{\"target\": \"coffer\", \"requests\": 20, \"duringPuts\": {}, \"duringGets\": {}}");
    }
}

package dev.coffer.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jmh_summary.py}'s paired ratio and hot paths tables, as {@code scripts/bench-crypto.sh} asks for
 * them, on the fixture in {@code src/test/resources/jmh-summary}: JMH results of a crypto pair (one run of
 * ten iterations), engine reads in two codecs beside a reference without the codec parameter (one of a
 * single iteration, whose error JMH writes as the string "NaN"), SigV4 beside its HMAC chain; and
 * PairedFormatRatio's output with one row under the goal and one over it. Needs python3.
 */
class JmhSummaryTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path FIXTURE = MODULE.resolve("src/test/resources/jmh-summary");

    private static String summary(String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("python3", MODULE.resolve("src/main/python/jmh_summary.py").toString(),
                FIXTURE.resolve("jmh.json").toString(), "--pair", "streamEncrypt=rawAesGcmEncrypt",
                "--goal", "segmentSizeBytes:65536:10", "--paired", FIXTURE.resolve("paired.json").toString(),
                "--hot-package", "dev.coffer.perf.engine", "--hot-package", "dev.coffer.perf.sigv4",
                "--pair", "engineRandomRead4k=rocksGet4k", "--pair", "verifyGet=rawHmacChain",
                "--bytes", "engineRandomRead4k=4096", "--bytes", "rocksGet4k=4096"));
        command.addAll(List.of(extra));
        return run(command);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void thePairedRatioJudgesTheGoalOnItsMedianAndTheHotPathsHaveTheirOwnTable() throws Exception {
        String md = summary();
        assertThat(md).containsSubsequence("| ObjectStreamBenchmark.streamEncrypt | object 16 MiB, segment 64 KiB |",
                "the paired ratio below decides", "## Paired ratio", "a 16 MiB object; in each of 200 rounds (after 100 warm-up rounds)",
                "| encrypt | 64 KiB | 200 | 1.080 [1.050-1.110] | 1.040 | 2.50 ms | 2.70 ms | 1.070 | 1.010 | meets |",
                "| decrypt | 64 KiB | 200 | 1.120 [1.090-1.160] | 1.160 | 2.10 ms | 2.35 ms |  |  | **misses** (> 10%) |",
                "## Hot paths",
                // the reference has no codec parameter: both codecs are compared with it
                "| BlockEngineBenchmark.engineRandomRead4k | codec encrypted | 9.00 µs | 455 |  | rocksGet4k | 3.00 µs | 3.00 |",
                "| BlockEngineBenchmark.engineRandomRead4k | codec plaintext | 6.00 µs | 683 |  | rocksGet4k | 3.00 µs | 2.00 |",
                "| BlockEngineBenchmark.rocksGet4k |  | 3.00 µs | 1,365 |",
                "| SigV4VerifyBenchmark.verifyGet |  | 12.5 µs |  |  | rawHmacChain | 5.00 µs | 2.50 |");
        // hot-path rows are in their table only, not in the crypto formats' one
        assertThat(md.substring(0, md.indexOf("## Hot paths"))).doesNotContain("BlockEngineBenchmark", "SigV4VerifyBenchmark");
        assertThat(md).doesNotContain("meaningless");
    }

    @Test
    void aTinyRunSaysItsFiguresAreMeaninglessAndJudgesNoGoal() throws Exception {
        String md = summary("--tiny");
        assertThat(md).contains("The figures are meaningless; no goal is judged.",
                "| encrypt | 64 KiB | 200 | 1.080 [1.050-1.110] | 1.040 | 2.50 ms | 2.70 ms | 1.070 | 1.010 | not judged (tiny run) |");
        assertThat(md).doesNotContain("meets", "misses");
    }

    /** charts.py's crypto chart ignores the hot paths' rows: the same bars as for the crypto rows alone. */
    @Test
    void theCryptoChartIgnoresHotPathRows(@TempDir Path results) throws Exception {
        Files.copy(FIXTURE.resolve("jmh.json"), results.resolve("crypto-jmh.json"));
        String out = run(List.of("python3", MODULE.getParent().resolve("perf/charts.py").toString(), results.toString()));
        assertThat(out.lines().toList()).containsExactly("crypto.svg");
        String svg = Files.readString(results.resolve("charts/crypto.svg"));
        assertThat(svg).contains("data-panel=\"streamEncrypt\"").doesNotContain("engineRandomRead4k", "verifyGet", "rocksGet4k");
    }
}

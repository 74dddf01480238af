package dev.coffer.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness (issue 7) for real, so that it cannot silently rot: {@code scripts/bench.sh --tiny}
 * runs each suite's every path once on tiny sizes (real Coffer, real peers, real clients) into a results
 * directory of its own, and the report, its JSON and the charts come out whole. The figures mean nothing;
 * only that they are there and positive is checked. Needs what {@code scripts/install-prerequisites.sh}
 * installs (fio, nbdkit, qemu-utils, libnbd-bin, awscli, softhsm2) and the packaged perf and gateway jars,
 * which {@code mvn verify} from the root has built by the time this runs; the suites are told not to build.
 */
class BenchTinyIT {
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path ROOT = MODULE.getParent();

    /** Every suite bench.sh runs. */
    private static final List<String> SUITES = List.of("crypto", "kms", "s3", "sse", "volumes");

    private static final Map<String, String> TITLES = Map.of(
            "crypto", "## Crypto formats versus raw AES-GCM",
            "kms", "## KMS end to end",
            "s3", "## S3 end to end: Coffer versus s3proxy",
            "sse", "## S3 server-side encryption",
            "volumes", "## Volumes over NBD");
    private static final Map<String, List<String>> CHARTS = Map.of(
            "crypto", List.of("crypto.svg"),
            "kms", List.of("kms.svg"),
            "s3", List.of("s3.svg", "s3-latency.svg"),
            "sse", List.of("sse.svg", "sse-latency.svg"),
            "volumes", List.of("volumes.svg", "volumes-latency.svg"));
    /**
     * How many figures a tiny run has, where the suite's tiny mode fixes it: kms 2 HSMs x 2 operations x
     * threads 1 and 4; volumes 8 rows x 5 servers, and p50, p99 and p99.9 of the 4 random rows x 5 servers.
     */
    private static final Map<String, Integer> FIGURES = Map.of("kms", 8, "volumes", 8 * 5 + 4 * 5 * 3);

    /** Prints, for each suite named, "suite <figures> <figures not above zero>" from report.json. */
    private static final String COUNT_FIGURES = """
            import json, sys
            suites = json.load(open(sys.argv[1]))["suites"]
            for name in sys.argv[2:]:
                r = suites.get(name)
                if r is None:
                    print(name, "missing")
                    continue
                if name == "kms":
                    xs = [row["opsPerSecond"] for row in r]
                elif name == "crypto":
                    xs = [b["primaryMetric"]["score"] for b in r["jmh"]]
                    xs += [row[k] for row in r["paired"]["rows"] for k in ("ratioMedian", "rawMinNs", "formatMinNs")]
                elif name == "volumes":
                    xs = [x for row in r["rows"].values() for v in row["values"].values() for x in v]
                    xs += [x for row in r["rows"].values() for by in row.get("latency_us", {}).values()
                           for v in by.values() for x in v]
                else:
                    xs = [t["median"] for row in r["rows"] for t in row.values() if isinstance(t, dict) and "median" in t]
                print(name, len(xs), sum(1 for x in xs if not x > 0))
            """;

    @Test
    void aTinyRunOfTheSuitesWritesAWholeReport() throws Exception {
        assumeTrue(Files.isRegularFile(ROOT.resolve("gateway/target/coffer-gateway.jar"))
                        && Files.isRegularFile(MODULE.resolve("target/coffer-perf.jar")),
                "needs the packaged gateway and perf (mvn verify from the root builds them first)");
        Path results = MODULE.resolve("target/bench-tiny-it");
        delete(results);
        Path log = MODULE.resolve("target/bench-tiny-it.log");

        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/bench.sh", "--tiny", "--only", String.join(",", SUITES),
                "--results", results.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("BENCH_NO_BUILD", "1");
        Process bench = pb.start();
        bench.getOutputStream().close();
        if (!bench.waitFor(10, TimeUnit.MINUTES)) {
            bench.descendants().forEach(ProcessHandle::destroy);
            bench.destroy();
            bench.waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(bench.isAlive()).as("bench.sh --tiny finished within 10 minutes:%n%s", output).isFalse();
        assertThat(bench.exitValue()).as("bench.sh --tiny:%n%s", output).isZero();

        String md = Files.readString(results.resolve("report.md"));
        assertThat(md).startsWith("# Coffer benchmarks\n\n**A tiny run (`--tiny`)")
                .contains("- mode: tiny; suites: " + String.join(" ", SUITES))
                .doesNotContain("suite failed", "No summary");
        assertThat(md).containsSubsequence(SUITES.stream().map(TITLES::get).toList());
        for (String suite : SUITES) {
            for (String chart : CHARTS.get(suite)) {
                assertThat(md).contains("](charts/" + chart + ")");
                Path svg = results.resolve("charts").resolve(chart);
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(true);
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                assertThat(f.newDocumentBuilder().parse(svg.toFile()).getDocumentElement().getLocalName())
                        .as(chart).isEqualTo("svg");
            }
        }

        Process count = new ProcessBuilder(Stream.concat(Stream.of("python3", "-c", COUNT_FIGURES,
                results.resolve("report.json").toString()), SUITES.stream()).toList()).redirectErrorStream(true).start();
        count.getOutputStream().close();
        String counted = new String(count.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(count.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(count.exitValue()).as(counted).isZero();
        List<String> lines = counted.lines().toList();
        assertThat(lines).hasSize(SUITES.size());
        for (int i = 0; i < SUITES.size(); i++) {
            String[] fields = lines.get(i).split(" ");
            String suite = SUITES.get(i);
            assertThat(fields).as("figures of %s in report.json", suite).hasSize(3);
            assertThat(fields[0]).isEqualTo(suite);
            int figures = Integer.parseInt(fields[1]);
            if (FIGURES.containsKey(suite)) {
                assertThat(figures).as("figures of %s", suite).isEqualTo(FIGURES.get(suite));
            } else {
                assertThat(figures).as("figures of %s", suite).isPositive();
            }
            assertThat(fields[2]).as("figures of %s not above zero", suite).isEqualTo("0");
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

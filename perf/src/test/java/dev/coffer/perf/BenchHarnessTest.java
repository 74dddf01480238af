package dev.coffer.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The benchmark harness (issue 7) without running a benchmark: {@code scripts/bench.sh}'s help, plan and
 * report assembly, and {@code perf/charts.py}'s SVGs, on fixture results in {@code src/test/resources/bench}
 * shaped as {@code bench-volumes.sh}, {@code S3Report} and JMH (with {@code jmh_summary.py}) write them.
 * Needs bash and python3; no fio, qemu or benchmark run.
 */
class BenchHarnessTest {
    private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final Path ROOT = MODULE.getParent();
    private static final List<String> VOLUME_SERVERS = List.of("coffer-encrypted", "coffer-plain", "qemu-nbd-luks", "nbdkit-file");
    private static final List<String> S3_TARGETS = List.of("coffer", "coffer-when-required", "s3proxy");

    @TempDir
    Path results;

    private record Run(int exit, String output) {
    }

    @BeforeEach
    void fixtures() throws IOException {
        try (Stream<Path> files = Files.list(MODULE.resolve("src/test/resources/bench"))) {
            for (Path f : files.toList()) {
                Files.copy(f, results.resolve(f.getFileName()));
            }
        }
        // bench.sh renames bench-s3.sh --sse's output to sse-*; the shape is S3Report's either way.
        Files.copy(results.resolve("s3-results.json"), results.resolve("sse-results.json"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("finished: %s", String.join(" ", command)).isTrue();
        return new Run(p.exitValue(), out);
    }

    /** Panel id to the series of its bars, in document order (with the group, when the panel has groups). */
    private static Map<String, List<String>> bars(Path svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        Map<String, List<String>> bars = new LinkedHashMap<>();
        NodeList rects = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            if (r.getAttribute("class").equals("bar")) {
                assertThat(Double.parseDouble(r.getAttribute("height"))).as("bar height").isPositive();
                String group = r.getAttribute("data-group");
                bars.computeIfAbsent(r.getAttribute("data-panel"), k -> new ArrayList<>())
                        .add((group.isEmpty() ? "" : group + ":") + r.getAttribute("data-series"));
            }
        }
        return bars;
    }

    @Test
    void chartsHaveOneBarPerServerAndRowAndParseAsXml() throws Exception {
        Run charts = run("python3", "perf/charts.py", results.toString());
        assertThat(charts.exit()).as(charts.output()).isZero();
        assertThat(charts.output().lines().toList()).containsExactly("crypto.svg", "volumes.svg", "volumes-latency.svg",
                "s3.svg", "s3-latency.svg", "sse.svg", "sse-latency.svg");

        Path volumes = results.resolve("charts/volumes.svg");
        assertThat(bars(volumes)).containsExactly(
                Map.entry("fio-seq-write", VOLUME_SERVERS), Map.entry("rand-read-qd32", VOLUME_SERVERS));
        String svg = Files.readString(volumes);
        // the median of 166.7, 228.9 and 206.8, with a whisker per bar
        assertThat(svg).contains("data-series=\"coffer-encrypted\" data-median=\"206.8\"");
        assertThat(Pattern.compile("class=\"whisker\"").matcher(svg).results().count()).isEqualTo(8);

        // only the random row with latencies: its p50, p99 and p99.9 for each server
        assertThat(bars(results.resolve("charts/volumes-latency.svg"))).containsExactly(Map.entry("rand-read-qd32",
                Stream.of("p50", "p99", "p99.9").flatMap(p -> VOLUME_SERVERS.stream().map(s -> p + ":" + s)).toList()));
        assertThat(Files.readString(results.resolve("charts/volumes-latency.svg")))
                .contains("data-group=\"p99\" data-series=\"coffer-encrypted\" data-median=\"1531.9\"");

        // JMH's median iteration as MB/s, as jmh_summary.py's table has it: 6,529 raw and 5,186 for the format
        assertThat(bars(results.resolve("charts/crypto.svg"))).containsExactly(
                Map.entry("streamEncrypt", List.of("64 KiB:raw", "64 KiB:format")));
        assertThat(Files.readString(results.resolve("charts/crypto.svg")))
                .containsPattern("data-series=\"raw\" data-median=\"6528\\.9")
                .containsPattern("data-series=\"format\" data-median=\"5185\\.6");

        for (String name : List.of("s3.svg", "sse.svg")) {
            Map<String, List<String>> s3 = bars(results.resolve("charts").resolve(name));
            assertThat(s3).containsOnlyKeys("put-4KiB", "get-1MiB");
            assertThat(s3.get("put-4KiB")).containsExactly(Stream.of("1", "16")
                    .flatMap(c -> S3_TARGETS.stream().map(t -> c + ":" + t)).toArray(String[]::new));
            assertThat(s3.get("get-1MiB")).containsExactly(S3_TARGETS.stream().map(t -> "1:" + t).toArray(String[]::new));
        }
        // The S3 latency charts: a panel per row, p50 and p99 side by side, a bar per target.
        String[] percentiles = Stream.of("p50", "p99").flatMap(p -> S3_TARGETS.stream().map(t -> p + ":" + t)).toArray(String[]::new);
        for (String name : List.of("s3-latency.svg", "sse-latency.svg")) {
            Map<String, List<String>> latency = bars(results.resolve("charts").resolve(name));
            assertThat(latency).containsOnlyKeys("put-4KiB-c1", "put-4KiB-c16", "get-1MiB-c1");
            assertThat(latency.values()).allSatisfy(series -> assertThat(series).containsExactly(percentiles));
        }
        assertThat(Files.readString(results.resolve("charts/s3-latency.svg")))
                .contains("data-group=\"p99\" data-series=\"coffer\" data-median=\"93.061\"");
    }

    @Test
    void everySuiteScriptPrintsItsUsageOnHelpWithoutBuildingOrRunning() throws Exception {
        for (String suite : List.of("crypto", "kms", "s3", "volumes")) {
            Run help = run("bash", "scripts/bench-" + suite + ".sh", "--help");
            assertThat(help.exit()).as(help.output()).isZero();
            assertThat(help.output()).contains("Usage: scripts/bench-" + suite + ".sh")
                    .doesNotContain("bench-" + suite + ": building", "\n#");
        }
    }

    @Test
    void helpAndThePlan() throws Exception {
        Run help = run("bash", "scripts/bench.sh", "--help");
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: scripts/bench.sh", "docs/PERFORMANCE.md is curated by hand");

        Run plan = run("bash", "scripts/bench.sh", "--dry-run", "--quick", "--only", "volumes,crypto");
        assertThat(plan.exit()).as(plan.output()).isZero();
        assertThat(plan.output()).containsSubsequence("crypto: scripts/bench-crypto.sh --quick",
                "volumes: scripts/bench-volumes.sh --quick", "report.md").doesNotContain("bench-s3");

        Run tiny = run("bash", "scripts/bench.sh", "--dry-run", "--tiny", "--only", "kms,volumes", "--results", results.resolve("tiny").toString());
        assertThat(tiny.exit()).as(tiny.output()).isZero();
        assertThat(tiny.output()).containsSubsequence("plan (tiny mode)", "kms: scripts/bench-kms.sh --tiny",
                "volumes: scripts/bench-volumes.sh --tiny", results.resolve("tiny/report.md").toString());
        assertThat(run("bash", "scripts/bench.sh", "--dry-run", "--tiny", "--quick").exit()).isEqualTo(2);

        Run sse = run("bash", "scripts/bench.sh", "--dry-run", "--only", "sse");
        assertThat(sse.output()).contains("sse: scripts/bench-s3.sh --sse").doesNotContain("--quick");

        Run wrong = run("bash", "scripts/bench.sh", "--dry-run", "--only", "volumes,disks");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.output()).contains("unknown suite 'disks'");
    }

    @Test
    void reportOnlyAssemblesTheReportFromExistingResults() throws Exception {
        Run report = run("bash", "scripts/bench.sh", "--report-only", "--results", results.toString());
        assertThat(report.exit()).as(report.output()).isZero();

        String md = Files.readString(results.resolve("report.md"));
        assertThat(md).contains("- date: ", "- commit: ", "- machine: ", "- JDK: ", "- disk: ",
                "docs/PERFORMANCE.md is curated by hand");
        assertThat(md).containsSubsequence("## Crypto formats", "(charts/crypto.svg)",
                "| ObjectStreamBenchmark.streamEncrypt | object 16 MiB, segment 64 KiB |", "## S3 end to end", "![S3 end to end: Coffer versus s3proxy](charts/s3.svg)",
                "![S3 end to end: Coffer versus s3proxy: latency](charts/s3-latency.svg)",
                "| PUT 4 KiB | 16 | PUT/s | 1,774 [1,158-1,906]", "## S3 server-side encryption", "(charts/sse.svg)", "(charts/sse-latency.svg)",
                "## Volumes over NBD", "(charts/volumes.svg)", "(charts/volumes-latency.svg)", "| fio-seq-write | MiB/s | 207 [167-229] |",
                "| rand-read-qd32 | 717 / 1,532 / 2,507 |");
        Matcher links = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(md);
        int count = 0;
        while (links.find()) {
            assertThat(results.resolve(links.group(1))).as("embedded chart").isRegularFile();
            count++;
        }
        assertThat(count).isEqualTo(7);

        Run json = run("python3", "-c", "import json, sys; d = json.load(open(sys.argv[1])); "
                + "print(sorted(d), sorted(d['suites']), sorted(d['machine']), d['suites']['volumes']['rows']['fio-seq-write']['unit'])",
                results.resolve("report.json").toString());
        assertThat(json.exit()).as(json.output()).isZero();
        assertThat(json.output().strip()).isEqualTo("['branch', 'commit', 'date', 'machine', 'mode', 'suites'] ['crypto', 's3', 'sse', 'volumes'] "
                + "['cores', 'cpu', 'disk', 'jdk', 'kernel', 'load_average', 'os', 'ram'] MiB/s");
    }

    /** --publish copies the report, its JSON and its charts as a set, replacing an older published report. */
    @Test
    void publishCopiesTheReportJsonAndChartsReplacingAnOlderOne(@TempDir Path published) throws Exception {
        Files.createDirectories(published.resolve("charts"));
        Files.writeString(published.resolve("charts/old-suite.svg"), "<svg/>");
        Files.writeString(published.resolve("report.md"), "an older report");

        Run report = run("bash", "scripts/bench.sh", "--report-only", "--results", results.toString(),
                "--publish", published.toString());
        assertThat(report.exit()).as(report.output()).isZero();

        assertThat(Files.readString(published.resolve("report.md"))).isEqualTo(Files.readString(results.resolve("report.md")));
        assertThat(Files.readString(published.resolve("report.json"))).isEqualTo(Files.readString(results.resolve("report.json")));
        try (Stream<Path> charts = Files.list(published.resolve("charts"))) {
            assertThat(charts.map(c -> c.getFileName().toString()).sorted().toList()).containsExactly("crypto.svg",
                    "s3-latency.svg", "s3.svg", "sse-latency.svg", "sse.svg", "volumes-latency.svg", "volumes.svg");
        }
        // every chart the published report embeds is there, beside it
        Matcher links = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(Files.readString(published.resolve("report.md")));
        while (links.find()) {
            assertThat(published.resolve(links.group(1))).as("embedded chart").isRegularFile();
        }
    }

    /**
     * The whole run on a copy of the harness whose suite scripts are stubs that write the fixtures (and
     * one that fails): the suites run in order with --quick, bench-s3.sh --sse's files become sse-*
     * without clobbering the s3 suite's, and the failed suite is named in the report and the exit code.
     */
    @Test
    void aQuickRunOfStubSuitesRunsThemInOrderAndReportsAFailure(@TempDir Path fake) throws Exception {
        Files.createDirectories(fake.resolve("scripts"));
        Files.createDirectories(fake.resolve("perf"));
        for (String f : List.of("scripts/bench.sh", "scripts/jdk.sh", "perf/charts.py")) {
            Files.copy(ROOT.resolve(f), fake.resolve(f));
        }
        String fx = MODULE.resolve("src/test/resources/bench").toString();
        String head = "#!/usr/bin/env bash\nd=\"$(dirname \"$0\")/../perf/results\"; mkdir -p \"$d\"; echo \"$(basename \"$0\") $*\" >> \"$d/calls.txt\"\n";
        Map<String, String> stubs = Map.of(
                "bench-crypto.sh", head + "exit 3\n",
                "bench-s3.sh", head + "cp '" + fx + "/s3-results.json' \"$d/\"\n"
                        + "if [[ \" $* \" == *\" --sse \"* ]]; then echo '# SSE stub summary' > \"$d/s3-summary.md\"; "
                        + "else cp '" + fx + "/s3-summary.md' \"$d/\"; fi\n",
                "bench-volumes.sh", head + "cp '" + fx + "/volume-results.json' '" + fx + "/volume-summary.md' \"$d/\"\n");
        for (Map.Entry<String, String> e : stubs.entrySet()) {
            Path stub = Files.writeString(fake.resolve("scripts").resolve(e.getKey()), e.getValue());
            assertThat(stub.toFile().setExecutable(true)).isTrue();
        }
        Process p = new ProcessBuilder("bash", "scripts/bench.sh", "--quick", "--only", "volumes,sse,s3,crypto")
                .directory(fake.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("bench: failed: crypto (exit 3)");

        Path res = fake.resolve("perf/results");
        assertThat(Files.readAllLines(res.resolve("calls.txt"))).containsExactly(
                "bench-crypto.sh --quick", "bench-s3.sh --quick", "bench-s3.sh --quick --sse", "bench-volumes.sh --quick");
        assertThat(Files.readString(res.resolve("s3-summary.md"))).startsWith("# S3 end to end");
        assertThat(Files.readString(res.resolve("sse-summary.md"))).isEqualTo("# SSE stub summary\n");
        String md = Files.readString(res.resolve("report.md"));
        assertThat(md).contains("- **suite failed**: crypto (exit 3)", "- mode: quick; suites: crypto s3 sse volumes");
        assertThat(md).containsSubsequence("## Crypto", "*No summary from this run.*", "## S3 end to end", "(charts/s3.svg)",
                "## S3 server-side encryption", "(charts/sse.svg)", "### SSE stub summary", "## Volumes", "(charts/volumes.svg)");
        assertThat(res.resolve("charts/volumes.svg")).isRegularFile();
    }
}

package dev.coffer.perf.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.util.VersionInfo;

/** Where and when a run happened, what it ran against, and the disk figures measured during it. */
final class S3RunInfo {
    final S3Benchmark.Settings settings;
    final Instant started = Instant.now();
    final String machine;
    final String jdk = Runtime.version().toString();
    final String sdk = VersionInfo.SDK_VERSION;
    final S3Target.Client client = S3Target.clientKind;
    final String s3proxy;
    final String commit;
    final String disk;
    final double loadAverageAtStart;
    Instant finished;
    double loadAverageAtEnd;
    List<Double> diskMegabytesPerSecond = List.of();
    /** What s3proxy did with a PUT from a client with the SDK's default checksums. */
    String s3proxyWithSdkDefaults = "not probed";
    /** COFFER_ALT_JAVA_OPTS when the coffer-alt target ran. */
    String cofferAlternativeOptions;
    /** The customer managed KMS key the SSE-KMS targets use, when they ran. */
    String kmsKeyArn;
    /** How the SSE-C target reached Coffer (plain HTTP with the operator switch, or HTTPS), when it ran. */
    String sseCTransport;
    /** What was found on s3proxy-enc's disk, when it ran. */
    String s3proxyEncryption;
    /** Loopback TCP throughput (MB/s) by number of streams, measured at the start of the run. */
    final Map<Integer, Double> loopbackMegabytesPerSecond = new LinkedHashMap<>();
    /** KMS audit events counted per Coffer target over n PUTs and n GETs of 4 KiB. */
    final List<KmsCalls> kmsCalls = new ArrayList<>();

    /** The KMS audit events (event name to count) during {@code requests} PUTs, then as many GETs, of one target. */
    record KmsCalls(String target, String displayName, int requests, Map<String, Long> duringPuts, Map<String, Long> duringGets) {
        /** Events of one name per 1,000 PUTs. */
        double perThousandPuts(String event) {
            return duringPuts.getOrDefault(event, 0L) * 1000.0 / requests;
        }

        double perThousandGets(String event) {
            return duringGets.getOrDefault(event, 0L) * 1000.0 / requests;
        }

        @Override
        public String toString() {
            return target + ": " + requests + " PUTs " + duringPuts + ", " + requests + " GETs " + duringGets;
        }
    }

    /** Server name to operation to the integrity headers seen on its first request of that operation. */
    private final Map<String, Map<String, String>> integrityHeaders = new LinkedHashMap<>();

    private S3RunInfo(S3Benchmark.Settings settings, String machine, String s3proxy, String commit, String disk) {
        this.settings = settings;
        this.machine = machine;
        this.s3proxy = s3proxy;
        this.commit = commit;
        this.disk = disk;
        this.loadAverageAtStart = loadAverage();
    }

    static S3RunInfo collect(Path repo, Path work, S3Benchmark.Settings settings) {
        String cpu = run("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2");
        String memory = run("sh", "-c", "awk '/MemTotal/ {printf \"%.0f GiB\", $2/1048576}' /proc/meminfo");
        String os = run("sh", "-c", ". /etc/os-release && echo \"$PRETTY_NAME\"");
        String machine = Runtime.getRuntime().availableProcessors() + " vCPU " + cpu.trim() + ", " + memory + ", " + os
                + ", kernel " + System.getProperty("os.version");
        String commit = run("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD");
        if (!run("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no").isBlank()) {
            commit += " (with uncommitted changes)";
        }
        String disk = run("findmnt", "-n", "-o", "SOURCE,FSTYPE,OPTIONS", "-T", work.toString());
        Package s3proxyPackage = org.gaul.s3proxy.Main.class.getPackage();
        String s3proxyVersion = s3proxyPackage.getImplementationVersion() != null
                ? s3proxyPackage.getImplementationVersion() : jarVersion();
        return new S3RunInfo(settings, machine, s3proxyVersion, commit, disk.isBlank() ? work.toString() : disk + " (" + work + ")");
    }

    /** s3proxy's version from the jar it was loaded from, e.g. s3proxy-2.6.0.jar. */
    private static String jarVersion() {
        String location = org.gaul.s3proxy.Main.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        String file = location.substring(location.lastIndexOf('/') + 1);
        return file.replaceFirst("^s3proxy-", "").replaceFirst("\\.jar$", "");
    }

    void finish(List<Double> diskMegabytesPerSecond) {
        this.finished = Instant.now();
        this.loadAverageAtEnd = loadAverage();
        this.diskMegabytesPerSecond = List.copyOf(diskMegabytesPerSecond);
    }

    Map<String, Map<String, String>> integrityHeaders() {
        return integrityHeaders;
    }

    /** The median dd figure, the ceiling a durable 64 MiB PUT is held against. */
    double diskMegabytesPerSecondMedian() {
        double[] sorted = diskMegabytesPerSecond.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : S3RowResult.median(sorted);
    }

    /** The 1-minute load average (all processes on the machine, not just this run's). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("machine: " + machine);
        lines.add("started: " + started + ", finished: " + finished);
        lines.add("commit: " + commit);
        lines.add("JDK " + jdk + "; AWS SDK for Java " + sdk + " (" + client.label + "); s3proxy " + s3proxy);
        if (client == S3Target.Client.CRT) {
            lines.add("client: the CRT-based S3 client sends objects above its 8 MiB part size as multipart uploads and "
                    + "reads them with parallel ranged GETs (the Netty client: one request each); it records no integrity headers");
        }
        lines.add("data disk: " + disk);
        if (kmsKeyArn != null) {
            lines.add("SSE-KMS key: " + kmsKeyArn + " (customer managed, created at setup through KmsClient on Coffer's edge port)");
        }
        if (sseCTransport != null) {
            lines.add("SSE-C: " + sseCTransport);
        }
        if (s3proxyEncryption != null) {
            lines.add("s3proxy-enc (s3proxy.encrypted-blobstore=true): " + s3proxyEncryption);
        }
        if (cofferAlternativeOptions != null) {
            lines.add("Coffer-alt: a second Coffer with COFFER_ALT_JAVA_OPTS=" + cofferAlternativeOptions);
        }
        return lines;
    }
}

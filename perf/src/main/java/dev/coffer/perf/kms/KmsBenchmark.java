package dev.coffer.perf.kms;

import dev.coffer.kms.hsm.Hsm;
import dev.coffer.kms.hsm.Pkcs11Hsm;
import dev.coffer.kms.hsm.SoftwareHsm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/**
 * GenerateDataKey and Decrypt through the real KmsClient over HTTP against a running {@code coffer
 * serve}, beside the raw HSM operation each call costs (one per-call key derivation) measured in
 * the same run, for the software HSM and SoftHSM2 over PKCS#11. Prints a Markdown table and writes
 * it with raw numbers to the output directory.
 *
 * <p>Usage: {@code KmsBenchmark <repo root> <output dir> <seconds per row> <softhsm conf or "-">
 * <softhsm pin file or "-"> [<client thread counts, default 1,16,64>]}; the seconds may be a fraction
 * (e.g. 0.5), and each row's warm-up is 2 s or the row's time if shorter. The SoftHSM token is labelled
 * {@code coffer-bench}.
 */
public final class KmsBenchmark {
    private static final String ROOT_KEY = "COFFERBENCHROOTKEY01";
    private static final String ROOT_SECRET = "bench-root-secret-0123456789abcdefghijk";
    private static final String DEFAULT_THREADS = "1,16,64";
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Pattern KMS_LINE = Pattern.compile("kms:\\s+(http://\\S+)");

    record Row(String hsm, String operation, int threads, double opsPerSecond, double p50Micros, double p99Micros,
               double rawHsmOpsPerSecond) {
        double ratio() {
            return opsPerSecond / rawHsmOpsPerSecond;
        }
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Duration duration = Duration.ofMillis(Math.round(Double.parseDouble(args[2]) * 1000));
        String softHsmConf = args[3];
        Path pinFile = args[4].equals("-") ? null : Path.of(args[4]);
        int[] concurrency = Arrays.stream((args.length > 5 ? args[5] : DEFAULT_THREADS).split(","))
                .mapToInt(Integer::parseInt).toArray();
        if (!duration.isPositive() || concurrency.length == 0 || Arrays.stream(concurrency).anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("seconds per row and thread counts must be positive");
        }
        Duration warmUp = duration.compareTo(WARM_UP) < 0 ? duration : WARM_UP;
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("coffer-kms-bench");
        try {
            run(repo, out, work, duration, warmUp, concurrency, softHsmConf, pinFile);
        } finally {
            try (Stream<Path> files = Files.walk(work)) { // the servers' data directories are not kept
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void run(Path repo, Path out, Path work, Duration duration, Duration warmUp, int[] concurrency,
                            String softHsmConf, Path pinFile) throws Exception {
        List<Row> rows = new ArrayList<>();
        Map<String, Double> raw = new LinkedHashMap<>();
        try (Hsm hsm = SoftwareHsm.open(work.resolve("raw-software"))) {
            raw.put("software", rawDeriveRate(hsm, warmUp, duration));
        }
        if (pinFile != null) {
            try (Hsm hsm = Pkcs11Hsm.open(Path.of("/usr/lib/softhsm/libsofthsm2.so"), "coffer-bench", pinFile)) {
                raw.put("softhsm", rawDeriveRate(hsm, warmUp, duration));
            }
        }
        for (String kind : raw.keySet()) {
            List<String> hsmArgs = kind.equals("software") ? List.of("--hsm", "software")
                    : List.of("--hsm", "pkcs11", "--pkcs11-library", "/usr/lib/softhsm/libsofthsm2.so",
                    "--pkcs11-token-label", "coffer-bench", "--pkcs11-pin-file", pinFile.toString());
            Process coffer = startCoffer(repo, work.resolve("data-" + kind), hsmArgs, softHsmConf);
            try {
                URI endpoint = awaitEndpoint(coffer);
                try (KmsClient client = client(endpoint)) {
                    String keyId = client.createKey(r -> r.description("bench")).keyMetadata().keyId();
                    SdkBytes blob = client.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)).ciphertextBlob();
                    for (int threads : concurrency) {
                        rows.add(measure(kind, "GenerateDataKey", threads, warmUp, duration, raw.get(kind),
                                () -> client.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256))));
                        rows.add(measure(kind, "Decrypt", threads, warmUp, duration, raw.get(kind),
                                () -> client.decrypt(r -> r.ciphertextBlob(blob))));
                    }
                }
            } finally {
                coffer.destroy();
                coffer.waitFor(30, TimeUnit.SECONDS);
            }
        }
        String table = table(rows, raw, warmUp, duration);
        System.out.println(table);
        Files.writeString(out.resolve("kms-summary.md"), table);
        try (PrintWriter json = new PrintWriter(Files.newBufferedWriter(out.resolve("kms-results.json")))) {
            json.println("[");
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                json.printf(Locale.ROOT, "  {\"hsm\":\"%s\",\"operation\":\"%s\",\"threads\":%d,\"opsPerSecond\":%.1f,"
                                + "\"p50Micros\":%.1f,\"p99Micros\":%.1f,\"rawHsmOpsPerSecond\":%.1f}%s%n",
                        r.hsm(), r.operation(), r.threads(), r.opsPerSecond(), r.p50Micros(), r.p99Micros(),
                        r.rawHsmOpsPerSecond(), i + 1 < rows.size() ? "," : "");
            }
            json.println("]");
        }
    }

    /** The HSM work of one KMS crypto call: one per-call key derivation, on one thread. */
    static double rawDeriveRate(Hsm hsm, Duration warmUp, Duration duration) throws Exception {
        hsm.generateAesKey("bench/raw");
        byte[] input = new byte[32];
        input[0] = 1;
        input[16] = 2;
        long warmupEnd = System.nanoTime() + warmUp.toNanos();
        while (System.nanoTime() < warmupEnd) {
            hsm.deriveKey("bench/raw", input).destroy();
        }
        long count = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            hsm.deriveKey("bench/raw", input).destroy();
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    interface Call {
        void run();
    }

    static Row measure(String hsm, String operation, int threads, Duration warmUp, Duration duration, double rawRate,
                       Call call) throws InterruptedException {
        // Warm-up: calls not recorded.
        runFor(threads, warmUp, call, null, new AtomicLong());
        Recorder recorder = new Recorder(3);
        AtomicLong count = new AtomicLong();
        long start = System.nanoTime();
        runFor(threads, duration, call, recorder, count);
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram h = recorder.getIntervalHistogram();
        return new Row(hsm, operation, threads, count.get() / seconds, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, rawRate);
    }

    private static void runFor(int threads, Duration duration, Call call, Recorder recorder, AtomicLong count)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    while (!stop.get()) {
                        long s = System.nanoTime();
                        call.run();
                        if (recorder != null) {
                            recorder.recordValue(System.nanoTime() - s);
                        }
                        count.incrementAndGet();
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        done.await();
    }

    private static Process startCoffer(Path repo, Path dataDir, List<String> hsmArgs, String softHsmConf) throws IOException {
        List<String> command = new ArrayList<>(List.of(repo.resolve("coffer").toString(), "serve", "--services", "kms",
                "--data-dir", dataDir.toString(), "--http-port", "0", "--https-port", "0", "--admin-port", "0"));
        command.addAll(hsmArgs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("COFFER_ROOT_ACCESS_KEY", ROOT_KEY);
        pb.environment().put("COFFER_ROOT_SECRET_KEY", ROOT_SECRET);
        if (!softHsmConf.equals("-")) {
            pb.environment().put("SOFTHSM2_CONF", softHsmConf);
        }
        return pb.start();
    }

    private static URI awaitEndpoint(Process coffer) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(coffer.getInputStream(), StandardCharsets.UTF_8));
        URI endpoint = null;
        Instant deadline = Instant.now().plusSeconds(120);
        String line;
        while ((line = lines.readLine()) != null && Instant.now().isBefore(deadline)) {
            Matcher m = KMS_LINE.matcher(line);
            if (m.find()) {
                endpoint = URI.create(m.group(1));
            }
            if (line.startsWith("coffer: ready")) {
                // Keep draining output so the child never blocks on a full pipe.
                Thread.ofPlatform().daemon(true).start(() -> {
                    try {
                        lines.lines().forEach(l -> { });
                    } catch (UncheckedIOException e) {
                        // the stream closes when the server is stopped
                    }
                });
                return endpoint;
            }
        }
        throw new IllegalStateException("coffer serve did not become ready");
    }

    private static KmsClient client(URI endpoint) {
        return KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(ApacheHttpClient.builder().maxConnections(128).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_KEY, ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static String table(List<Row> rows, Map<String, Double> raw, Duration warmUp, Duration duration) {
        StringBuilder b = new StringBuilder();
        b.append("# KMS through KmsClient over HTTP versus the raw HSM operation\n\n");
        b.append(String.format(Locale.ROOT, "Run %s; %s s per row after %s s warm-up; client and server share this %d-core "
                + "machine. Raw HSM rate: one per-call key derivation (what each GenerateDataKey or Decrypt asks of the HSM), "
                + "one thread, in-process. Goal: at least half the raw HSM rate end to end.%n%n",
                Instant.now(), seconds(duration), seconds(warmUp), Runtime.getRuntime().availableProcessors()));
        raw.forEach((k, v) -> b.append(String.format(Locale.ROOT, "- raw HSM (%s): %,.0f derivations/s%n", k, v)));
        b.append("\n| HSM | operation | threads | ops/s | p50 µs | p99 µs | ops/s ÷ raw HSM | goal (≥ 0.5) |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %,.0f | %,.0f | %.2f | %s |%n", r.hsm(), r.operation(),
                    r.threads(), r.opsPerSecond(), r.p50Micros(), r.p99Micros(), r.ratio(), r.ratio() >= 0.5 ? "met" : "**not met**"));
        }
        return b.toString();
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private KmsBenchmark() {}
}

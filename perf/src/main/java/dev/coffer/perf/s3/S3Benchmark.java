package dev.coffer.perf.s3;

import dev.coffer.perf.s3.S3Workload.Operation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import dev.coffer.perf.s3.S3Target.ChecksumMode;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Coffer's S3 front end against s3proxy (filesystem backend), end to end through the AWS SDK v2
 * {@code S3AsyncClient}: PUT and GET of 4 KiB objects at 1, 16 and 64 requests in flight, and of
 * 1 MiB and 64 MiB objects at 1 and 16 (64 MiB: 1 and 4). Both servers run at once, each in its own
 * JVM with its data on the same disk. Three targets: Coffer with the SDK's default checksums (what an
 * application gets), Coffer and s3proxy with checksums WHEN_REQUIRED (s3proxy 2.6.0 refuses the
 * default aws-chunked trailer uploads, so this is the like-for-like pair the ratio compares). Every row
 * runs the targets in alternating short rounds (A, B, C, A, B, C, ...) so that whatever else the
 * machine is doing falls on all alike, and reports the median round with the spread. Every GET's
 * bytes are compared with what was written; one wrong byte or failed request fails the run. The
 * disk's durable write speed (dd with fdatasync) is measured in the same run: before the first row,
 * before the 64 MiB rows, after the last, and in the 64 MiB PUT rows after every round of the targets.
 *
 * <p>Usage: {@code S3Benchmark <repo root> <output dir> <work dir on the data disk> [--quick]
 * [--only REGEX] [--servers coffer,coffer-when-required,s3proxy[,coffer-alt]] [--jfr DIR]}. {@code --only}
 * keeps the rows whose id (e.g. {@code put-64MiB-c4}) matches; {@code --servers} picks the targets
 * ({@code coffer-alt} is a second Coffer started with {@code COFFER_ALT_JAVA_OPTS}, for A/B tuning
 * experiments in the same interleaved run);
 * {@code --jfr} records each server with JFR during each row's timed rounds (not the warm-up) into
 * {@code DIR/<row>-<server>.jfr}.
 */
public final class S3Benchmark {
    /** How long things run; quick keeps the whole run under ~5 minutes on 2 cores. */
    record Settings(String mode, Duration initialWarmUp, Duration rowWarmUp, int rounds, Duration round) {
        static final Settings QUICK = new Settings("quick", Duration.ofMillis(1500), Duration.ofMillis(500), 3,
                Duration.ofSeconds(1));
        static final Settings FULL = new Settings("full", Duration.ofSeconds(8), Duration.ofSeconds(3), 5,
                Duration.ofSeconds(4));
    }

    private final Settings settings;
    private final Path work;
    private final ObjectPayload payload = new ObjectPayload(64 * S3Workload.MIB);
    private final List<S3Target> targets;
    /** Which (server, size) already has its GET objects. */
    private final Map<String, Boolean> populated = new LinkedHashMap<>();

    /** Where per-row JFR recordings of the servers go; null records nothing. */
    private final Path jfrDir;

    private S3Benchmark(Settings settings, Path work, List<S3Target> targets, Path jfrDir) {
        this.settings = settings;
        this.work = work;
        this.targets = targets;
        this.jfrDir = jfrDir;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath();
        Path out = Path.of(args[1]).toAbsolutePath();
        Path work = Path.of(args[2]).toAbsolutePath();
        Settings settings = Settings.FULL;
        Pattern only = null;
        Path jfrDir = null;
        List<String> servers = List.of("coffer", "coffer-when-required", "s3proxy");
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.QUICK;
                case "--only" -> only = Pattern.compile(args[++i]);
                case "--servers" -> servers = List.of(args[++i].split(","));
                case "--jfr" -> jfrDir = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Files.createDirectories(out);
        Files.createDirectories(work);
        S3RunInfo info = S3RunInfo.collect(repo, work, settings);

        List<S3Workload> workloads = workloads(only);
        List<Double> diskMegabytesPerSecond = new ArrayList<>();
        System.err.println("bench-s3: dd (durable sequential write, 1 GiB) in " + work);
        diskMegabytesPerSecond.add(DiskWriteSpeed.measureMegabytesPerSecond(work));

        List<S3ServerProcess> processes = new ArrayList<>();
        List<S3Target> targets = new ArrayList<>();
        List<S3RowResult> rows = new ArrayList<>();
        try {
            if (servers.contains("coffer") || servers.contains("coffer-when-required")) {
                S3ServerProcess coffer = S3ServerProcess.coffer(repo, work.resolve("coffer"), S3Credentials.BENCH);
                processes.add(coffer);
                if (servers.contains("coffer")) {
                    targets.add(new S3Target("coffer", coffer, ChecksumMode.SDK_DEFAULTS, S3Credentials.BENCH));
                }
                if (servers.contains("coffer-when-required")) {
                    targets.add(new S3Target("coffer-when-required", coffer, ChecksumMode.WHEN_REQUIRED, S3Credentials.BENCH));
                }
            }
            if (servers.contains("coffer-alt")) {
                S3ServerProcess alternative = S3ServerProcess.cofferAlternative(repo, work.resolve("coffer-alt"), S3Credentials.BENCH);
                processes.add(alternative);
                targets.add(new S3Target("coffer-alt", alternative, ChecksumMode.SDK_DEFAULTS, S3Credentials.BENCH));
                info.cofferAlternativeOptions = String.valueOf(System.getenv("COFFER_ALT_JAVA_OPTS"));
            }
            if (servers.contains("s3proxy")) {
                S3ServerProcess s3proxy = S3ServerProcess.s3proxy(work.resolve("s3proxy"), work, S3Credentials.BENCH);
                processes.add(s3proxy);
                info.s3proxyWithSdkDefaults = probeSdkDefaultPut(s3proxy);
                targets.add(new S3Target("s3proxy", s3proxy, ChecksumMode.WHEN_REQUIRED, S3Credentials.BENCH));
            }
            for (S3ServerProcess p : processes) {
                System.err.println("bench-s3: " + p.name() + " at " + p.endpoint() + " (pid " + p.pid() + ")");
            }
            S3Benchmark benchmark = new S3Benchmark(settings, work, targets, jfrDir);
            benchmark.prepare();
            long lastSize = -1;
            for (S3Workload w : workloads) {
                if (w.objectBytes() == 64 * S3Workload.MIB && lastSize != w.objectBytes()) {
                    System.err.println("bench-s3: dd again before the 64 MiB rows");
                    diskMegabytesPerSecond.add(DiskWriteSpeed.measureMegabytesPerSecond(work));
                }
                lastSize = w.objectBytes();
                S3RowResult row = benchmark.runRow(w);
                rows.add(row);
                System.err.println("bench-s3: " + row.oneLine());
            }
            diskMegabytesPerSecond.add(DiskWriteSpeed.measureMegabytesPerSecond(work));
        } finally {
            for (S3Target t : targets) {
                info.integrityHeaders().put(t.displayName(), t.observedIntegrityHeaders());
                t.close();
            }
            for (S3ServerProcess p : processes) {
                p.close();
            }
        }
        Map<String, String> displayNames = new LinkedHashMap<>();
        targets.forEach(t -> displayNames.put(t.id(), t.displayName()));
        info.finish(diskMegabytesPerSecond);
        S3Report report = new S3Report(info, rows, displayNames);
        String markdown = report.markdown();
        System.out.println(markdown);
        Files.writeString(out.resolve("s3-summary.md"), markdown);
        Files.writeString(out.resolve("s3-results.json"), report.json());
    }

    /**
     * The rows, grouped by size: the PUT rows, then the GET rows over objects written just before them.
     */
    static List<S3Workload> workloads(Pattern only) {
        List<S3Workload> all = new ArrayList<>();
        Map<Long, int[]> concurrency = new LinkedHashMap<>();
        concurrency.put(4 * S3Workload.KIB, new int[] {1, 16, 64});
        concurrency.put(S3Workload.MIB, new int[] {1, 16});
        concurrency.put(64 * S3Workload.MIB, new int[] {1, 4});
        concurrency.forEach((size, levels) -> {
            for (Operation op : Operation.values()) {
                for (int c : levels) {
                    all.add(new S3Workload(op, size, c));
                }
            }
        });
        return only == null ? all : all.stream().filter(w -> only.matcher(w.id()).find()).toList();
    }

    /** How many distinct objects the GET rows of a size read, round robin. */
    private static int getObjectCount(long objectBytes) {
        return objectBytes <= 4 * S3Workload.KIB ? 1000 : objectBytes <= S3Workload.MIB ? 64 : 8;
    }

    /**
     * Whether s3proxy takes a PUT from a client with the SDK's default checksums (aws-chunked with a
     * trailing checksum): s3proxy 2.6.0 answers 400 XAmzContentSHA256Mismatch, which is why it is driven
     * with checksums WHEN_REQUIRED. Probed in every run rather than assumed.
     */
    private static String probeSdkDefaultPut(S3ServerProcess s3proxy) {
        try (S3Target probe = new S3Target("s3proxy-probe", s3proxy, ChecksumMode.SDK_DEFAULTS, S3Credentials.BENCH)) {
            probe.client().createBucket(b -> b.bucket(probe.bucket())).join();
            probe.client().putObject(b -> b.bucket(probe.bucket()).key("probe").contentLength(4096L),
                    AsyncRequestBody.fromBytes(new byte[4096])).join();
            return "accepted a 4 KiB PUT with the SDK's default checksums";
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "refuses a 4 KiB PUT with the SDK's default checksums ("
                    + (cause instanceof S3Exception s3 ? s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + ": "
                    + s3.awsErrorDetails().errorMessage() : cause.toString()) + ")";
        }
    }

    /** Creates the buckets and warms each server's JIT on small and medium PUTs and GETs. */
    private void prepare() throws Exception {
        for (S3Target t : targets) {
            t.client().createBucket(b -> b.bucket(t.bucket())).join();
        }
        for (S3Target t : targets) {
            System.err.println("bench-s3: warming up " + t.displayName());
            for (long size : new long[] {4 * S3Workload.KIB, S3Workload.MIB}) {
                populate(t, size);
                ConcurrentLinkedQueue<String> keys = new ConcurrentLinkedQueue<>();
                LoadRound.run(t.server(), 16, settings.initialWarmUp(), putRequest(t, size, "warm/" + size + "/", keys));
                deleteAll(t, keys);
                LoadRound.run(t.server(), 16, settings.initialWarmUp(), getRequest(t, size));
            }
            syncDisk();
        }
    }

    private S3RowResult runRow(S3Workload w) throws Exception {
        for (S3Target t : targets) {
            if (w.operation() == Operation.GET) {
                populate(t, w.objectBytes());
            }
            measureRound(t, w, "warm", settings.rowWarmUp());
        }
        Map<String, List<S3RowResult.Round>> rounds = new LinkedHashMap<>();
        List<S3ServerProcess> servers = targets.stream().map(S3Target::server).distinct().toList();
        if (jfrDir != null) {
            for (S3ServerProcess server : servers) {
                ServerRecording.start(server, w.id(), jfrDir);
            }
        }
        // The disk's speed drifts with whatever else writes to it: for the rows held against it, dd runs
        // in the rotation too, once after every round of the targets.
        boolean againstDisk = w.operation() == Operation.PUT && w.objectBytes() == 64 * S3Workload.MIB;
        List<Double> disk = new ArrayList<>();
        for (int r = 0; r < settings.rounds(); r++) {
            for (S3Target t : targets) {
                double load = S3RunInfo.loadAverage();
                LoadRound.Result result = measureRound(t, w, "r" + r, settings.round());
                rounds.computeIfAbsent(t.id(), k -> new ArrayList<>()).add(new S3RowResult.Round(result, load));
            }
            if (againstDisk) {
                disk.add(DiskWriteSpeed.measureMegabytesPerSecond(work));
            }
        }
        if (jfrDir != null) {
            for (S3ServerProcess server : servers) {
                ServerRecording.stop(server, w.id());
            }
        }
        return new S3RowResult(w, rounds, disk);
    }

    /**
     * One round; afterwards (untimed) the large objects it wrote are deleted and the disk is synced, so
     * that neither server's dirty pages are written back during the other's round. s3proxy does not
     * sync what it writes (jclouds' filesystem store writes and renames), Coffer does before it answers.
     */
    private LoadRound.Result measureRound(S3Target t, S3Workload w, String label, Duration duration) throws Exception {
        ConcurrentLinkedQueue<String> keys = new ConcurrentLinkedQueue<>();
        LoadRound.Request request = w.operation() == Operation.PUT
                ? putRequest(t, w.objectBytes(), "put/" + w.id() + "/" + label + "/", keys)
                : getRequest(t, w.objectBytes());
        LoadRound.Result result = LoadRound.run(t.server(), w.concurrency(), duration, request);
        if (w.objectBytes() > 4 * S3Workload.KIB) {
            deleteAll(t, keys);
        }
        syncDisk();
        return result;
    }

    private LoadRound.Request putRequest(S3Target t, long size, String prefix, ConcurrentLinkedQueue<String> keys) {
        return sequence -> {
            String key = prefix + sequence;
            ByteBuffer body = payload.object(sequence, size);
            return t.client().putObject(b -> b.bucket(t.bucket()).key(key).contentLength(size),
                    AsyncRequestBody.fromByteBufferUnsafe(body)).thenRun(() -> keys.add(key));
        };
    }

    private LoadRound.Request getRequest(S3Target t, long size) {
        int count = getObjectCount(size);
        return sequence -> {
            long index = sequence % count;
            String key = getKey(size, index);
            return t.client().getObject(b -> b.bucket(t.bucket()).key(key),
                    new VerifyingResponseTransformer(t.displayName() + " " + key, payload.object(index, size)));
        };
    }

    private static String getKey(long size, long index) {
        return "get/" + size + "/" + index;
    }

    /** Writes the objects the GET rows of this size read (once per server and size). */
    private void populate(S3Target t, long size) throws Exception {
        if (populated.putIfAbsent(t.id() + "/" + size, true) != null) {
            return;
        }
        runAll(getObjectCount(size), 8, index -> t.client().putObject(
                b -> b.bucket(t.bucket()).key(getKey(size, index)).contentLength(size),
                AsyncRequestBody.fromByteBufferUnsafe(payload.object(index, size))));
        syncDisk();
    }

    private void deleteAll(S3Target t, ConcurrentLinkedQueue<String> keys) throws Exception {
        List<String> list = List.copyOf(keys);
        runAll(list.size(), 16, i -> t.client().deleteObject(b -> b.bucket(t.bucket()).key(list.get((int) i))));
    }

    /** Runs {@code count} requests, {@code concurrency} at a time, and waits for all; any failure is thrown. */
    private static void runAll(long count, int concurrency, LongFunction<CompletableFuture<?>> request) throws Exception {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            permits.acquire();
            all.add(request.apply(i).whenComplete((r, e) -> permits.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    private void syncDisk() throws IOException, InterruptedException {
        Process sync = new ProcessBuilder("sync", "-f", work.toString()).inheritIO().start();
        if (sync.waitFor() != 0) {
            throw new IllegalStateException("sync -f " + work + " failed");
        }
    }
}

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
import dev.coffer.perf.s3.S3Target.Sse;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Coffer's S3 front end against s3proxy (filesystem backend), end to end through the AWS SDK v2
 * {@code S3AsyncClient}: PUT and GET of 4 KiB objects at 1, 16 and 64 requests in flight, and of
 * 1 MiB and 64 MiB objects at 1 and 16 (64 MiB: 1 and 4), and mixed rows of 4 KiB and 1 MiB objects at
 * 16 in flight (70% GETs of existing objects, 30% PUTs of new keys, see {@link MixedKeys}, latencies
 * of GETs and PUTs apart). Both servers run at once, each in its own
 * JVM with its data on the same disk. Three targets: Coffer with the SDK's default checksums (what an
 * application gets), Coffer and s3proxy with checksums WHEN_REQUIRED (s3proxy 2.6.0 refuses the
 * default aws-chunked trailer uploads, so this is the like-for-like pair the ratio compares). Every row
 * runs the targets in alternating short rounds (A, B, C, A, B, C, ...) so that whatever else the
 * machine is doing falls on all alike, and reports the median round with the spread. Every GET's
 * bytes are compared with what was written; one wrong byte or failed request fails the run. The
 * disk's durable write speed (dd with fdatasync) is measured in the same run: before the first row,
 * before the 64 MiB rows, after the last, and in the 64 MiB PUT rows after every round of the targets;
 * so is loopback TCP throughput with 1 and 4 streams ({@link LoopbackThroughput}), before the servers
 * start. The 64 MiB rows are reported as fractions of both.
 *
 * <p>Usage: {@code S3Benchmark <repo root> <output dir> <work dir on the data disk> [--quick | --tiny]
 * [--sse] [--kms-count N] [--client netty|crt] [--only REGEX] [--servers coffer,coffer-when-required,s3proxy[,coffer-alt]] [--jfr DIR]}
 * ({@code --quick}: 2 rounds of 1 s and fewer rows; {@code --tiny}: tests the harness, figures meaningless:
 * every row once for 0.3 s at most 4 in flight, small objects standing in for the 1 MiB and 64 MiB ones,
 * no dd, see {@link Settings#TINY}). {@code --only}
 * keeps the rows whose id (e.g. {@code put-64MiB-c4}) matches; {@code --servers} picks the targets
 * ({@code coffer-alt} is a second Coffer started with {@code COFFER_ALT_JAVA_OPTS}, for A/B tuning
 * experiments in the same interleaved run);
 * {@code --jfr} records each server with JFR during each row's timed rounds (not the warm-up) into
 * {@code DIR/<row>-<server>.jfr}.
 *
 * <p>{@code --sse} runs the server-side encryption comparison instead: the same Coffer (with its KMS)
 * driven with SSE off, SSE-S3, SSE-KMS without and with a bucket key, and SSE-C, beside s3proxy with
 * its encryption middleware ({@code s3proxy-enc}), on 4 KiB (1 and 16 in flight), 1 MiB (4) and
 * 64 MiB (1 and 4) rows; before the rows it counts the KMS calls (audit trail events) of 1,000 4 KiB
 * PUTs and 1,000 GETs per KMS-backed mode.
 */
public final class S3Benchmark {
    /**
     * How long things run and on what. {@code mediumBytes} and {@code largeBytes} are the objects the 1 MiB
     * and 64 MiB rows move (smaller only in tiny), {@code maxConcurrency} caps every row's requests in
     * flight, {@code maxGetObjects} the objects a GET row of one size reads round robin, {@code kmsCount}
     * is the default of {@code --kms-count}, {@code loopback} how long each loopback TCP measurement runs.
     * Quick keeps a plain run to ~4 minutes and an {@code --sse} run to ~5 on 2 cores: per row and target
     * 0.3 s + 2 rounds of 1 s + ~0.5 s of sync and clean-up per round, ~3.8 s; plain 12 rows x 3 targets
     * ~140 s, with --sse 8 rows x 6 targets ~180 s; plus build and start ~40 s, warm-up and objects ~5 s
     * (plain) or ~12 s (SSE) per target, dd ~2.5 s each (5 to 7 of them), loopback 2 s, KMS count ~5 s.
     */
    record Settings(String mode, Duration initialWarmUp, Duration rowWarmUp, int rounds, Duration round, boolean measureDisk,
                    Duration loopback, int kmsCount, int maxConcurrency, long mediumBytes, long largeBytes, int maxGetObjects) {
        static final Settings QUICK = new Settings("quick", Duration.ofMillis(750), Duration.ofMillis(300), 2,
                Duration.ofSeconds(1), true, Duration.ofSeconds(1), 200, Integer.MAX_VALUE, S3Workload.MIB,
                64 * S3Workload.MIB, 200);
        static final Settings FULL = new Settings("full", Duration.ofSeconds(8), Duration.ofSeconds(3), 5,
                Duration.ofSeconds(4), true, Duration.ofSeconds(2), 1000, Integer.MAX_VALUE, S3Workload.MIB,
                64 * S3Workload.MIB, Integer.MAX_VALUE);
        /**
         * For testing the harness: every row and target once, one round of 0.3 s, at most 4 in flight, 16 KiB
         * objects in the 1 MiB rows and 64 KiB in the 64 MiB rows, no dd; the figures mean nothing.
         */
        static final Settings TINY = new Settings("tiny", Duration.ofMillis(100), Duration.ofMillis(50), 1,
                Duration.ofMillis(300), false, Duration.ofMillis(200), 10, 4, 16 * S3Workload.KIB, 64 * S3Workload.KIB, 32);

        boolean tiny() {
            return mode.equals("tiny");
        }

        /** The object size a row standing for {@code nominalBytes} moves in this mode. */
        long objectBytes(long nominalBytes) {
            return nominalBytes == S3Workload.MIB ? mediumBytes : nominalBytes == 64 * S3Workload.MIB ? largeBytes : nominalBytes;
        }
    }

    /** The targets of {@code --sse}: one Coffer driven five ways, and s3proxy with its encryption middleware. */
    static final List<String> SSE_TARGETS = List.of("coffer", "coffer-sse-s3", "coffer-sse-kms", "coffer-sse-kms-bk",
            "coffer-sse-c", "s3proxy-enc");

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
        List<String> servers = null;
        boolean sse = false;
        Integer kmsCountRequests = null;
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> settings = Settings.QUICK;
                case "--tiny" -> settings = Settings.TINY;
                case "--only" -> only = Pattern.compile(args[++i]);
                case "--servers" -> servers = List.of(args[++i].split(","));
                case "--jfr" -> jfrDir = Path.of(args[++i]).toAbsolutePath();
                case "--sse" -> sse = true;
                case "--kms-count" -> kmsCountRequests = Integer.parseInt(args[++i]);
                case "--client" -> S3Target.clientKind = switch (args[++i]) {
                    case "netty" -> S3Target.Client.NETTY;
                    case "crt" -> S3Target.Client.CRT;
                    default -> throw new IllegalArgumentException("--client netty or crt, not " + args[i]);
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (kmsCountRequests == null) {
            kmsCountRequests = settings.kmsCount();
        }
        if (servers == null) {
            servers = sse ? SSE_TARGETS : List.of("coffer", "coffer-when-required", "s3proxy");
        }
        Files.createDirectories(out);
        Files.createDirectories(work);
        S3RunInfo info = S3RunInfo.collect(repo, work, settings);

        List<S3Workload> workloads = workloads(only, sse, settings);
        List<Double> diskMegabytesPerSecond = new ArrayList<>();
        if (settings.measureDisk()) {
            System.err.println("bench-s3: dd (durable sequential write, 1 GiB) in " + work);
            diskMegabytesPerSecond.add(DiskWriteSpeed.measureMegabytesPerSecond(work));
        }
        for (int streams : new int[] {1, 4}) {
            double rate = LoopbackThroughput.measureMegabytesPerSecond(streams, settings.loopback());
            info.loopbackMegabytesPerSecond.put(streams, rate);
            System.err.printf(java.util.Locale.ROOT, "bench-s3: loopback TCP, %d stream(s): %,.0f MB/s%n", streams, rate);
        }

        List<S3ServerProcess> processes = new ArrayList<>();
        List<S3Target> targets = new ArrayList<>();
        List<S3RowResult> rows = new ArrayList<>();
        try {
            if (servers.stream().anyMatch(id -> id.equals("coffer") || id.equals("coffer-when-required")
                    || id.startsWith("coffer-sse-"))) {
                S3ServerProcess coffer = S3ServerProcess.coffer(repo, work.resolve("coffer"), S3Credentials.BENCH);
                processes.add(coffer);
                if (servers.contains("coffer")) {
                    targets.add(new S3Target("coffer", coffer, ChecksumMode.SDK_DEFAULTS, S3Credentials.BENCH));
                }
                if (servers.contains("coffer-when-required")) {
                    targets.add(new S3Target("coffer-when-required", coffer, ChecksumMode.WHEN_REQUIRED, S3Credentials.BENCH));
                }
                addSseTargets(coffer, servers, targets, info);
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
            if (servers.contains("s3proxy-enc")) {
                S3ServerProcess encrypted = S3ServerProcess.s3proxyEncrypted(work.resolve("s3proxy-enc"), work, S3Credentials.BENCH);
                processes.add(encrypted);
                if (info.s3proxyWithSdkDefaults.equals("not probed")) {
                    info.s3proxyWithSdkDefaults = probeSdkDefaultPut(encrypted);
                }
                targets.add(new S3Target("s3proxy-enc", encrypted, ChecksumMode.WHEN_REQUIRED, S3Credentials.BENCH));
            }
            for (S3ServerProcess p : processes) {
                System.err.println("bench-s3: " + p.name() + " at " + p.endpoint() + " (pid " + p.pid() + ")");
            }
            S3Benchmark benchmark = new S3Benchmark(settings, work, targets, jfrDir);
            benchmark.prepare();
            benchmark.checkS3proxyEncrypts(info);
            benchmark.countKmsCalls(kmsCountRequests, info);
            long lastSize = -1;
            for (S3Workload w : workloads) {
                if (settings.measureDisk() && w.large() && lastSize != w.nominalBytes()) {
                    System.err.println("bench-s3: dd again before the 64 MiB rows");
                    diskMegabytesPerSecond.add(DiskWriteSpeed.measureMegabytesPerSecond(work));
                }
                lastSize = w.nominalBytes();
                S3RowResult row = benchmark.runRow(w);
                rows.add(row);
                System.err.println("bench-s3: " + row.oneLine());
            }
            if (settings.measureDisk()) {
                diskMegabytesPerSecond.add(DiskWriteSpeed.measureMegabytesPerSecond(work));
            }
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
     * The rows, grouped by size: the PUT rows, then the GET rows over objects written just before them,
     * then (plain mode, 4 KiB and 1 MiB) the mixed row over the same objects. Quick runs fewer concurrency
     * levels; tiny caps them at 4 (rows that then coincide run once) and moves smaller objects.
     */
    static List<S3Workload> workloads(Pattern only, boolean sse, Settings settings) {
        boolean quick = settings.mode().equals("quick");
        Map<Long, int[]> concurrency = new LinkedHashMap<>();
        if (sse) {
            // Issue 5's sizes, at fewer levels: every target runs every row, and there are six of them.
            concurrency.put(4 * S3Workload.KIB, new int[] {1, 16});
            concurrency.put(S3Workload.MIB, new int[] {4});
            concurrency.put(64 * S3Workload.MIB, quick ? new int[] {4} : new int[] {1, 4});
        } else {
            concurrency.put(4 * S3Workload.KIB, quick ? new int[] {1, 16} : new int[] {1, 16, 64});
            concurrency.put(S3Workload.MIB, quick ? new int[] {16} : new int[] {1, 16});
            concurrency.put(64 * S3Workload.MIB, new int[] {1, 4});
        }
        java.util.Set<S3Workload> all = new java.util.LinkedHashSet<>();
        concurrency.forEach((size, levels) -> {
            for (Operation op : List.of(Operation.PUT, Operation.GET)) {
                for (int c : levels) {
                    all.add(new S3Workload(op, settings.objectBytes(size), Math.min(c, settings.maxConcurrency()), size));
                }
            }
            if (!sse && size <= S3Workload.MIB) {
                all.add(new S3Workload(Operation.MIXED, settings.objectBytes(size), Math.min(16, settings.maxConcurrency()), size));
            }
        });
        return all.stream().filter(w -> only == null || only.matcher(w.id()).find()).toList();
    }

    /** How many distinct objects the GET (and mixed) rows of a size read. */
    private int getObjectCount(long objectBytes) {
        return Math.min(settings.maxGetObjects(), objectBytes <= 4 * S3Workload.KIB ? 1000 : objectBytes <= S3Workload.MIB ? 64 : 8);
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
            int inFlight = Math.min(16, settings.maxConcurrency());
            for (long size : new long[] {4 * S3Workload.KIB, settings.mediumBytes()}) {
                populate(t, size);
                ConcurrentLinkedQueue<String> keys = new ConcurrentLinkedQueue<>();
                LoadRound.run(t.server(), inFlight, settings.initialWarmUp(), putRequest(t, size, "warm/" + size + "/", keys));
                deleteAll(t, keys);
                LoadRound.run(t.server(), inFlight, settings.initialWarmUp(), getRequest(t, size));
            }
            syncDisk();
        }
    }

    private S3RowResult runRow(S3Workload w) throws Exception {
        for (S3Target t : targets) {
            if (w.operation() != Operation.PUT) {
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
        boolean againstDisk = settings.measureDisk() && w.operation() == Operation.PUT && w.large();
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
        MixedKeys mixed = null;
        LoadRound.Request request;
        if (w.operation() == Operation.PUT) {
            request = putRequest(t, w.objectBytes(), "put/" + w.id() + "/" + label + "/", keys);
        } else if (w.operation() == Operation.GET) {
            request = getRequest(t, w.objectBytes());
        } else {
            long size = w.objectBytes();
            mixed = new MixedKeys(java.util.stream.IntStream.range(0, getObjectCount(size)).mapToObj(i -> getKey(size, i)).toList(),
                    "mixed/" + w.id() + "/" + label + "/");
            request = mixedRequest(t, size, mixed);
        }
        LoadRound.Result result = LoadRound.run(t.server(), w.concurrency(), duration, request);
        if (mixed != null) {
            keys.addAll(mixed.newKeys());
        }
        if (w.objectBytes() > 4 * S3Workload.KIB) {
            deleteAll(t, keys);
        }
        syncDisk();
        return result;
    }

    private LoadRound.Request putRequest(S3Target t, long size, String prefix, ConcurrentLinkedQueue<String> keys) {
        return sequence -> {
            String key = prefix + sequence;
            return put(t, key, payload.object(sequence, size)).thenRun(() -> keys.add(key));
        };
    }

    /**
     * A mixed row's requests: 70% GETs of objects that exist (each verified byte for byte), 30% PUTs of new
     * keys that GETs may read once written (see {@link MixedKeys}); latencies kept apart as GET and PUT.
     */
    private LoadRound.Request mixedRequest(S3Target t, long size, MixedKeys keys) {
        return new LoadRound.Request() {
            @Override
            public CompletableFuture<?> start(long sequence) {
                MixedKeys.Choice c = keys.next(sequence);
                ByteBuffer object = payload.object(c.payloadIndex(), size);
                return c.put() ? put(t, c.key(), object).thenRun(() -> keys.written(c)) : get(t, c.key(), object);
            }

            @Override
            public String kind(long sequence) {
                return MixedKeys.isPut(sequence) ? "PUT" : "GET";
            }
        };
    }

    /** One PutObject with the target's encryption headers; fails if the answer shows another encryption. */
    private static CompletableFuture<Void> put(S3Target t, String key, ByteBuffer body) {
        return put(t, t.bucket(), key, body);
    }

    private static CompletableFuture<Void> put(S3Target t, String bucket, String key, ByteBuffer body) {
        long size = body.remaining();
        return t.client().putObject(b -> t.encryption(b.bucket(bucket).key(key).contentLength(size)),
                AsyncRequestBody.fromByteBufferUnsafe(body)).thenAccept(response -> {
                    String wrong = t.checkPut(response);
                    if (wrong != null) {
                        throw new IllegalStateException(key + ": " + wrong);
                    }
                });
    }

    private LoadRound.Request getRequest(S3Target t, long size) {
        int count = getObjectCount(size);
        return sequence -> {
            long index = sequence % count;
            return get(t, getKey(size, index), payload.object(index, size));
        };
    }

    /** One GetObject (with the SSE-C trio for an SSE-C target), every byte and the encryption checked. */
    private static CompletableFuture<Long> get(S3Target t, String key, ByteBuffer expected) {
        return get(t, t.bucket(), key, expected);
    }

    private static CompletableFuture<Long> get(S3Target t, String bucket, String key, ByteBuffer expected) {
        return t.client().getObject(b -> t.encryption(b.bucket(bucket).key(key)),
                new VerifyingResponseTransformer(t.displayName() + " " + key, expected, t::checkGet));
    }

    private static String getKey(long size, long index) {
        return "get/" + size + "/" + index;
    }

    /**
     * Adds the SSE targets asked for on this Coffer: a customer managed KMS key is created first (with the
     * root credentials, through the SDK's KmsClient against Coffer's edge port) for the SSE-KMS ones. SSE-C
     * goes over plain HTTP when Coffer takes it there (the operator switch); when it refuses, SSE-C goes
     * over Coffer's HTTPS port, and an SSE-off target over HTTPS ({@code coffer-https}) is added so that
     * SSE-C is compared with SSE off over the same transport.
     */
    private static void addSseTargets(S3ServerProcess coffer, List<String> servers, List<S3Target> targets, S3RunInfo info) {
        String keyArn = null;
        if (servers.contains("coffer-sse-kms") || servers.contains("coffer-sse-kms-bk")) {
            try (KmsClient kms = KmsClient.builder().endpointOverride(coffer.endpoint()).region(Region.US_EAST_1)
                    .httpClient(ApacheHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            S3Credentials.BENCH.accessKeyId(), S3Credentials.BENCH.secretAccessKey())))
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build()) {
                keyArn = kms.createKey(r -> r.description("bench-s3 SSE-KMS")).keyMetadata().arn();
            }
            info.kmsKeyArn = keyArn;
        }
        ChecksumMode defaults = ChecksumMode.SDK_DEFAULTS;
        if (servers.contains("coffer-sse-s3")) {
            targets.add(new S3Target("coffer-sse-s3", coffer, defaults, S3Credentials.BENCH, Sse.SSE_S3, null, false));
        }
        if (servers.contains("coffer-sse-kms")) {
            targets.add(new S3Target("coffer-sse-kms", coffer, defaults, S3Credentials.BENCH, Sse.SSE_KMS, keyArn, false));
        }
        if (servers.contains("coffer-sse-kms-bk")) {
            targets.add(new S3Target("coffer-sse-kms-bk", coffer, defaults, S3Credentials.BENCH, Sse.SSE_KMS_BUCKET_KEY, keyArn, false));
        }
        if (servers.contains("coffer-sse-c")) {
            String refused = probeSseCOverHttp(coffer);
            boolean https = refused != null;
            info.sseCTransport = https
                    ? "over HTTPS (Coffer's development CA), because plain HTTP answered " + refused
                            + "; SSE-C is compared with SSE off over HTTPS (coffer-https)"
                    : "over plain HTTP (" + (coffer.sseCOverHttpOption() ? S3ServerProcess.SSE_C_OVER_HTTP_OPTION + " true"
                            : "COFFER_S3_SSE_C_OVER_HTTP=true") + ")";
            if (https && (servers.contains("coffer") || servers.contains("coffer-https"))) {
                targets.add(targets.stream().anyMatch(t -> t.id().equals("coffer")) ? 1 : 0,
                        new S3Target("coffer-https", coffer, defaults, S3Credentials.BENCH, Sse.NONE, null, true));
            }
            targets.add(new S3Target("coffer-sse-c", coffer, defaults, S3Credentials.BENCH, Sse.SSE_C, null, https));
        }
    }

    /** Null when Coffer takes an SSE-C PUT over plain HTTP, else its answer (400 InvalidRequest by default). */
    private static String probeSseCOverHttp(S3ServerProcess coffer) {
        try (S3Target probe = new S3Target("sse-c-probe", coffer, ChecksumMode.SDK_DEFAULTS, S3Credentials.BENCH, Sse.SSE_C,
                null, false)) {
            probe.client().createBucket(b -> b.bucket(probe.bucket())).join();
            put(probe, "probe", ByteBuffer.wrap(new byte[4096])).join();
            return null;
        } catch (CompletionException e) {
            if (e.getCause() instanceof S3Exception s3 && s3.statusCode() == 400) {
                return s3.statusCode() + " " + s3.awsErrorDetails().errorCode();
            }
            throw e;
        }
    }

    /**
     * s3proxy's encryption middleware must really be in the path: the 4 KiB objects written for the GET
     * rows must be on its disk as {@code <key>.s3enc} files of 4 KiB plus its 64-byte trailer, holding none
     * of the plaintext. Round trips are verified by every GET.
     */
    private void checkS3proxyEncrypts(S3RunInfo info) throws IOException {
        for (S3Target t : targets) {
            if (!t.id().equals("s3proxy-enc")) {
                continue;
            }
            Path file = t.server().dataDir().resolve(t.bucket()).resolve(getKey(4 * S3Workload.KIB, 0) + ".s3enc");
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("s3proxy-enc: no encrypted blob at " + file + "; is the middleware on?");
            }
            byte[] stored = Files.readAllBytes(file);
            byte[] plain = new byte[(int) (4 * S3Workload.KIB)];
            payload.object(0, plain.length).get(plain);
            if (stored.length != plain.length + 64 || java.util.Arrays.equals(stored, 0, plain.length, plain, 0, plain.length)) {
                throw new IllegalStateException("s3proxy-enc: " + file + " holds " + stored.length + " bytes, not the ciphertext expected");
            }
            info.s3proxyEncryption = "a 4 KiB object is stored as " + file.getFileName() + " (" + stored.length
                    + " bytes: AES-CFB ciphertext and the 64-byte part trailer), not as plaintext";
        }
    }

    /**
     * KMS calls per request of each Coffer target, from outside the process: the KMS audit trail
     * ({@code <data-dir>/audit/kms}, one record per KMS call, written before the call returns) is counted
     * by event name before and after {@code n} 4 KiB PUTs, and again after {@code n} GETs of them, at 16 in
     * flight. The PUTs go to a bucket of their own, new, so that a bucket key (per bucket) or an SSE-S3
     * service data key (per bucket) is fetched within the count, as for a bucket's first 1,000 writes; the
     * server's processes and connections are warm.
     */
    private void countKmsCalls(int n, S3RunInfo info) throws Exception {
        if (targets.stream().noneMatch(t -> t.id().startsWith("coffer-sse-"))) {
            return;
        }
        for (S3Target t : targets) {
            if (n <= 0 || !(t.id().equals("coffer") || t.id().startsWith("coffer-sse-"))) {
                continue;
            }
            Path audit = t.server().dataDir().resolve("audit").resolve("kms");
            long size = 4 * S3Workload.KIB;
            String bucket = t.bucket() + "-kms-count";
            t.client().createBucket(b -> b.bucket(bucket)).join();
            Map<String, Long> before = auditEvents(audit);
            runAll(n, 16, i -> put(t, bucket, "kms-count/" + i, payload.object(i, size)));
            Map<String, Long> afterPuts = auditEvents(audit);
            runAll(n, 16, i -> get(t, bucket, "kms-count/" + i, payload.object(i, size)));
            Map<String, Long> afterGets = auditEvents(audit);
            S3RunInfo.KmsCalls calls = new S3RunInfo.KmsCalls(t.id(), t.displayName(), n, difference(before, afterPuts),
                    difference(afterPuts, afterGets));
            info.kmsCalls.add(calls);
            System.err.println("bench-s3: KMS calls, " + calls);
        }
    }

    private static final Pattern EVENT_NAME = Pattern.compile("\"eventName\":\"([A-Za-z]+)\"");

    /** Event name to count over every log file of the audit trail (errors counted apart as "error:NAME"). */
    static Map<String, Long> auditEvents(Path trail) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        if (!Files.isDirectory(trail)) {
            return counts;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(trail)) {
            files = walk.filter(f -> f.getFileName().toString().endsWith(".jsonl") && !f.toString().contains("/digests/"))
                    .toList();
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                Matcher m = EVENT_NAME.matcher(line);
                if (m.find()) {
                    String name = line.contains("\"errorCode\"") ? "error:" + m.group(1) : m.group(1);
                    counts.merge(name, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }

    /** Writes the objects the GET rows of this size read (once per server and size). */
    private void populate(S3Target t, long size) throws Exception {
        if (populated.putIfAbsent(t.id() + "/" + size, true) != null) {
            return;
        }
        runAll(getObjectCount(size), 8, index -> put(t, getKey(size, index), payload.object(index, size)));
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

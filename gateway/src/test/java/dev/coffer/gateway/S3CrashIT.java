package dev.coffer.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code coffer serve} killed with SIGKILL in the middle of concurrent single and multipart uploads,
 * then restarted on the same data directory. Every upload the gateway acknowledged must be there
 * byte for byte with its ETag; an upload in flight at the kill may be there only whole; nothing
 * else, and nothing partial, may be listed.
 */
@Timeout(120)
class S3CrashIT {
    private static final String ACCESS_KEY = "COFFERCRASHTESTKEY01";
    private static final String SECRET = "crash-test-secret-0123456789abcdefghijkl";
    private static final Pattern S3_LINE = Pattern.compile("s3: +http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String BUCKET = "crash";
    private static final int WORKERS = 4;
    private static final int KILLS = 2;
    /** Each worker cycles over its own keys, so keys are overwritten while others are written. */
    private static final int KEYS_PER_WORKER = 6;
    private static final int MIB = 1024 * 1024;
    private static final int PART_BYTES = 5 * MIB;

    @TempDir
    Path temp;

    /** One version of an object as uploaded: what a GET must return and the ETag it must carry. */
    record Version(String md5Hex, long size, String etag, boolean multipart) {
    }

    /** What happened to one key: the last acknowledged version, and versions sent after it without an answer. */
    static final class KeyHistory {
        Version acknowledged;
        final List<Version> unanswered = new ArrayList<>();

        Set<Version> acceptable() {
            Set<Version> out = new java.util.HashSet<>(unanswered);
            if (acknowledged != null) {
                out.add(acknowledged);
            }
            return out;
        }
    }

    @Test
    void everyAcknowledgedUploadSurvivesSigkillWholeAndNothingPartialIsVisible() throws Exception {
        Path data = temp.resolve("data");
        Map<String, KeyHistory> histories = new ConcurrentHashMap<>();
        Random timing = new Random(42);
        for (int round = 0; round < KILLS; round++) {
            try (CofferProcess gateway = start(data); S3Client s3 = client(endpointOf(gateway))) {
                if (round == 0) {
                    s3.createBucket(b -> b.bucket(BUCKET));
                } else {
                    verify(s3, histories);
                }
                uploadUntilKilled(gateway, s3, histories, round, timing);
            }
        }
        try (CofferProcess restarted = start(data)) {
            try (S3Client s3 = client(endpointOf(restarted))) {
                verify(s3, histories);
                // The restarted gateway takes new writes.
                s3.putObject(b -> b.bucket(BUCKET).key("after-restart"), RequestBody.fromString("alive"));
                assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("after-restart")).asUtf8String()).isEqualTo("alive");
                // Unfinished multipart uploads may remain listed (they are no objects); listing them works and they abort.
                s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().forEach(u ->
                        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key(u.key()).uploadId(u.uploadId())));
                assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
            }
            restarted.terminate();
            assertThat(restarted.awaitExit(Duration.ofSeconds(20))).as("a clean stop after recovery").isZero();
        }
    }

    /** Runs the workers until a fair amount is acknowledged, then SIGKILLs the gateway while they are mid-upload. */
    private static void uploadUntilKilled(CofferProcess gateway, S3Client s3, Map<String, KeyHistory> histories, int round,
                                          Random timing) throws InterruptedException {
        AtomicInteger acknowledgedSingle = new AtomicInteger();
        AtomicInteger acknowledgedMultipart = new AtomicInteger();
        List<Throwable> failuresBeforeKill = new CopyOnWriteArrayList<>();
        Worker[] workers = new Worker[WORKERS];
        for (int w = 0; w < WORKERS; w++) {
            workers[w] = new Worker(w, round, s3, histories, acknowledgedSingle, acknowledgedMultipart, failuresBeforeKill);
            workers[w].thread.start();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while ((acknowledgedSingle.get() < 20 || acknowledgedMultipart.get() < 2) && System.nanoTime() < deadline
                && failuresBeforeKill.isEmpty()) {
            Thread.sleep(50);
        }
        // A little later at random, so the kill lands at different points of an upload (body, commit, answer).
        Thread.sleep(timing.nextInt(400));
        for (Worker worker : workers) {
            worker.killed = true;
        }
        gateway.close(); // SIGKILL to the gateway's own JVM: CofferProcess runs java directly, there is no wrapper script
        assertThat(gateway.awaitExit(Duration.ofSeconds(10))).as("killed by SIGKILL").isEqualTo(128 + 9);
        for (Worker worker : workers) {
            worker.thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(worker.thread.isAlive()).isFalse();
        }
        assertThat(failuresBeforeKill).as("uploads before the kill succeed").isEmpty();
        assertThat(acknowledgedSingle.get()).as("single PUTs acknowledged before the kill").isPositive();
        assertThat(acknowledgedMultipart.get()).as("multipart uploads acknowledged before the kill").isPositive();
        long inFlight = histories.values().stream().filter(h -> !h.unanswered.isEmpty()).count();
        System.out.printf("S3CrashIT: kill %d after %d single and %d multipart uploads were acknowledged; %d keys in doubt%n",
                round + 1, acknowledgedSingle.get(), acknowledgedMultipart.get(), inFlight);
    }

    private static void verify(S3Client s3, Map<String, KeyHistory> histories) throws IOException {
        verifyAcknowledgedObjects(s3, histories);
        verifyListing(s3, histories);
    }

    private static void verifyAcknowledgedObjects(S3Client s3, Map<String, KeyHistory> histories) throws IOException {
        for (Map.Entry<String, KeyHistory> entry : histories.entrySet()) {
            String key = entry.getKey();
            KeyHistory history = entry.getValue();
            if (history.acknowledged == null) {
                continue; // checked with the listing: present only if whole
            }
            Version found = read(s3, key);
            assertThat(found).as("acknowledged %s (%s) after the restart", key, history.acknowledged).isNotNull();
            assertThat(history.acceptable()).as("%s is the acknowledged version or one sent after it", key).contains(found);
        }
    }

    private static void verifyListing(S3Client s3, Map<String, KeyHistory> histories) throws IOException {
        List<S3Object> listed = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).maxKeys(7)).contents().stream().toList();
        Map<String, Long> listedSizes = listed.stream().collect(Collectors.toMap(S3Object::key, S3Object::size));
        assertThat(listedSizes).as("no key listed twice").hasSize(listed.size());
        for (Map.Entry<String, KeyHistory> entry : histories.entrySet()) {
            if (entry.getValue().acknowledged != null) {
                assertThat(listedSizes).as("acknowledged key listed").containsKey(entry.getKey());
            }
        }
        for (S3Object object : listed) {
            KeyHistory history = histories.get(object.key());
            assertThat(history).as("listed key %s was uploaded", object.key()).isNotNull();
            Version found = read(s3, object.key());
            assertThat(found).as("listed key %s can be read", object.key()).isNotNull();
            assertThat(found.size()).as("listed size of %s", object.key()).isEqualTo(object.size());
            assertThat(history.acceptable()).as("listed %s is a whole uploaded version", object.key()).contains(found);
            assertThat(object.eTag()).isEqualTo(found.etag());
        }
    }

    /** GETs the whole object, hashing as it streams; null if there is no such key. */
    private static Version read(S3Client s3, String key) throws IOException {
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(BUCKET).key(key));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return null;
        }
        try (in) {
            MessageDigest md5 = md5();
            long size = 0;
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
                size += n;
            }
            GetObjectResponse response = in.response();
            assertThat(size).as("%s: the body is as long as Content-Length", key).isEqualTo(response.contentLength());
            return new Version(HexFormat.of().formatHex(md5.digest()), size, response.eTag(),
                    response.eTag().contains("-"));
        }
    }

    /** Uploads to its own keys until the gateway is killed, recording every attempt and every acknowledgement. */
    private static final class Worker implements Runnable {
        final Thread thread;
        final int id;
        final S3Client s3;
        final Map<String, KeyHistory> histories;
        final AtomicInteger acknowledgedSingle;
        final AtomicInteger acknowledgedMultipart;
        final List<Throwable> failuresBeforeKill;
        final Random random;
        volatile boolean killed;

        Worker(int id, int round, S3Client s3, Map<String, KeyHistory> histories, AtomicInteger acknowledgedSingle,
               AtomicInteger acknowledgedMultipart, List<Throwable> failuresBeforeKill) {
            this.id = id;
            this.s3 = s3;
            this.histories = histories;
            this.acknowledgedSingle = acknowledgedSingle;
            this.acknowledgedMultipart = acknowledgedMultipart;
            this.failuresBeforeKill = failuresBeforeKill;
            this.random = new Random(1000L * round + id);
            this.thread = Thread.ofPlatform().name("upload-worker-" + round + "-" + id).unstarted(this);
        }

        @Override
        public void run() {
            for (int attempt = 0; !killed; attempt++) {
                String key = "w" + id + "/k" + (attempt % KEYS_PER_WORKER);
                KeyHistory history = histories.computeIfAbsent(key, k -> new KeyHistory());
                try {
                    if (random.nextInt(5) == 0) {
                        multipart(key, history);
                    } else {
                        single(key, history);
                    }
                } catch (RuntimeException | AssertionError e) {
                    if (!killed) {
                        failuresBeforeKill.add(e);
                    }
                    return;
                }
            }
        }

        private void single(String key, KeyHistory history) {
            // Log-uniform between 4 KiB and 8 MiB: many small objects, some large ones.
            int size = (int) Math.round(4096 * Math.pow(2, random.nextDouble() * 11));
            byte[] bytes = bytes(size);
            String md5 = md5Hex(bytes);
            Version version = new Version(md5, size, "\"" + md5 + "\"", false);
            history.unanswered.add(version);
            String etag = s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes)).eTag();
            assertThat(etag).isEqualTo(version.etag());
            acknowledge(history, version);
            acknowledgedSingle.incrementAndGet();
        }

        private void multipart(String key, KeyHistory history) {
            byte[] first = bytes(PART_BYTES);
            byte[] last = bytes(4096 + random.nextInt(3 * MIB));
            MessageDigest whole = md5();
            whole.update(first);
            whole.update(last);
            MessageDigest ofParts = md5();
            ofParts.update(md5().digest(first));
            ofParts.update(md5().digest(last));
            Version version = new Version(HexFormat.of().formatHex(whole.digest()), first.length + last.length,
                    "\"" + HexFormat.of().formatHex(ofParts.digest()) + "-2\"", true);
            history.unanswered.add(version);
            String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
            String etag1 = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(first)).eTag();
            String etag2 = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2),
                    RequestBody.fromBytes(last)).eTag();
            String etag = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                            CompletedPart.builder().partNumber(2).eTag(etag2).build()))).eTag();
            assertThat(etag).isEqualTo(version.etag());
            acknowledge(history, version);
            acknowledgedMultipart.incrementAndGet();
        }

        private static void acknowledge(KeyHistory history, Version version) {
            history.acknowledged = version;
            history.unanswered.clear();
        }

        private byte[] bytes(int size) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            return bytes;
        }
    }

    private CofferProcess start(Path data) throws InterruptedException {
        CofferProcess process = CofferProcess.start(temp, Map.of("COFFER_ROOT_ACCESS_KEY", ACCESS_KEY,
                        "COFFER_ROOT_SECRET_KEY", SECRET),
                "serve", "--services", "s3", "--http-port", "0", "--https-port", "-1", "--admin-port", "0",
                "--data-dir", data.toString());
        process.awaitStdoutLine(line -> line.startsWith("coffer: ready"), START_TIMEOUT);
        return process;
    }

    private static URI endpointOf(CofferProcess process) {
        for (String line : process.stdout()) {
            Matcher m = S3_LINE.matcher(line);
            if (m.matches()) {
                return URI.create("http://127.0.0.1:" + m.group(1));
            }
        }
        throw new AssertionError("no s3 line in " + process.stdout());
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(ApacheHttpClient.builder().maxConnections(WORKERS * 2).socketTimeout(Duration.ofSeconds(30))
                        .connectionTimeout(Duration.ofSeconds(5)).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String md5Hex(byte[] bytes) {
        return HexFormat.of().formatHex(md5().digest(bytes));
    }
}

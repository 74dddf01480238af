package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.gateway.cli.CofferCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@code coffer s3 reencrypt} in-process against a real gateway (S3 and KMS on the edge port): the
 * issue's scenario (default encryption applies to new objects only, until reencrypt), resuming, a
 * prefix, SSE-S3, and objects copied in parts.
 */
class S3ReencryptIT {
    @TempDir
    static Path dataDir;
    static S3Gateway gateway;
    static S3Client s3;
    static String keyArn;

    private final Map<String, String> environment = new HashMap<>(Map.of(
            "AWS_ACCESS_KEY_ID", S3Gateway.ROOT_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Gateway.ROOT_SECRET));
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        gateway = new S3Gateway(dataDir, false, "s3,kms");
        s3 = gateway.rootS3();
        try (KmsClient kms = gateway.rootKms()) {
            keyArn = kms.createKey(r -> r.description("reencrypt test")).keyMetadata().arn();
        }
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    /** {@code coffer s3 reencrypt ARGS --endpoint-url <gateway> --data-dir <its data dir>}. */
    private int reencrypt(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> all = new ArrayList<>(List.of("s3", "reencrypt"));
        all.addAll(List.of(args));
        all.addAll(List.of("--endpoint-url", gateway.endpoint.toString(), "--data-dir", dataDir.toString()));
        return CofferCli.execute(all.toArray(String[]::new), environment, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static byte[] random(int size, int seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static void put(String bucket, String key, byte[] data) {
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(data));
    }

    private static HeadObjectResponse head(String bucket, String key) {
        return s3.headObject(r -> r.bucket(bucket).key(key));
    }

    private static byte[] get(String bucket, String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
    }

    private static void putMultipart(String bucket, String key, byte[] first, byte[] second) {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType("video/mp4")).uploadId();
        String e1 = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(id).partNumber(1), RequestBody.fromBytes(first)).eTag();
        String e2 = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(id).partNumber(2), RequestBody.fromBytes(second)).eTag();
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
    }

    private static void assertSseKms(String bucket, String key) {
        HeadObjectResponse head = head(bucket, key);
        assertThat(head.serverSideEncryption()).as(key).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).as(key).isEqualTo(keyArn);
        assertThat(head.bucketKeyEnabled()).as(key).isTrue();
    }

    private static Path stateDir() {
        return dataDir.resolve("reencrypt");
    }

    private static List<Path> stateFiles(String bucket) throws Exception {
        if (!Files.isDirectory(stateDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(stateDir())) {
            return files.filter(f -> f.getFileName().toString().startsWith("reencrypt-" + bucket + "-")).toList();
        }
    }

    @Test
    void defaultEncryptionAppliesToNewObjectsOnlyUntilReencryptThenToAll() throws Exception {
        s3.createBucket(b -> b.bucket("photos"));
        byte[] small = random(1_000, 1);
        byte[] large = random(300_000, 2);
        byte[] part1 = random(5 * 1024 * 1024, 3);
        byte[] part2 = random(10_000, 4);
        put("photos", "2019/small.jpg", small);
        put("photos", "2019/large.jpg", large);
        putMultipart("photos", "2019/movie.mp4", part1, part2);
        s3.putObject(r -> r.bucket("photos").key("2019/notes.txt").contentType("text/plain").cacheControl("max-age=60")
                .metadata(Map.of("camera", "x100")), RequestBody.fromString("notes"));

        s3.putBucketEncryption(b -> b.bucket("photos").serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(keyArn))
                .bucketKeyEnabled(true))));
        for (String old : List.of("2019/small.jpg", "2019/large.jpg", "2019/movie.mp4", "2019/notes.txt")) {
            assertThat(head("photos", old).serverSideEncryption()).as(old).isNull();
        }
        byte[] fresh = random(2_000, 5);
        put("photos", "2020/new.jpg", fresh);
        assertSseKms("photos", "2020/new.jpg");

        assertThat(reencrypt("--bucket", "photos")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("to SSE-KMS (aws:kms, key " + keyArn + ", bucket key on) from the bucket's default encryption");
        assertThat(out.toString()).startsWith("done: 4 re-encrypted").contains("1 already as asked").contains("0 failed");

        for (String key : List.of("2019/small.jpg", "2019/large.jpg", "2019/movie.mp4", "2019/notes.txt", "2020/new.jpg")) {
            assertSseKms("photos", key);
        }
        assertThat(get("photos", "2019/small.jpg")).isEqualTo(small);
        assertThat(get("photos", "2019/large.jpg")).isEqualTo(large);
        byte[] movie = get("photos", "2019/movie.mp4");
        assertThat(movie).hasSize(part1.length + part2.length);
        assertThat(java.util.Arrays.copyOfRange(movie, 0, part1.length)).isEqualTo(part1);
        assertThat(java.util.Arrays.copyOfRange(movie, part1.length, movie.length)).isEqualTo(part2);
        assertThat(get("photos", "2020/new.jpg")).isEqualTo(fresh);
        HeadObjectResponse notes = head("photos", "2019/notes.txt");
        assertThat(notes.contentType()).isEqualTo("text/plain");
        assertThat(notes.cacheControl()).isEqualTo("max-age=60");
        assertThat(notes.metadata()).containsExactly(Map.entry("camera", "x100"));
        assertThat(head("photos", "2019/movie.mp4").contentType()).isEqualTo("video/mp4");
        assertThat(stateFiles("photos")).as("a complete run leaves no state").isEmpty();

        // Again: nothing left to do, each object checked by HEAD.
        assertThat(reencrypt("--bucket", "photos")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("done: 0 re-encrypted").contains("5 already as asked");
    }

    @Test
    void aBucketWithoutDefaultEncryptionNeedsSse() {
        s3.createBucket(b -> b.bucket("nodefault"));
        put("nodefault", "a", random(10, 6));
        assertThat(reencrypt("--bucket", "nodefault")).isEqualTo(1);
        assertThat(err.toString()).contains("coffer: bucket nodefault has no default encryption: give --sse AES256 or --sse aws:kms");
        assertThat(head("nodefault", "a").serverSideEncryption()).isNull();

        assertThat(reencrypt("--bucket", "nodefault", "--sse", "aws:fsx")).isEqualTo(2);
        assertThat(err.toString()).contains("--sse: AES256 or aws:kms");
        assertThat(reencrypt("--bucket", "nodefault", "--sse", "AES256", "--sse-kms-key-id", keyArn)).isEqualTo(2);
        assertThat(reencrypt("--bucket", "missing", "--sse", "AES256")).isEqualTo(1);
        assertThat(err.toString()).contains("NoSuchBucket");
    }

    @Test
    void anInterruptedRunResumesAfterTheLastObjectDone() throws Exception {
        s3.createBucket(b -> b.bucket("resume"));
        List<String> keys = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6");
        for (int i = 0; i < keys.size(); i++) {
            put("resume", keys.get(i), random(1_000 + i, 10 + i));
        }
        assertThat(reencrypt("--bucket", "resume", "--sse", "AES256", "--max-objects", "3")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("stopped (--max-objects 3 reached): 3 re-encrypted");
        assertThat(stateFiles("resume")).hasSize(1);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(head("resume", keys.get(i)).serverSideEncryption()).as(keys.get(i))
                    .isEqualTo(i < 3 ? ServerSideEncryption.AES256 : null);
        }

        assertThat(reencrypt("--bucket", "resume", "--sse", "AES256", "--parallel", "2")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("resuming after 'k2' (3 objects done before");
        // Resumed after k2: the first three are not even looked at again.
        assertThat(out.toString()).startsWith("done: 4 re-encrypted").contains("0 already as asked");
        assertThat(stateFiles("resume")).isEmpty();
        for (int i = 0; i < keys.size(); i++) {
            assertThat(head("resume", keys.get(i)).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
            assertThat(get("resume", keys.get(i))).isEqualTo(random(1_000 + i, 10 + i));
        }

        // --restart ignores a saved position; everything is then found as asked.
        assertThat(reencrypt("--bucket", "resume", "--sse", "AES256", "--max-objects", "1")).isZero();
        assertThat(reencrypt("--bucket", "resume", "--sse", "AES256", "--restart")).as(err.toString()).isZero();
        assertThat(err.toString()).doesNotContain("resuming");
        assertThat(out.toString()).startsWith("done: 0 re-encrypted").contains("7 already as asked");
    }

    @Test
    void onlyThePrefixIsReencryptedAndForceCopiesAgain() {
        s3.createBucket(b -> b.bucket("pfx"));
        put("pfx", "x/1", random(100, 20));
        put("pfx", "x/2", random(100, 21));
        put("pfx", "y/1", random(100, 22));
        assertThat(reencrypt("--bucket", "pfx", "--prefix", "x/", "--sse", "AES256")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("done: 2 re-encrypted");
        assertThat(head("pfx", "x/1").serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(head("pfx", "x/2").serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(head("pfx", "y/1").serverSideEncryption()).isNull();

        assertThat(reencrypt("--bucket", "pfx", "--prefix", "x/", "--sse", "AES256", "--force")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("done: 2 re-encrypted");

        // From SSE-S3 to SSE-KMS under a named key: a change of mode is a re-encryption too.
        assertThat(reencrypt("--bucket", "pfx", "--sse", "aws:kms", "--sse-kms-key-id", keyArn, "--bucket-key-enabled"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("done: 3 re-encrypted");
        assertSseKms("pfx", "x/1");
        assertSseKms("pfx", "y/1");
        // The key by its bare id: the KMS on the edge port says which ARN that is, so nothing is copied again.
        String keyId = keyArn.substring(keyArn.indexOf(":key/") + 5);
        assertThat(reencrypt("--bucket", "pfx", "--sse", "aws:kms", "--sse-kms-key-id", keyId, "--bucket-key-enabled"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("done: 0 re-encrypted").contains("3 already as asked");
        // Without a bucket key the objects are not as asked.
        assertThat(reencrypt("--bucket", "pfx", "--prefix", "y/", "--sse", "aws:kms", "--sse-kms-key-id", keyId))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("done: 1 re-encrypted");
        assertThat(head("pfx", "y/1").bucketKeyEnabled()).isNotEqualTo(Boolean.TRUE);
        assertThat(head("pfx", "y/1").ssekmsKeyId()).isEqualTo(keyArn);
        assertThat(get("pfx", "y/1")).isEqualTo(random(100, 22));
    }

    @Test
    void objectsAboveTheCopyLimitAreCopiedInPartsKeepingTheirMetadata() {
        s3.createBucket(b -> b.bucket("big"));
        byte[] data = random(7 * 1024 * 1024 + 123, 30);
        s3.putObject(r -> r.bucket("big").key("huge.bin").contentType("application/x-test").metadata(Map.of("origin", "lab")),
                RequestBody.fromBytes(data));
        // The limit lowered to 6 MiB (it is 5 GiB), parts of 5 MiB: two UploadPartCopy parts.
        assertThat(reencrypt("--bucket", "big", "--sse", "aws:kms", "--sse-kms-key-id", keyArn, "--bucket-key-enabled",
                "--multipart-threshold", Integer.toString(6 * 1024 * 1024), "--part-size", Integer.toString(5 * 1024 * 1024)))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("done: 1 re-encrypted");
        assertSseKms("big", "huge.bin");
        HeadObjectResponse head = head("big", "huge.bin");
        assertThat(head.eTag()).endsWith("-2\"");
        assertThat(head.contentType()).isEqualTo("application/x-test");
        assertThat(head.metadata()).containsExactly(Map.entry("origin", "lab"));
        assertThat(get("big", "huge.bin")).isEqualTo(data);
        assertThat(s3.listMultipartUploads(r -> r.bucket("big")).uploads()).isEmpty();
    }
}

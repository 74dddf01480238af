package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncryptionType;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The SSE-C error matrix of aws-semantics.md §1.2, row by row, end to end over HTTPS: raw signed
 * requests where the SDK would not send the headers (or would fix them), the SDK for the flows
 * (multipart, key change by copy, blocked buckets). S3SseCIT covers the plain round trip, GET
 * without a key and GET with another key.
 */
class S3SseCMatrixIT {
    static final String SSE = "x-amz-server-side-encryption";
    static final String ALG = "x-amz-server-side-encryption-customer-algorithm";
    static final String KEY = "x-amz-server-side-encryption-customer-key";
    static final String MD5 = "x-amz-server-side-encryption-customer-key-MD5";

    @TempDir
    static Path dataDir;
    static S3Gateway gateway;
    static S3Client s3;
    static HandSignedS3 raw;
    static final byte[] KEY_A = key(11);
    static final byte[] KEY_B = key(12);

    @BeforeAll
    static void start() throws Exception {
        gateway = new S3Gateway(dataDir, true, "s3,kms");
        s3 = gateway.rootS3OverHttps();
        raw = gateway.rootHandSignedOverHttps();
        s3.createBucket(b -> b.bucket("mtx"));
        allowSseC("mtx");
        s3.putObject(r -> r.bucket("mtx").key("c").sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY_A))
                .sseCustomerKeyMD5(md5(KEY_A)), RequestBody.fromString("customer keyed"));
        s3.putObject(r -> r.bucket("mtx").key("s3obj").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString("sse-s3"));
        s3.putObject(r -> r.bucket("mtx").key("kmsobj").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("sse-kms"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        gateway.close();
    }

    /** SSE-S3 default with SSE-C allowed (BlockedEncryptionTypes NONE), whatever the bucket's starting state. */
    static void allowSseC(String bucket) {
        s3.putBucketEncryption(r -> r.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                .blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.NONE)))));
    }

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return k;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static String md5(byte[] b) {
        try {
            return b64(MessageDigest.getInstance("MD5").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The three SSE-C headers for this key. */
    static Consumer<HandSignedS3.Call> trio(byte[] k) {
        return c -> c.header(ALG, "AES256").header(KEY, b64(k)).header(MD5, md5(k));
    }

    static HandSignedS3.Answer send(String method, String target, Consumer<HandSignedS3.Call> headers) {
        HandSignedS3.Call call = raw.request(method, target);
        headers.accept(call);
        if (method.equals("PUT")) {
            call.body("x");
        }
        return call.send();
    }

    static void assertError(HandSignedS3.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.errorCode()).as(answer.toString()).isEqualTo(code);
    }

    static void assertSdkError(Runnable call, int status, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
            if (code != null) {
                assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
            }
        });
    }

    @Test
    void readsOfAnSseCObjectWithoutTheKeyOrWithAnotherKey() {
        HandSignedS3.Answer get = send("GET", "/mtx/c", c -> { });
        assertError(get, 400, "InvalidRequest");
        assertThat(get.element("Message")).isEqualTo("The object was stored using a form of Server Side Encryption. "
                + "The correct parameters must be provided to retrieve the object.");

        HandSignedS3.Answer head = send("HEAD", "/mtx/c", c -> { });
        assertThat(head.status()).isEqualTo(400);
        assertThat(head.body()).isEmpty();

        HandSignedS3.Answer headOther = send("HEAD", "/mtx/c", trio(KEY_B));
        assertThat(headOther.status()).isEqualTo(403);
        assertThat(headOther.body()).isEmpty();
        assertError(send("GET", "/mtx/c", trio(KEY_B)), 403, "AccessDenied");

        HandSignedS3.Answer right = send("GET", "/mtx/c", trio(KEY_A));
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.body()).isEqualTo("customer keyed");
        assertThat(right.header(ALG)).isEqualTo("AES256");
        assertThat(right.header(MD5)).isEqualTo(md5(KEY_A));
        assertThat(right.header(KEY)).isNull();
        HandSignedS3.Answer headRight = send("HEAD", "/mtx/c", trio(KEY_A));
        assertThat(headRight.status()).isEqualTo(200);
        assertThat(headRight.header(MD5)).isEqualTo(md5(KEY_A));
    }

    @Test
    void malformedTriosAreRefusedOnWritesAndReads() {
        String keyA = b64(KEY_A);
        for (String method : List.of("PUT", "GET")) {
            String target = method.equals("PUT") ? "/mtx/new" : "/mtx/c";
            // key-MD5 does not match the key (also: MD5 of the base64 text instead of the raw bytes)
            assertError(send(method, target, c -> c.header(ALG, "AES256").header(KEY, keyA).header(MD5, md5(KEY_B))),
                    400, "InvalidArgument");
            assertError(send(method, target, c -> c.header(ALG, "AES256").header(KEY, keyA)
                    .header(MD5, md5(keyA.getBytes(StandardCharsets.US_ASCII)))), 400, "InvalidArgument");
            // key-MD5 missing
            HandSignedS3.Answer noMd5 = send(method, target, c -> c.header(ALG, "AES256").header(KEY, keyA));
            assertError(noMd5, 400, "InvalidArgument");
            assertThat(noMd5.element("Message")).contains("must provide the client calculated MD5 of the secret key");
            // algorithm missing
            HandSignedS3.Answer noAlg = send(method, target, c -> c.header(KEY, keyA).header(MD5, md5(KEY_A)));
            assertError(noAlg, 400, "InvalidArgument");
            assertThat(noAlg.element("Message")).contains("must provide a valid encryption algorithm");
            // key missing
            HandSignedS3.Answer noKey = send(method, target, c -> c.header(ALG, "AES256").header(MD5, md5(KEY_A)));
            assertError(noKey, 400, "InvalidArgument");
            assertThat(noKey.element("Message")).contains("must provide an appropriate secret key");
            // algorithm other than AES256
            for (String algorithm : List.of("aws:kms", "aes256", "AES128")) {
                HandSignedS3.Answer bad = send(method, target, c -> c.header(ALG, algorithm).header(KEY, keyA)
                        .header(MD5, md5(KEY_A)));
                assertError(bad, 400, "InvalidEncryptionAlgorithmError");
            }
            // a 31-byte key (with its own correct MD5), a 33-byte key, and a key that is not base64
            byte[] short31 = Arrays.copyOf(KEY_A, 31);
            byte[] long33 = Arrays.copyOf(KEY_A, 33);
            assertError(send(method, target, trio(short31)), 400, "InvalidArgument");
            assertError(send(method, target, trio(long33)), 400, "InvalidArgument");
            HandSignedS3.Answer notBase64 = send(method, target, c -> c.header(ALG, "AES256").header(KEY, "not*base64!")
                    .header(MD5, md5(KEY_A)));
            assertError(notBase64, 400, "InvalidArgument");
            assertThat(notBase64.element("Message")).isEqualTo("The secret key was invalid for the specified algorithm.");
            // no error document ever echoes the key
            assertThat(notBase64.body()).doesNotContain(keyA);
        }
        assertThat(s3.listObjectsV2(r -> r.bucket("mtx").prefix("new")).contents()).isEmpty();
    }

    @Test
    void sseCOverPlainHttpIsRefusedBeforeAnythingElse() {
        HandSignedS3 plain = new HandSignedS3(gateway.endpoint, S3Gateway.ROOT_ACCESS_KEY, S3Gateway.ROOT_SECRET);
        for (String method : List.of("PUT", "GET", "HEAD")) {
            HandSignedS3.Call call = plain.request(method, method.equals("PUT") ? "/mtx/over-http" : "/mtx/c");
            trio(KEY_A).accept(call);
            if (method.equals("PUT")) {
                call.body("x");
            }
            HandSignedS3.Answer answer = call.send();
            if (method.equals("HEAD")) {
                assertThat(answer.status()).isEqualTo(400);
            } else {
                assertError(answer, 400, "InvalidRequest");
                assertThat(answer.element("Message")).isEqualTo("Requests specifying Server Side Encryption with Customer "
                        + "provided keys must be made over a secure connection.");
            }
        }
        // Even a malformed trio is refused for the transport first: the key was sent in the clear.
        HandSignedS3.Call broken = plain.request("PUT", "/mtx/over-http").header(ALG, "AES128").header(KEY, "x").body("x");
        assertError(broken.send(), 400, "InvalidRequest");
        assertThat(s3.listObjectsV2(r -> r.bucket("mtx").prefix("over-http")).contents()).isEmpty();
    }

    @Test
    void sseCHeadersForAnObjectThatIsNotSseCAreRefused() {
        for (String key : List.of("s3obj", "kmsobj")) {
            HandSignedS3.Answer get = send("GET", "/mtx/" + key, trio(KEY_A));
            assertError(get, 400, "InvalidRequest");
            assertThat(get.element("Message")).isEqualTo("The encryption parameters are not applicable to this object.");
        }
        // HEAD is refused the same way (no body): the §1.2 row names no operation, and MinIO's
        // DecryptObjectInfo refuses SSE-C headers for a non-SSE-C object on HEAD as on GET.
        for (String key : List.of("s3obj", "kmsobj")) {
            HandSignedS3.Answer head = send("HEAD", "/mtx/" + key, trio(KEY_A));
            assertThat(head.status()).as("HEAD %s with SSE-C headers", key).isEqualTo(400);
        }
    }

    @Test
    void sseCTogetherWithServerSideEncryptionIsRefused() {
        for (String method : List.of("AES256", "aws:kms")) {
            HandSignedS3.Answer answer = send("PUT", "/mtx/conflict", c -> trio(KEY_A).accept(c.header(SSE, method)));
            assertError(answer, 400, "InvalidArgument");
            assertThat(answer.element("Message"))
                    .isEqualTo("Server Side Encryption with Customer provided key is incompatible with the encryption method specified");
        }
        // On a read, x-amz-server-side-encryption is refused whatever else comes with it.
        assertError(send("GET", "/mtx/c", c -> trio(KEY_A).accept(c.header(SSE, "AES256"))), 400, "InvalidArgument");
    }

    @Test
    void multipartWithSseCNeedsTheUploadsKeyOnEveryPart() {
        byte[] data = new byte[5 * 1024 * 1024 + 4321];
        new Random(5).nextBytes(data);
        var created = s3.createMultipartUpload(r -> r.bucket("mtx").key("mp").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_A)));
        assertThat(created.sseCustomerAlgorithm()).isEqualTo("AES256");
        assertThat(created.sseCustomerKeyMD5()).isEqualTo(md5(KEY_A));
        String id = created.uploadId();
        byte[] part1 = Arrays.copyOf(data, 5 * 1024 * 1024);
        byte[] part2 = Arrays.copyOfRange(data, 5 * 1024 * 1024, data.length);

        assertSdkError(() -> s3.uploadPart(r -> r.bucket("mtx").key("mp").uploadId(id).partNumber(1),
                RequestBody.fromBytes(part1)), 400, "InvalidRequest");
        assertSdkError(() -> s3.uploadPart(r -> r.bucket("mtx").key("mp").uploadId(id).partNumber(1).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_B)).sseCustomerKeyMD5(md5(KEY_B)), RequestBody.fromBytes(part1)), 400, "InvalidRequest");
        assertSdkError(() -> s3.uploadPart(r -> r.bucket("mtx").key("mp").uploadId(id).partNumber(1).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_B)), RequestBody.fromBytes(part1)), 400, "InvalidArgument");
        // x-amz-server-side-encryption is not an UploadPart header
        HandSignedS3.Answer withSse = raw.request("PUT", "/mtx/mp?partNumber=1&uploadId=" + id)
                .header(SSE, "AES256").body("x").send();
        assertError(withSse, 400, "InvalidArgument");

        List<CompletedPart> parts = new ArrayList<>();
        byte[][] bodies = {part1, part2};
        for (int n = 1; n <= 2; n++) {
            int number = n;
            var up = s3.uploadPart(r -> r.bucket("mtx").key("mp").uploadId(id).partNumber(number).sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_A)), RequestBody.fromBytes(bodies[number - 1]));
            assertThat(up.sseCustomerAlgorithm()).isEqualTo("AES256");
            assertThat(up.sseCustomerKeyMD5()).isEqualTo(md5(KEY_A));
            parts.add(CompletedPart.builder().partNumber(number).eTag(up.eTag()).build());
        }
        var done = s3.completeMultipartUpload(r -> r.bucket("mtx").key("mp").uploadId(id).multipartUpload(m -> m.parts(parts)));
        assertThat(done.eTag()).matches("\"[0-9a-f]{32}-2\"");

        assertSdkError(() -> s3.getObjectAsBytes(r -> r.bucket("mtx").key("mp")), 400, "InvalidRequest");
        assertSdkError(() -> s3.getObjectAsBytes(r -> r.bucket("mtx").key("mp").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_B)).sseCustomerKeyMD5(md5(KEY_B))), 403, "AccessDenied");
        byte[] back = s3.getObjectAsBytes(r -> r.bucket("mtx").key("mp").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_A))).asByteArray();
        assertThat(back).isEqualTo(data);
        byte[] second = s3.getObjectAsBytes(r -> r.bucket("mtx").key("mp").partNumber(2).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_A))).asByteArray();
        assertThat(second).isEqualTo(part2);
    }

    @Test
    void copyChangesTheKeyAndTheOldKeyNoLongerReads() throws Exception {
        byte[] data = new byte[200_000];
        new Random(9).nextBytes(data);
        s3.putObject(r -> r.bucket("mtx").key("rekey").sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY_A))
                .sseCustomerKeyMD5(md5(KEY_A)), RequestBody.fromBytes(data));

        // An SSE-C source without the copy-source trio cannot be read, whatever the destination.
        assertSdkError(() -> s3.copyObject(r -> r.sourceBucket("mtx").sourceKey("rekey").destinationBucket("mtx").destinationKey("x")),
                400, null);
        assertSdkError(() -> s3.copyObject(r -> r.sourceBucket("mtx").sourceKey("rekey").destinationBucket("mtx").destinationKey("x")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY_B)).sseCustomerKeyMD5(md5(KEY_B))), 400, null);
        // The wrong copy-source key is refused as a wrong key.
        assertSdkError(() -> s3.copyObject(r -> r.sourceBucket("mtx").sourceKey("rekey").destinationBucket("mtx").destinationKey("x")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(b64(KEY_B))
                .copySourceSSECustomerKeyMD5(md5(KEY_B))), 403, "AccessDenied");
        assertThat(s3.listObjectsV2(r -> r.bucket("mtx").prefix("x")).contents()).isEmpty();

        // In place, key A -> key B: legal because the encryption changes.
        var copied = s3.copyObject(r -> r.sourceBucket("mtx").sourceKey("rekey").destinationBucket("mtx").destinationKey("rekey")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(b64(KEY_A)).copySourceSSECustomerKeyMD5(md5(KEY_A))
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY_B)).sseCustomerKeyMD5(md5(KEY_B)));
        assertThat(copied.sseCustomerAlgorithm()).isEqualTo("AES256");
        assertThat(copied.sseCustomerKeyMD5()).isEqualTo(md5(KEY_B));
        assertThat(copied.copyObjectResult().eTag()).isNotEqualTo("\"" + HexFormat.of().formatHex(
                MessageDigest.getInstance("MD5").digest(data)) + "\"");

        assertSdkError(() -> s3.getObjectAsBytes(r -> r.bucket("mtx").key("rekey").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_A))), 403, "AccessDenied");
        assertThat(s3.getObjectAsBytes(r -> r.bucket("mtx").key("rekey").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_B)).sseCustomerKeyMD5(md5(KEY_B))).asByteArray()).isEqualTo(data);

        // SSE-C -> SSE-KMS copy, then the result is read without any key.
        s3.copyObject(r -> r.sourceBucket("mtx").sourceKey("rekey").destinationBucket("mtx").destinationKey("rekey-kms")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(b64(KEY_B)).copySourceSSECustomerKeyMD5(md5(KEY_B))
                .serverSideEncryption(ServerSideEncryption.AWS_KMS));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("mtx").key("rekey-kms")).asByteArray()).isEqualTo(data);
        // copy-source SSE-C headers for a source that is not SSE-C
        assertSdkError(() -> s3.copyObject(r -> r.sourceBucket("mtx").sourceKey("rekey-kms").destinationBucket("mtx")
                .destinationKey("y").copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(b64(KEY_B))
                .copySourceSSECustomerKeyMD5(md5(KEY_B))), 400, "InvalidRequest");
    }

    @Test
    void aBucketThatBlocksSseCRefusesSseCWritesButStillServesItsSseCObjects() {
        s3.createBucket(b -> b.bucket("blk"));
        allowSseC("blk");
        s3.putObject(r -> r.bucket("blk").key("old").sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY_A))
                .sseCustomerKeyMD5(md5(KEY_A)), RequestBody.fromString("written before the block"));
        s3.putBucketEncryption(r -> r.bucket("blk").serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                .blockedEncryptionTypes(t -> t.encryptionType(EncryptionType.SSE_C)))));

        assertSdkError(() -> s3.putObject(r -> r.bucket("blk").key("new").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_A)), RequestBody.fromString("x")), 403, "AccessDenied");
        assertSdkError(() -> s3.createMultipartUpload(r -> r.bucket("blk").key("new").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_A))), 403, "AccessDenied");
        assertSdkError(() -> s3.copyObject(r -> r.sourceBucket("blk").sourceKey("old").destinationBucket("blk").destinationKey("new")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(b64(KEY_A)).copySourceSSECustomerKeyMD5(md5(KEY_A))
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY_B)).sseCustomerKeyMD5(md5(KEY_B))), 403, "AccessDenied");
        assertThat(s3.listObjectsV2(r -> r.bucket("blk").prefix("new")).contents()).isEmpty();

        assertThat(s3.getObjectAsBytes(r -> r.bucket("blk").key("old").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_A))).asUtf8String()).isEqualTo("written before the block");
        assertThat(s3.headObject(r -> r.bucket("blk").key("old").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY_A)).sseCustomerKeyMD5(md5(KEY_A))).sseCustomerAlgorithm()).isEqualTo("AES256");
        // Reading an SSE-C source to copy it out under another mode is still allowed.
        s3.copyObject(r -> r.sourceBucket("blk").sourceKey("old").destinationBucket("blk").destinationKey("out")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(b64(KEY_A)).copySourceSSECustomerKeyMD5(md5(KEY_A)));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("blk").key("out")).asUtf8String()).isEqualTo("written before the block");
        assertThat(s3.headObject(r -> r.bucket("blk").key("out")).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    }
}

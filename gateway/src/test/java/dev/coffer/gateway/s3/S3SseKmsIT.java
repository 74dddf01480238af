package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** SSE-S3 and SSE-KMS through the AWS SDK v2 over HTTPS against a real gateway with its KMS. */
class S3SseKmsIT {
    @TempDir
    static Path dataDir;
    static S3Gateway gateway;
    static S3Client s3;
    static KmsClient kms;
    static String keyArn;

    @BeforeAll
    static void start() throws Exception {
        gateway = new S3Gateway(dataDir, true, "s3,kms");
        s3 = gateway.rootS3OverHttps();
        kms = gateway.rootKms();
        keyArn = kms.createKey(r -> r.description("sse test")).keyMetadata().arn();
        s3.createBucket(b -> b.bucket("sse"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        kms.close();
        gateway.close();
    }

    static byte[] random(int size, int seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static String md5Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void sseS3RoundTripsWithTheMd5ETag() throws Exception {
        byte[] data = random(200_000, 1);
        PutObjectResponse put = s3.putObject(r -> r.bucket("sse").key("s3").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(data));
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(put.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket("sse").key("s3"));
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(s3.headObject(r -> r.bucket("sse").key("s3")).contentLength()).isEqualTo(data.length);
    }

    @Test
    void sseKmsUnderANamedKeyWithContextAndRanges() throws Exception {
        byte[] data = random(1_000_000, 2);
        String context = Base64.getEncoder().encodeToString("{\"team\":\"blue\"}".getBytes(StandardCharsets.UTF_8));
        PutObjectResponse put = s3.putObject(r -> r.bucket("sse").key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(keyArn).ssekmsEncryptionContext(context), RequestBody.fromBytes(data));
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(put.ssekmsKeyId()).isEqualTo(keyArn);
        assertThat(put.eTag()).isNotEqualTo("\"" + md5Hex(data) + "\"");
        String returned = new String(Base64.getDecoder().decode(put.ssekmsEncryptionContext()), StandardCharsets.UTF_8);
        assertThat(returned).contains("\"team\":\"blue\"").contains("\"aws:s3:arn\":\"arn:aws:s3:::sse/kms\"");

        ResponseBytes<GetObjectResponse> range = s3.getObjectAsBytes(r -> r.bucket("sse").key("kms").range("bytes=100000-700000"));
        assertThat(range.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(data, 100_000, 700_001));
        HeadObjectResponse head = s3.headObject(r -> r.bucket("sse").key("kms"));
        assertThat(head.ssekmsKeyId()).isEqualTo(keyArn);
        assertThat(head.contentLength()).isEqualTo(data.length);
    }

    @Test
    void sseKmsWithoutAKeyUsesAwsS3AndBucketKeysCutKmsCalls() {
        PutObjectResponse put = s3.putObject(r -> r.bucket("sse").key("default").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                RequestBody.fromString("x"));
        String awsS3 = kms.describeKey(r -> r.keyId("alias/aws/s3")).keyMetadata().arn();
        assertThat(put.ssekmsKeyId()).isEqualTo(awsS3);

        long before = gateway.gateway.s3ObjectKeys().orElseThrow().kmsGenerateCalls();
        for (int i = 0; i < 20; i++) {
            String key = "bk/" + i;
            PutObjectResponse r = s3.putObject(b -> b.bucket("sse").key(key).serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyArn).bucketKeyEnabled(true), RequestBody.fromString("object " + i));
            assertThat(r.bucketKeyEnabled()).isTrue();
        }
        long generated = gateway.gateway.s3ObjectKeys().orElseThrow().kmsGenerateCalls() - before;
        assertThat(generated).isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            String key = "bk/" + i;
            assertThat(s3.getObjectAsBytes(b -> b.bucket("sse").key(key)).asUtf8String()).isEqualTo("object " + i);
        }
    }

    @Test
    void multipartUnderSseKmsEachPartItsOwnStream() throws Exception {
        byte[] data = random(11 * 1024 * 1024 + 5, 3);
        String id = s3.createMultipartUpload(r -> r.bucket("sse").key("mp").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(keyArn)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int partSize = 5 * 1024 * 1024;
        for (int n = 1, off = 0; off < data.length; n++, off += partSize) {
            int len = Math.min(partSize, data.length - off);
            int number = n;
            byte[] part = java.util.Arrays.copyOfRange(data, off, off + len);
            String etag = s3.uploadPart(r -> r.bucket("sse").key("mp").uploadId(id).partNumber(number),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        var done = s3.completeMultipartUpload(r -> r.bucket("sse").key("mp").uploadId(id).multipartUpload(m -> m.parts(parts)));
        assertThat(done.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("sse").key("mp")).asByteArray()).isEqualTo(data);
        byte[] across = s3.getObjectAsBytes(r -> r.bucket("sse").key("mp").range("bytes=5242000-5243000")).asByteArray();
        assertThat(across).isEqualTo(java.util.Arrays.copyOfRange(data, 5_242_000, 5_243_001));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("sse").key("mp").partNumber(2)).asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(data, partSize, 2 * partSize));
    }

    @Test
    void copiesBetweenModes() {
        s3.putObject(r -> r.bucket("sse").key("plain"), RequestBody.fromString("hello copies"));
        var toKms = s3.copyObject(r -> r.sourceBucket("sse").sourceKey("plain").destinationBucket("sse").destinationKey("plain")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(keyArn));
        assertThat(toKms.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(s3.headObject(r -> r.bucket("sse").key("plain")).ssekmsKeyId()).isEqualTo(keyArn);
        s3.copyObject(r -> r.sourceBucket("sse").sourceKey("plain").destinationBucket("sse").destinationKey("as-s3")
                .serverSideEncryption(ServerSideEncryption.AES256));
        assertThat(s3.headObject(r -> r.bucket("sse").key("as-s3")).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("sse").key("as-s3")).asUtf8String()).isEqualTo("hello copies");
        s3.copyObject(r -> r.sourceBucket("sse").sourceKey("as-s3").destinationBucket("sse").destinationKey("back-to-plain"));
        assertThat(s3.headObject(r -> r.bucket("sse").key("back-to-plain")).serverSideEncryption()).isNull();
        assertThat(s3.getObjectAsBytes(r -> r.bucket("sse").key("back-to-plain")).asUtf8String()).isEqualTo("hello copies");
    }

    @Test
    void aUserWithS3ButNoKmsPermissionIsDeniedAndADisabledKeyFailsUntilReEnabled() throws Exception {
        s3.putObject(r -> r.bucket("sse").key("guarded").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(keyArn),
                RequestBody.fromString("guarded"));
        S3Gateway.User user = gateway.createUser("s3only", Map.of("s3", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"""));
        try (S3Client userS3 = gateway.s3OverHttps(user)) {
            assertThatThrownBy(() -> userS3.getObjectAsBytes(r -> r.bucket("sse").key("guarded")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
            assertThatThrownBy(() -> userS3.putObject(r -> r.bucket("sse").key("u").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyArn), RequestBody.fromString("u")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
            s3.putObject(r -> r.bucket("sse").key("open"), RequestBody.fromString("open"));
            assertThat(userS3.getObjectAsBytes(r -> r.bucket("sse").key("open")).asUtf8String()).isEqualTo("open");
        }
        kms.disableKey(r -> r.keyId(keyArn));
        try {
            assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("sse").key("guarded")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KMS.DisabledException");
                    });
        } finally {
            kms.enableKey(r -> r.keyId(keyArn));
        }
        assertThat(s3.getObjectAsBytes(r -> r.bucket("sse").key("guarded")).asUtf8String()).isEqualTo("guarded");
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket("sse").key("nokey").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId("alias/does-not-exist"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KMS.NotFoundException");
                });
    }
}

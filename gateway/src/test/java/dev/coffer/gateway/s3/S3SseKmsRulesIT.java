package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.audit.AuditLookup;
import dev.coffer.kms.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * SSE-KMS rules end to end over HTTPS (aws-semantics.md §1.3, §1.4, §2.9): header conflicts, write
 * headers on reads, key states and rotation, the requester's KMS permissions (multipart needs
 * kms:Decrypt), bucket policies on the SSE condition keys, and the KMS audit trail of S3's calls
 * on a user's behalf. S3SseKmsIT covers round trips, aws/s3, bucket-key call counts, a disabled key
 * and a user without any KMS permission.
 */
class S3SseKmsRulesIT {
    static final String SSE = "x-amz-server-side-encryption";
    static final String KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id";
    static final String CONTEXT = "x-amz-server-side-encryption-context";

    @TempDir
    static Path dataDir;
    static S3Gateway gateway;
    static S3Client s3;
    static KmsClient kms;
    static HandSignedS3 raw;
    static String keyArn;

    @BeforeAll
    static void start() throws Exception {
        gateway = new S3Gateway(dataDir, true, "s3,kms");
        s3 = gateway.rootS3OverHttps();
        kms = gateway.rootKms();
        raw = gateway.rootHandSignedOverHttps();
        keyArn = kms.createKey(r -> r.description("rules")).keyMetadata().arn();
        s3.createBucket(b -> b.bucket("rules"));
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

    static HandSignedS3.Answer put(String key, String... headers) {
        HandSignedS3.Call call = raw.request("PUT", "/rules/" + key).body("conflict");
        for (int i = 0; i < headers.length; i += 2) {
            call.header(headers[i], headers[i + 1]);
        }
        return call.send();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void conflictingOrMalformedSseKmsHeadersAreRefusedAndNothingIsStored() {
        HandSignedS3.Answer keyWithoutKms = put("c1", KEY_ID, keyArn);
        assertError(keyWithoutKms, 400, "InvalidArgument");
        assertThat(keyWithoutKms.element("Message"))
                .isEqualTo("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms");
        assertError(put("c2", SSE, "AES256", KEY_ID, keyArn), 400, "InvalidArgument");
        assertError(put("c3", CONTEXT, b64("{\"a\":\"b\"}")), 400, "InvalidArgument");
        assertError(put("c4", SSE, "AES256", CONTEXT, b64("{\"a\":\"b\"}")), 400, "InvalidArgument");
        for (String bad : List.of("aws:KMS", "kms", "AES-256", "aes256", "")) {
            assertError(put("c5", SSE, bad), 400, "InvalidArgument");
        }
        for (String badContext : List.of("not base64!", b64("not json"), b64("[\"a\"]"), b64("{\"a\":1}"))) {
            assertError(put("c6", SSE, "aws:kms", KEY_ID, keyArn, CONTEXT, badContext), 400, "InvalidArgument");
        }
        assertThat(s3.listObjectsV2(r -> r.bucket("rules").prefix("c")).contents()).isEmpty();
        // A well-formed request with the same headers is accepted.
        assertThat(put("c7", SSE, "aws:kms", KEY_ID, keyArn, CONTEXT, b64("{\"a\":\"b\"}")).status()).isEqualTo(200);
    }

    @Test
    void writeOnlyHeadersOnGetOrHeadAre400() {
        s3.putObject(r -> r.bucket("rules").key("read-me").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(keyArn),
                RequestBody.fromString("read me"));
        s3.putObject(r -> r.bucket("rules").key("read-me-s3").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString("read me"));
        for (String key : List.of("read-me", "read-me-s3")) {
            for (String[] header : List.of(new String[] {SSE, "aws:kms"}, new String[] {SSE, "AES256"}, new String[] {KEY_ID, keyArn},
                    new String[] {"x-amz-server-side-encryption-bucket-key-enabled", "true"})) {
                HandSignedS3.Answer get = raw.request("GET", "/rules/" + key).header(header[0], header[1]).send();
                assertError(get, 400, "InvalidArgument");
                HandSignedS3.Answer head = raw.request("HEAD", "/rules/" + key).header(header[0], header[1]).send();
                assertThat(head.status()).as("HEAD %s with %s", key, header[0]).isEqualTo(400);
                assertThat(head.body()).isEmpty();
            }
        }
        assertThat(raw.request("GET", "/rules/read-me").send().body()).isEqualTo("read me");
    }

    @Test
    void aKeyPendingDeletionRefusesReadsAndWritesUntilCancelledAndEnabled() {
        String doomed = kms.createKey(r -> r.description("doomed")).keyMetadata().arn();
        s3.putObject(r -> r.bucket("rules").key("doomed").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(doomed),
                RequestBody.fromString("doomed"));
        kms.scheduleKeyDeletion(r -> r.keyId(doomed).pendingWindowInDays(7));
        assertSdkError(() -> s3.getObjectAsBytes(r -> r.bucket("rules").key("doomed")), 400, "KMS.KMSInvalidStateException");
        assertSdkError(() -> s3.putObject(r -> r.bucket("rules").key("doomed2").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(doomed), RequestBody.fromString("x")), 400, "KMS.KMSInvalidStateException");

        kms.cancelKeyDeletion(r -> r.keyId(doomed));
        assertThat(kms.describeKey(r -> r.keyId(doomed)).keyMetadata().keyState()).isEqualTo(KeyState.DISABLED);
        assertSdkError(() -> s3.getObjectAsBytes(r -> r.bucket("rules").key("doomed")), 400, "KMS.DisabledException");
        kms.enableKey(r -> r.keyId(doomed));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("rules").key("doomed")).asUtf8String()).isEqualTo("doomed");
    }

    @Test
    void objectsWrittenBeforeARotationStillRead() throws Exception {
        String rotated = kms.createKey(r -> r.description("rotated")).keyMetadata().arn();
        byte[] single = random(300_000, 1);
        byte[] multipart = random(5 * 1024 * 1024 + 77, 2);
        s3.putObject(r -> r.bucket("rules").key("rot/single").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(rotated),
                RequestBody.fromBytes(single));
        s3.putObject(r -> r.bucket("rules").key("rot/bk").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(rotated)
                .bucketKeyEnabled(true), RequestBody.fromString("bucket keyed"));
        String id = s3.createMultipartUpload(r -> r.bucket("rules").key("rot/mp").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(rotated)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int partSize = 5 * 1024 * 1024;
        byte[][] bodies = {Arrays.copyOf(multipart, partSize), Arrays.copyOfRange(multipart, partSize, multipart.length)};
        for (int n = 1; n <= 2; n++) {
            int number = n;
            // part 2 is uploaded after the rotation: the upload's data key still unwraps
            if (n == 2) {
                kms.rotateKeyOnDemand(r -> r.keyId(rotated));
            }
            String etag = s3.uploadPart(r -> r.bucket("rules").key("rot/mp").uploadId(id).partNumber(number),
                    RequestBody.fromBytes(bodies[number - 1])).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(r -> r.bucket("rules").key("rot/mp").uploadId(id).multipartUpload(m -> m.parts(parts)));
        kms.rotateKeyOnDemand(r -> r.keyId(rotated));
        assertThat(kms.listKeyRotations(r -> r.keyId(rotated)).rotations()).hasSize(2);

        assertThat(s3.getObjectAsBytes(r -> r.bucket("rules").key("rot/single")).asByteArray()).isEqualTo(single);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("rules").key("rot/mp")).asByteArray()).isEqualTo(multipart);
        assertThat(s3.getObjectAsBytes(r -> r.bucket("rules").key("rot/bk")).asUtf8String()).isEqualTo("bucket keyed");
        // and as another requester, whose bucket-key cache is cold, so the KMS really unwraps old blobs
        S3Gateway.User reader = gateway.createUser("rotation-reader", Map.of("all", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}]}"""));
        try (S3Client other = gateway.s3OverHttps(reader)) {
            assertThat(other.getObjectAsBytes(r -> r.bucket("rules").key("rot/bk")).asUtf8String()).isEqualTo("bucket keyed");
            assertThat(other.getObjectAsBytes(r -> r.bucket("rules").key("rot/single")).asByteArray()).isEqualTo(single);
        }
        s3.putObject(r -> r.bucket("rules").key("rot/after").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(rotated),
                RequestBody.fromString("after"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("rules").key("rot/after")).asUtf8String()).isEqualTo("after");
    }

    @Test
    void generateDataKeyWithoutDecryptMayPutButNotGetNorUploadParts() throws Exception {
        S3Gateway.User writer = gateway.createUser("gdk-only", Map.of("s3-and-gdk", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
                  {"Effect":"Allow","Action":"kms:GenerateDataKey","Resource":"%s"}]}""".formatted(keyArn)));
        try (S3Client user = gateway.s3OverHttps(writer)) {
            user.putObject(r -> r.bucket("rules").key("wo/obj").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(keyArn),
                    RequestBody.fromString("write only"));
            assertSdkError(() -> user.getObjectAsBytes(r -> r.bucket("rules").key("wo/obj")), 403, null);
            assertThat(s3.getObjectAsBytes(r -> r.bucket("rules").key("wo/obj")).asUtf8String()).isEqualTo("write only");
            // HEAD needs no data key
            assertThat(user.headObject(r -> r.bucket("rules").key("wo/obj")).ssekmsKeyId()).isEqualTo(keyArn);

            String id = user.createMultipartUpload(r -> r.bucket("rules").key("wo/mp").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyArn)).uploadId();
            assertSdkError(() -> user.uploadPart(r -> r.bucket("rules").key("wo/mp").uploadId(id).partNumber(1),
                    RequestBody.fromString("part")), 403, null);
            user.abortMultipartUpload(r -> r.bucket("rules").key("wo/mp").uploadId(id));
        }
    }

    @Test
    void bucketPoliciesOnTheSseConditionKeys() throws Exception {
        String otherKey = kms.createKey(r -> r.description("other")).keyMetadata().arn();
        S3Gateway.User user = gateway.createUser("policed", Map.of("all", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:*"],"Resource":"*"}]}"""));
        s3.createBucket(b -> b.bucket("kms-only"));
        s3.putBucketPolicy(b -> b.bucket("kms-only").policy("""
                {"Version":"2012-10-17","Statement":[{"Sid":"RequireKms","Effect":"Deny","Principal":{"AWS":"%s"},
                  "Action":"s3:PutObject","Resource":"arn:aws:s3:::kms-only/*",
                  "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]}""".formatted(user.arn())));
        s3.createBucket(b -> b.bucket("one-key"));
        s3.putBucketPolicy(b -> b.bucket("one-key").policy("""
                {"Version":"2012-10-17","Statement":[{"Sid":"RequireKey","Effect":"Deny","Principal":{"AWS":"%s"},
                  "Action":"s3:PutObject","Resource":"arn:aws:s3:::one-key/*",
                  "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"%s"}}}]}"""
                .formatted(user.arn(), keyArn)));
        try (S3Client client = gateway.s3OverHttps(user)) {
            // StringNotEquals on an absent key is true (IAM), so a PUT without the header is denied too.
            assertSdkError(() -> client.putObject(r -> r.bucket("kms-only").key("plain"), RequestBody.fromString("x")), 403,
                    "AccessDenied");
            assertSdkError(() -> client.putObject(r -> r.bucket("kms-only").key("s3").serverSideEncryption(ServerSideEncryption.AES256),
                    RequestBody.fromString("x")), 403, "AccessDenied");
            assertSdkError(() -> client.createMultipartUpload(r -> r.bucket("kms-only").key("mp")), 403, "AccessDenied");
            client.putObject(r -> r.bucket("kms-only").key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                    RequestBody.fromString("kms"));
            assertThat(client.getObjectAsBytes(r -> r.bucket("kms-only").key("kms")).asUtf8String()).isEqualTo("kms");

            assertSdkError(() -> client.putObject(r -> r.bucket("one-key").key("other").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(otherKey), RequestBody.fromString("x")), 403, "AccessDenied");
            assertSdkError(() -> client.putObject(r -> r.bucket("one-key").key("aws-s3").serverSideEncryption(ServerSideEncryption.AWS_KMS),
                    RequestBody.fromString("x")), 403, "AccessDenied");
            client.putObject(r -> r.bucket("one-key").key("right").serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(keyArn),
                    RequestBody.fromString("right"));
            assertThat(client.headObject(r -> r.bucket("one-key").key("right")).ssekmsKeyId()).isEqualTo(keyArn);
        }
        assertThat(s3.listObjectsV2(r -> r.bucket("kms-only")).contents()).extracting(o -> o.key()).containsExactly("kms");
        assertThat(s3.listObjectsV2(r -> r.bucket("one-key")).contents()).extracting(o -> o.key()).containsExactly("right");
    }

    @Test
    void theAuditTrailNamesTheUserInvokedByS3WithTheObjectOrBucketArn() throws Exception {
        String audited = kms.createKey(r -> r.description("audited")).keyMetadata().arn();
        String bucketKeyed = kms.createKey(r -> r.description("audited, bucket key")).keyMetadata().arn();
        S3Gateway.User user = gateway.createUser("audited-user", Map.of("all", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","kms:GenerateDataKey","kms:Decrypt"],
                  "Resource":"*"}]}"""));
        s3.createBucket(b -> b.bucket("audited"));
        Instant from = Instant.now().minusSeconds(1);
        try (S3Client client = gateway.s3OverHttps(user)) {
            client.putObject(r -> r.bucket("audited").key("dir/obj").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(audited), RequestBody.fromString("audited"));
            assertThat(client.getObjectAsBytes(r -> r.bucket("audited").key("dir/obj")).asUtf8String()).isEqualTo("audited");
            for (int i = 0; i < 50; i++) {
                String key = "bk/" + i;
                client.putObject(r -> r.bucket("audited").key(key).serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId(bucketKeyed).bucketKeyEnabled(true), RequestBody.fromString(key));
            }
            for (int i = 0; i < 50; i++) {
                String key = "bk/" + i;
                assertThat(client.getObjectAsBytes(r -> r.bucket("audited").key(key)).asUtf8String()).isEqualTo(key);
            }
        }
        Path trail = dataDir.resolve("audit").resolve("kms");
        for (String event : List.of("GenerateDataKey", "Decrypt")) {
            List<AuditRecord> records = AuditLookup.find(trail, AuditLookup.Query.all().withKeyId(audited).withEventName(event)
                    .withTimeRange(from, null)).records();
            assertThat(records).as(event).hasSize(1);
            AuditRecord record = records.getFirst();
            assertThat(record.userIdentity().arn()).isEqualTo(user.arn());
            assertThat(record.userIdentity().accessKeyId()).isEqualTo(user.accessKeyId());
            assertThat(record.userIdentity().invokedBy()).isEqualTo("s3.amazonaws.com");
            assertThat(record.errorCode()).isEmpty();
            assertThat(record.requestParameters().orElseThrow().get("encryptionContext").get("aws:s3:arn").asText())
                    .isEqualTo("arn:aws:s3:::audited/dir/obj");
            assertThat(record.toJson()).doesNotContain("\"plaintext\"").doesNotContain("Plaintext\":\"");
        }
        List<AuditRecord> bucketKeyEvents = AuditLookup.find(trail, AuditLookup.Query.all().withKeyId(bucketKeyed)
                .withUser(user.arn()).withTimeRange(from, null).withLimit(1000)).records();
        // One bucket key per requester: generated once for the PUTs, unwrapped once for the GETs.
        assertThat(bucketKeyEvents).extracting(AuditRecord::eventName).as("50 PUTs and 50 GETs under one bucket key")
                .containsExactlyInAnyOrder("GenerateDataKey", "Decrypt");
        AuditRecord generated = bucketKeyEvents.stream().filter(r -> r.eventName().equals("GenerateDataKey")).findFirst().orElseThrow();
        assertThat(generated.userIdentity().arn()).isEqualTo(user.arn());
        assertThat(generated.userIdentity().invokedBy()).isEqualTo("s3.amazonaws.com");
        assertThat(generated.requestParameters().orElseThrow().get("encryptionContext").get("aws:s3:arn").asText())
                .isEqualTo("arn:aws:s3:::audited");
    }
}

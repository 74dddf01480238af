package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.SdkPartType;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.encryption.s3.S3AsyncEncryptionClient;
import software.amazon.encryption.s3.S3EncryptionClient;
import software.amazon.encryption.s3.S3EncryptionClientException;
import software.amazon.encryption.s3.internal.InstructionFileConfig;
import software.amazon.encryption.s3.materials.KmsKeyring;

/**
 * Client-side encryption interop: the AWS S3 Encryption Client v3 for Java (KMS keyring on Coffer's KMS, objects in
 * Coffer's S3, both on the one edge port) writes objects that Coffer stores and returns intact. Version 3.5.0 writes the
 * "V2" envelope format: the x-amz-key-v2, x-amz-iv, x-amz-cek-alg, x-amz-tag-len, x-amz-wrap-alg and x-amz-matdesc
 * user metadata (or the same JSON in an instruction file), with AES-256-GCM content and a KMS-wrapped data key.
 *
 * <p>The wrapped async client computes request checksums only when required: with the SDK's default (an aws-chunked
 * body with a CRC32 trailer) a put sometimes stalled until the Netty client's 30 s write timeout, after the SDK logged
 * "Upstream delivered more data than requested" from its aws-chunked encoder (ChunkedEncodedPublisher) fed by the
 * S3EC's CipherSubscriber: a client-side pipeline fault before any byte reaches Coffer. Coffer's aws-chunked and
 * trailer handling is covered by S3ObjectIT, S3SseKmsIT and the AwsChunked tests.
 */
class S3EncryptionClientIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CONTEXT = Map.of("purpose", "interop", "tenant", "t-42");
    private static final int TAG_BYTES = 16;

    @TempDir
    Path temp;
    S3Gateway coffer;
    S3Client s3;
    KmsClient kms;
    String keyArn;
    /** What the encryption client asked its wrapped async client to PUT as user metadata, by key. */
    final Map<String, Map<String, String>> sentMetadata = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        coffer = new S3Gateway(temp.resolve("data"), false, "s3,kms");
        s3 = coffer.rootS3();
        kms = coffer.rootKms();
        keyArn = kms.createKey(r -> r.description("s3 encryption client")).keyMetadata().arn();
        s3.createBucket(b -> b.bucket("sealed"));
    }

    @AfterEach
    void stop() {
        if (kms != null) {
            kms.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (coffer != null) {
            coffer.close();
        }
    }

    @Test
    void objectsOfEverySizeRoundTripAndCofferStoresTheCiphertextAndEnvelopeByteExactly() throws Exception {
        try (S3EncryptionClient client = encryptionClient(b -> b)) {
            for (int size : new int[] {0, 1, 4096, 20 * 1024 * 1024 + 7}) {
                String key = "obj-" + size;
                byte[] plaintext = random(size, size);
                client.putObject(r -> r.bucket("sealed").key(key).contentType("application/octet-stream")
                        .metadata(Map.of("owner", "alice"))
                        .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                        RequestBody.fromBytes(plaintext));

                ResponseBytes<GetObjectResponse> decrypted = client.getObject(r -> r.bucket("sealed").key(key)
                        .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                        ResponseTransformer.toBytes());
                assertThat(decrypted.asByteArray()).as("decrypted %s", key).isEqualTo(plaintext);

                // A plain client sees what Coffer stored: the GCM ciphertext and tag, not the plaintext.
                ResponseBytes<GetObjectResponse> stored = s3.getObject(r -> r.bucket("sealed").key(key), ResponseTransformer.toBytes());
                byte[] ciphertext = stored.asByteArray();
                assertThat(ciphertext).hasSize(size + TAG_BYTES);
                // Compared only where a chance match is impossible in practice: a 1-byte ciphertext equals its
                // plaintext once in 256 (the hand decryption below proves those small objects are ciphertext).
                if (size >= 16) {
                    assertThat(Arrays.copyOf(ciphertext, size)).isNotEqualTo(plaintext);
                }

                // The envelope comes back exactly as the client sent it, beside the caller's own metadata.
                Map<String, String> metadata = stored.response().metadata();
                assertThat(metadata).isEqualTo(sentMetadata.get(key));
                assertThat(metadata).containsEntry("owner", "alice")
                        .containsEntry("x-amz-cek-alg", "AES/GCM/NoPadding")
                        .containsEntry("x-amz-tag-len", "128")
                        .containsEntry("x-amz-wrap-alg", "kms+context")
                        .containsKeys("x-amz-key-v2", "x-amz-iv", "x-amz-matdesc")
                        .doesNotContainKeys("x-amz-key", "x-amz-3", "x-amz-c", "x-amz-crypto-instr-file");
                HeadObjectResponse head = s3.headObject(r -> r.bucket("sealed").key(key));
                assertThat(head.metadata()).isEqualTo(metadata);
                assertThat(head.contentLength()).isEqualTo(size + TAG_BYTES);
                assertThat(head.contentType()).isEqualTo("application/octet-stream");

                // Independently of the client: Coffer's KMS unwraps the data key under the stored context, and the
                // stored bytes are exactly AES-256-GCM(plaintext) under it.
                assertThat(openEnvelope(metadata, ciphertext)).as("hand-decrypted %s", key).isEqualTo(plaintext);
            }
        }
    }

    @Test
    void theAsyncEncryptionClientRoundTripsToo() {
        byte[] plaintext = random(100_003, 9);
        try (S3AsyncEncryptionClient client = S3AsyncEncryptionClient.builder()
                .wrappedClient(s3Async()).keyring(keyring()).build()) {
            client.putObject(r -> r.bucket("sealed").key("async")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                    AsyncRequestBody.fromBytes(plaintext)).join();
            byte[] back = client.getObject(r -> r.bucket("sealed").key("async")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                    AsyncResponseTransformer.toBytes()).join().asByteArray();
            assertThat(back).isEqualTo(plaintext);
        }
        assertThat(s3.headObject(r -> r.bucket("sealed").key("async")).contentLength()).isEqualTo(plaintext.length + TAG_BYTES);
    }

    @Test
    void rangedGetsDecryptTheRequestedBytesWhenTheClientAllowsThem() {
        int size = 1024 * 1024 + 33;
        byte[] plaintext = random(size, 3);
        try (S3EncryptionClient strict = encryptionClient(b -> b);
                S3EncryptionClient ranged = encryptionClient(b -> b.enableLegacyUnauthenticatedModes(true))) {
            strict.putObject(r -> r.bucket("sealed").key("ranged"), RequestBody.fromBytes(plaintext));
            // v3 decrypts a range only with legacy unauthenticated modes on (AES-CTR over the GCM stream, no tag check).
            assertThatThrownBy(() -> strict.getObject(r -> r.bucket("sealed").key("ranged").range("bytes=0-9"),
                    ResponseTransformer.toBytes()))
                    .isInstanceOf(S3EncryptionClientException.class)
                    .hasStackTraceContaining("Enable legacy unauthenticated modes to use Ranged Get");
            for (long[] range : new long[][] {{0, 0}, {0, 15}, {16, 31}, {100, 199}, {5000, 70_000},
                    {size - 10, size - 1}, {size - 1, size - 1}, {size - 100, size + 500}}) {
                String header = "bytes=" + range[0] + "-" + range[1];
                byte[] got = ranged.getObject(r -> r.bucket("sealed").key("ranged").range(header),
                        ResponseTransformer.toBytes()).asByteArray();
                assertThat(got).as(header)
                        .isEqualTo(Arrays.copyOfRange(plaintext, (int) range[0], (int) Math.min(range[1] + 1, size)));
            }
            assertThat(ranged.getObject(r -> r.bucket("sealed").key("ranged"), ResponseTransformer.toBytes()).asByteArray())
                    .isEqualTo(plaintext);
        }
    }

    @Test
    void instructionFileModeKeepsTheEnvelopeInASeparateObject() throws Exception {
        byte[] plaintext = random(70_000, 5);
        try (S3EncryptionClient client = encryptionClient(b -> b.instructionFileConfig(InstructionFileConfig.builder()
                .instructionFileClient(coffer.rootS3()).enableInstructionFilePutObject(true).build()))) {
            client.putObject(r -> r.bucket("sealed").key("with-instructions").metadata(Map.of("owner", "bob"))
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                    RequestBody.fromBytes(plaintext));

            // The object carries only the caller's metadata; the envelope is JSON in "<key>.instruction".
            HeadObjectResponse object = s3.headObject(r -> r.bucket("sealed").key("with-instructions"));
            assertThat(object.metadata()).isEqualTo(Map.of("owner", "bob"));
            ResponseBytes<GetObjectResponse> instruction = s3.getObject(r -> r.bucket("sealed")
                    .key("with-instructions.instruction"), ResponseTransformer.toBytes());
            // The marker is a metadata entry with an empty value: it must survive as such.
            assertThat(instruction.response().metadata()).isEqualTo(Map.of("x-amz-crypto-instr-file", ""));
            Map<String, String> envelope = JSON.readValue(instruction.asUtf8String(), new TypeReference<Map<String, String>>() { });
            assertThat(envelope).containsEntry("x-amz-cek-alg", "AES/GCM/NoPadding").containsEntry("x-amz-wrap-alg", "kms+context")
                    .containsKeys("x-amz-key-v2", "x-amz-iv", "x-amz-matdesc");
            byte[] ciphertext = s3.getObject(r -> r.bucket("sealed").key("with-instructions"), ResponseTransformer.toBytes()).asByteArray();
            assertThat(openEnvelope(envelope, ciphertext)).isEqualTo(plaintext);

            assertThat(client.getObject(r -> r.bucket("sealed").key("with-instructions")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                    ResponseTransformer.toBytes()).asByteArray()).isEqualTo(plaintext);

            // Deleting through the client removes the instruction file too.
            client.deleteObject(r -> r.bucket("sealed").key("with-instructions"));
            for (String gone : new String[] {"with-instructions", "with-instructions.instruction"}) {
                assertThatThrownBy(() -> s3.headObject(r -> r.bucket("sealed").key(gone)))
                        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
            }
        }
    }

    @Test
    void theWrongEncryptionContextOrATamperedEnvelopeDoesNotDecrypt() {
        byte[] plaintext = random(5000, 7);
        try (S3EncryptionClient client = encryptionClient(b -> b)) {
            client.putObject(r -> r.bucket("sealed").key("bound")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                    RequestBody.fromBytes(plaintext));
            // The client compares the context the caller expects with the stored one.
            assertThatThrownBy(() -> client.getObject(r -> r.bucket("sealed").key("bound")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(Map.of("purpose", "other"))),
                    ResponseTransformer.toBytes()))
                    .isInstanceOf(S3EncryptionClientException.class)
                    .hasStackTraceContaining("Provided encryption context does not match");
            // Nor does asking for no context at all.
            assertThatThrownBy(() -> client.getObject(r -> r.bucket("sealed").key("bound"), ResponseTransformer.toBytes()))
                    .isInstanceOf(S3EncryptionClientException.class);

            // Rewrite the stored context (a plain copy onto itself) and ask for the rewritten one: the client's own check
            // passes, but Coffer's KMS refuses to unwrap the data key under a context it was not wrapped under.
            Map<String, String> metadata = new HashMap<>(s3.headObject(r -> r.bucket("sealed").key("bound")).metadata());
            metadata.put("x-amz-matdesc", metadata.get("x-amz-matdesc").replace("t-42", "t-43"));
            s3.copyObject(r -> r.sourceBucket("sealed").sourceKey("bound").destinationBucket("sealed").destinationKey("bound")
                    .metadataDirective(MetadataDirective.REPLACE).metadata(metadata));
            Map<String, String> tampered = new HashMap<>(CONTEXT);
            tampered.put("tenant", "t-43");
            assertThatThrownBy(() -> client.getObject(r -> r.bucket("sealed").key("bound")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(tampered)), ResponseTransformer.toBytes()))
                    .isInstanceOf(S3EncryptionClientException.class)
                    .hasRootCauseInstanceOf(software.amazon.awssdk.services.kms.model.InvalidCiphertextException.class);
        }
    }

    @Test
    void multipartPutObjectAndTheLowLevelMultipartApiRoundTrip() throws Exception {
        byte[] plaintext = random(20 * 1024 * 1024 + 11, 11);
        try (S3EncryptionClient client = encryptionClient(b -> b.enableMultipartPutObject(true))) {
            client.putObject(r -> r.bucket("sealed").key("multipart-put")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                    RequestBody.fromBytes(plaintext));
            assertThat(client.getObject(r -> r.bucket("sealed").key("multipart-put")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                    ResponseTransformer.toBytes()).asByteArray()).isEqualTo(plaintext);
            ResponseBytes<GetObjectResponse> stored = s3.getObject(r -> r.bucket("sealed").key("multipart-put"), ResponseTransformer.toBytes());
            assertThat(stored.response().eTag()).matches("\"[0-9a-f]{32}-[0-9]+\"");
            assertThat(stored.asByteArray()).hasSize(plaintext.length + TAG_BYTES);
            assertThat(openEnvelope(stored.response().metadata(), stored.asByteArray())).isEqualTo(plaintext);
        }

        // The low-level API: the client encrypts the parts in order as one GCM stream; the last part carries the tag.
        try (S3EncryptionClient client = encryptionClient(b -> b)) {
            String uploadId = client.createMultipartUpload(CreateMultipartUploadRequest.builder().bucket("sealed").key("parts")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)).build()).uploadId();
            int partSize = 5 * 1024 * 1024;
            int parts = (plaintext.length + partSize - 1) / partSize;
            CompletedPart[] completed = new CompletedPart[parts];
            for (int part = 1; part <= parts; part++) {
                int from = (part - 1) * partSize;
                byte[] chunk = Arrays.copyOfRange(plaintext, from, Math.min(from + partSize, plaintext.length));
                UploadPartRequest.Builder request = UploadPartRequest.builder().bucket("sealed").key("parts")
                        .uploadId(uploadId).partNumber(part);
                if (part == parts) {
                    request.sdkPartType(SdkPartType.LAST);
                }
                String eTag = client.uploadPart(request.build(), RequestBody.fromBytes(chunk)).eTag();
                completed[part - 1] = CompletedPart.builder().partNumber(part).eTag(eTag).build();
            }
            client.completeMultipartUpload(r -> r.bucket("sealed").key("parts").uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
            assertThat(client.getObject(r -> r.bucket("sealed").key("parts")
                    .overrideConfiguration(S3EncryptionClient.withAdditionalConfiguration(CONTEXT)),
                    ResponseTransformer.toBytes()).asByteArray()).isEqualTo(plaintext);
            ResponseBytes<GetObjectResponse> stored = s3.getObject(r -> r.bucket("sealed").key("parts"), ResponseTransformer.toBytes());
            assertThat(stored.asByteArray()).hasSize(plaintext.length + TAG_BYTES);
            assertThat(openEnvelope(stored.response().metadata(), stored.asByteArray())).isEqualTo(plaintext);
        }
    }

    /** The encryption client on Coffer's S3 and KMS, with {@code tuning} applied to its builder. */
    private S3EncryptionClient encryptionClient(UnaryOperator<S3EncryptionClient.Builder> tuning) {
        return tuning.apply(S3EncryptionClient.builder()
                .wrappedClient(coffer.rootS3())
                .wrappedAsyncClient(s3Async())
                .keyring(keyring()))
                .build();
    }

    private KmsKeyring keyring() {
        return KmsKeyring.builder().kmsClient(kms).wrappingKeyId(keyArn).build();
    }

    /** Coffer's S3 for the encryption client to wrap (it sends PutObject and GetObject through the async one). */
    private S3AsyncClient s3Async() {
        ExecutionInterceptor recordPutMetadata = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest put) {
                    sentMetadata.put(put.key(), Map.copyOf(put.metadata()));
                }
            }
        };
        return S3AsyncClient.builder().endpointOverride(coffer.endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Gateway.ROOT_ACCESS_KEY, S3Gateway.ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(recordPutMetadata))
                .build();
    }

    /** Decrypts a V2-format object by hand: KMS Decrypt of x-amz-key-v2 under x-amz-matdesc, then AES-GCM. */
    private byte[] openEnvelope(Map<String, String> envelope, byte[] ciphertext) throws Exception {
        Map<String, String> context = JSON.readValue(envelope.get("x-amz-matdesc"), new TypeReference<Map<String, String>>() { });
        assertThat(context).containsAllEntriesOf(CONTEXT).containsEntry("aws:x-amz-cek-alg", "AES/GCM/NoPadding");
        byte[] dataKey = kms.decrypt(r -> r.keyId(keyArn).encryptionContext(context)
                .ciphertextBlob(SdkBytes.fromByteArray(Base64.getDecoder().decode(envelope.get("x-amz-key-v2")))))
                .plaintext().asByteArray();
        assertThat(dataKey).hasSize(32);
        byte[] iv = Base64.getDecoder().decode(envelope.get("x-amz-iv"));
        assertThat(iv).hasSize(12);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        return gcm.doFinal(ciphertext);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}

package dev.coffer.gateway.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.runtime.Gateway;
import dev.coffer.kms.audit.AuditLookup;
import dev.coffer.kms.audit.AuditRecord;
import dev.coffer.s3.sse.GeneratedDataKey;
import dev.coffer.s3.sse.KeyService;
import dev.coffer.s3.sse.KeyServiceException;
import dev.coffer.s3.sse.KmsRequester;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The gateway's own key service, as S3 server-side encryption will call it, against the embedded KMS
 * of a real gateway: the requester's KMS rights decide (not the service's), key states and missing
 * keys surface as the KMS's errors, the SSE-S3 service key is the service's alone, and the audit
 * trail names the requester with invokedBy s3. The on-behalf-of calls succeeding at all shows the
 * headers were signed: the KMS refuses them unsigned.
 */
class KmsClientKeyServiceIT {
    private static final String ROOT_ACCESS_KEY = "COFFERTESTROOTKEY001";
    private static final String ROOT_SECRET = "test-root-secret-0123456789abcdefghijklm";
    private static final Map<String, String> CONTEXT = Map.of("aws:s3:arn", "arn:aws:s3:::b/k");
    private static final String DATA_KEYS = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}]}""";
    private static final String S3_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";
    private static final String KMS_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}""";

    @TempDir
    static Path temp;
    static Gateway gateway;
    static KmsClient root;
    static KeyService keys;
    static String keyArn;
    static KmsRequester writer;
    static String writerArn;
    static KmsRequester s3Only;
    static KmsRequester kmsAdmin;

    @BeforeAll
    static void startGatewayWithS3AndKms() throws Exception {
        gateway = start(temp.resolve("data"), Map.of(ServeSetting.SERVICES, "s3,kms"));
        URI endpoint = URI.create("http://127.0.0.1:" + gateway.edgeAddress().orElseThrow().getPort());
        root = KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_ACCESS_KEY, ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        keyArn = root.createKey(r -> r.description("sse-kms")).keyMetadata().arn();
        try (IamClient iam = IamClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_ACCESS_KEY, ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            writerArn = iam.createUser(r -> r.userName("writer")).user().arn();
            writer = user(iam, "writer", DATA_KEYS);
            iam.createUser(r -> r.userName("s3only"));
            s3Only = user(iam, "s3only", S3_ONLY);
            iam.createUser(r -> r.userName("kmsadmin"));
            kmsAdmin = user(iam, "kmsadmin", KMS_ALL);
        }
        keys = gateway.s3KeyService().orElseThrow();
    }

    private static KmsRequester user(IamClient iam, String name, String policy) {
        iam.putUserPolicy(r -> r.userName(name).policyName("inline").policyDocument(policy));
        return KmsRequester.onBehalfOf(iam.createAccessKey(r -> r.userName(name)).accessKey().accessKeyId());
    }

    private static Gateway start(Path dataDir, Map<ServeSetting, String> settings) throws Exception {
        Map<ServeSetting, String> commandLine = new EnumMap<>(Map.of(
                ServeSetting.DATA_DIR, dataDir.toString(),
                ServeSetting.ADMIN_PORT, "0",
                ServeSetting.HTTP_PORT, "0",
                ServeSetting.HTTPS_PORT, "-1"));
        commandLine.putAll(settings);
        return Gateway.start(new ServeConfigResolver(Map.of()).resolve(commandLine),
                Map.of("COFFER_ROOT_ACCESS_KEY", ROOT_ACCESS_KEY, "COFFER_ROOT_SECRET_KEY", ROOT_SECRET));
    }

    @AfterAll
    static void stop() {
        if (root != null) {
            root.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void requesterWithKmsRightsGetsADataKeyThatDecryptsBack() {
        try (GeneratedDataKey dataKey = keys.generateDataKey(writer, keyArn, CONTEXT);
             SecretBytes decrypted = keys.decrypt(writer, dataKey.keyArn(), dataKey.ciphertextBlob(), CONTEXT)) {
            assertThat(dataKey.keyArn()).isEqualTo(keyArn);
            assertThat(dataKey.plaintext().size()).isEqualTo(32);
            assertThat(decrypted.toByteArray(SecretAccess.explicitly()))
                    .isEqualTo(dataKey.plaintext().toByteArray(SecretAccess.explicitly()));
        }
    }

    @Test
    void requesterWithoutKmsRightsIsDeniedEvenThoughTheServiceCalls() {
        assertKmsError(() -> keys.generateDataKey(s3Only, keyArn, CONTEXT), "AccessDeniedException");
        try (GeneratedDataKey dataKey = keys.generateDataKey(writer, keyArn, CONTEXT)) {
            assertKmsError(() -> keys.decrypt(s3Only, keyArn, dataKey.ciphertextBlob(), CONTEXT), "AccessDeniedException");
        }
    }

    @Test
    void disabledKeyIsDisabledException() {
        String disabled = root.createKey(r -> { }).keyMetadata().arn();
        root.disableKey(r -> r.keyId(disabled));
        assertKmsError(() -> keys.generateDataKey(writer, disabled, CONTEXT), "DisabledException");
    }

    @Test
    void keyPendingDeletionIsKmsInvalidStateException() {
        String doomed = root.createKey(r -> { }).keyMetadata().arn();
        try (GeneratedDataKey dataKey = keys.generateDataKey(writer, doomed, CONTEXT)) {
            root.scheduleKeyDeletion(r -> r.keyId(doomed).pendingWindowInDays(7));
            assertKmsError(() -> keys.generateDataKey(writer, doomed, CONTEXT), "KMSInvalidStateException");
            assertKmsError(() -> keys.decrypt(writer, doomed, dataKey.ciphertextBlob(), CONTEXT), "KMSInvalidStateException");
        }
    }

    @Test
    void missingKeyOrAliasIsNotFoundException() {
        assertKmsError(() -> keys.generateDataKey(writer, UUID.randomUUID().toString(), CONTEXT), "NotFoundException");
        assertKmsError(() -> keys.generateDataKey(writer, "alias/no-such-alias", CONTEXT), "NotFoundException");
    }

    @Test
    void wrongEncryptionContextOnDecryptIsInvalidCiphertextException() {
        try (GeneratedDataKey dataKey = keys.generateDataKey(writer, keyArn, CONTEXT)) {
            assertKmsError(() -> keys.decrypt(writer, keyArn, dataKey.ciphertextBlob(), Map.of("aws:s3:arn", "arn:aws:s3:::b/other")),
                    "InvalidCiphertextException");
        }
    }

    @Test
    void blobRedirectedToAnotherKeyIsIncorrectKeyException() {
        String other = root.createKey(r -> { }).keyMetadata().arn();
        try (GeneratedDataKey dataKey = keys.generateDataKey(writer, keyArn, CONTEXT)) {
            assertKmsError(() -> keys.decrypt(writer, other, dataKey.ciphertextBlob(), CONTEXT), "IncorrectKeyException");
        }
    }

    @Test
    void sseS3ServiceKeyServesTheS3ServiceAndNoRequester() {
        try (GeneratedDataKey dataKey = keys.generateDataKey(KmsRequester.s3Service(), KeyService.SSE_S3_SERVICE_KEY, CONTEXT);
             SecretBytes decrypted = keys.decrypt(KmsRequester.s3Service(), dataKey.keyArn(), dataKey.ciphertextBlob(), CONTEXT)) {
            assertThat(decrypted.contentEquals(dataKey.plaintext())).isTrue();
            assertThat(root.describeKey(r -> r.keyId(KeyService.SSE_S3_SERVICE_KEY)).keyMetadata().arn())
                    .isEqualTo(dataKey.keyArn());
            assertKmsError(() -> keys.decrypt(kmsAdmin, dataKey.keyArn(), dataKey.ciphertextBlob(), CONTEXT), "AccessDeniedException");
        }
        assertKmsError(() -> keys.generateDataKey(kmsAdmin, KeyService.SSE_S3_SERVICE_KEY, CONTEXT), "AccessDeniedException");
    }

    @Test
    void auditTrailNamesTheRequesterInvokedByS3WithTheEncryptionContext() {
        String audited = root.createKey(r -> { }).keyMetadata().arn();
        keys.generateDataKey(writer, audited, CONTEXT).close();
        AuditRecord record = AuditLookup.find(temp.resolve("data/audit/kms"),
                AuditLookup.Query.all().withKeyId(audited).withEventName("GenerateDataKey")).records().getFirst();
        assertThat(record.userIdentity().arn()).isEqualTo(writerArn);
        assertThat(record.userIdentity().accessKeyId()).isEqualTo(((KmsRequester.OnBehalfOf) writer).accessKeyId());
        assertThat(record.userIdentity().invokedBy()).isEqualTo("s3.amazonaws.com");
        assertThat(record.requestParameters().orElseThrow().get("encryptionContext").get("aws:s3:arn").asText())
                .isEqualTo("arn:aws:s3:::b/k");
        assertThat(record.errorCode()).isEmpty();
    }

    @Test
    void gatewayWithoutAnyKmsRefusesKeysAsUnavailable() throws Exception {
        try (Gateway s3Alone = start(temp.resolve("s3-alone"), Map.of(ServeSetting.SERVICES, "s3"))) {
            assertThatThrownBy(() -> s3Alone.s3KeyService().orElseThrow().generateDataKey(writer, keyArn, CONTEXT))
                    .isInstanceOfSatisfying(KeyServiceException.class, e -> {
                        assertThat(e.kmsErrorType()).isEqualTo(KeyServiceException.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("--kms-endpoint");
                    });
        }
    }

    @Test
    void unreachableKmsEndpointIsUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (Gateway remote = start(temp.resolve("remote-kms"), Map.of(ServeSetting.SERVICES, "s3",
                ServeSetting.KMS_ENDPOINT, "http://127.0.0.1:" + closedPort))) {
            assertKmsError(() -> remote.s3KeyService().orElseThrow().generateDataKey(writer, keyArn, CONTEXT),
                    KeyServiceException.UNAVAILABLE);
        }
    }

    /** Today's limit, stated so that whoever adds a shared service credential changes this test (docs/KMS.md). */
    @Test
    void remoteCofferKmsDoesNotKnowThisGatewaysInMemoryServiceCredential() throws Exception {
        String remoteKms = "http://127.0.0.1:" + gateway.edgeAddress().orElseThrow().getPort();
        try (Gateway front = start(temp.resolve("front"), Map.of(ServeSetting.SERVICES, "s3", ServeSetting.KMS_ENDPOINT, remoteKms))) {
            assertKmsError(() -> front.s3KeyService().orElseThrow().generateDataKey(writer, keyArn, CONTEXT),
                    "UnrecognizedClientException");
        }
    }

    private static void assertKmsError(Runnable call, String kmsErrorType) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KeyServiceException.class,
                e -> assertThat(e.kmsErrorType()).as(e.getMessage()).isEqualTo(kmsErrorType));
    }
}

package dev.coffer.gateway.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.blockstore.keys.VolumeKeyException;
import dev.coffer.blockstore.keys.VolumeKeyService;
import dev.coffer.blockstore.keys.VolumeKeyService.UnsealedKey;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.gateway.config.ServeConfigResolver;
import dev.coffer.gateway.config.ServeSetting;
import dev.coffer.gateway.runtime.Gateway;
import dev.coffer.kms.audit.AuditLookup;
import dev.coffer.kms.audit.AuditRecord;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
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
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantListEntry;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The volume key service against the embedded KMS of a real gateway, as EBS uses AWS KMS: the
 * requester's own KMS rights decide DescribeKey, GenerateDataKeyWithoutPlaintext and CreateGrant
 * (made through ec2), the EC2 service decrypts only under the grant and only for the volume the
 * grant names, retiring the grant ends that, key states and missing keys surface as the KMS's
 * errors, alias/aws/ebs appears on first use and serves anyone in the account through ec2 only,
 * and the audit trail tells who did what.
 */
class KmsClientVolumeKeyServiceIT {
    private static final String ROOT_ACCESS_KEY = "COFFERTESTROOTKEY001";
    private static final String ROOT_SECRET = "test-root-secret-0123456789abcdefghijklm";
    private static final String VOLUME_USER = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:CreateGrant","kms:Decrypt",
            "kms:DescribeKey","kms:GenerateDataKeyWithoutPlaintext"],"Resource":"*"}]}""";
    private static final String NO_CREATE_GRANT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:DescribeKey",
            "kms:GenerateDataKeyWithoutPlaintext"],"Resource":"*"}]}""";
    private static final String EC2_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}""";

    @TempDir
    static Path temp;
    static Gateway gateway;
    static URI endpoint;
    static KmsClient root;
    static VolumeKeyService volumes;
    static String attacher;
    static String attacherArn;
    static String noCreateGrant;
    static AccessKey ec2Only;
    static String serviceArn;

    @BeforeAll
    static void startGatewayWithEc2AndKms() throws Exception {
        gateway = start(temp.resolve("data"), Map.of(ServeSetting.SERVICES, "ec2,kms"));
        endpoint = URI.create("http://127.0.0.1:" + gateway.edgeAddress().orElseThrow().getPort());
        root = kms(ROOT_ACCESS_KEY, ROOT_SECRET);
        try (IamClient iam = IamClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ROOT_ACCESS_KEY, ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            attacherArn = iam.createUser(r -> r.userName("attacher")).user().arn();
            attacher = user(iam, "attacher", VOLUME_USER).accessKeyId();
            iam.createUser(r -> r.userName("nocreategrant"));
            noCreateGrant = user(iam, "nocreategrant", NO_CREATE_GRANT).accessKeyId();
            iam.createUser(r -> r.userName("ec2only"));
            ec2Only = user(iam, "ec2only", EC2_ONLY);
            serviceArn = "arn:aws:iam::" + attacherArn.split(":")[4] + ":role/coffer-service/ec2";
        }
        volumes = gateway.volumeKeyService().orElseThrow();
    }

    private static AccessKey user(IamClient iam, String name, String policy) {
        iam.putUserPolicy(r -> r.userName(name).policyName("inline").policyDocument(policy));
        return iam.createAccessKey(r -> r.userName(name)).accessKey();
    }

    private static KmsClient kms(String accessKeyId, String secret) {
        return KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
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

    private static Map<String, String> volume(String id) {
        return Map.of("aws:ebs:id", id);
    }

    private static String newKey() {
        return root.createKey(r -> r.description("volumes")).keyMetadata().arn();
    }

    @Test
    void dataKeyRoundTripsThroughAGrantUntilTheGrantIsRetired() {
        String key = newKey();
        root.createAlias(r -> r.aliasName("alias/volumes-" + UUID.randomUUID()).targetKeyId(key));
        assertThat(volumes.resolveKey(attacher, key)).isEqualTo(key);
        Map<String, String> context = volume("vol-0123456789abcdef0");
        byte[] encrypted = volumes.generateDataKeyWithoutPlaintext(attacher, key, context);

        UnsealedKey unsealed = volumes.unseal(attacher, key, encrypted, context);
        try (SecretBytes dataKey = unsealed.dataKey();
             SecretBytes again = volumes.decryptUnderGrant(key, unsealed.grantId(), encrypted, context)) {
            assertThat(dataKey.size()).isEqualTo(32);
            assertThat(again.contentEquals(dataKey)).isTrue();
        }
        assertThat(unsealed.toString()).doesNotContain("dataKey=");

        GrantListEntry grant = root.listGrants(r -> r.keyId(key)).grants().getFirst();
        assertThat(grant.grantId()).isEqualTo(unsealed.grantId());
        assertThat(grant.granteePrincipal()).isEqualTo(serviceArn);
        assertThat(grant.retiringPrincipal()).isEqualTo(serviceArn);
        assertThat(grant.operations()).containsExactlyInAnyOrder(GrantOperation.DECRYPT, GrantOperation.RETIRE_GRANT);
        assertThat(grant.constraints().encryptionContextSubset()).isEqualTo(context);

        volumes.retireGrant(key, unsealed.grantId());
        assertThat(root.listGrants(r -> r.keyId(key)).grants()).isEmpty();
        assertVolumeKeyError(() -> volumes.decryptUnderGrant(key, unsealed.grantId(), encrypted, context), "AccessDeniedException");
        volumes.retireGrant(key, unsealed.grantId());
    }

    @Test
    void keyIsResolvedByAliasToItsArn() {
        String key = newKey();
        String alias = "alias/volumes-" + UUID.randomUUID();
        root.createAlias(r -> r.aliasName(alias).targetKeyId(key));
        assertThat(volumes.resolveKey(attacher, alias)).isEqualTo(key);
        assertThat(volumes.resolveKey(attacher, key.substring(key.lastIndexOf('/') + 1))).isEqualTo(key);
    }

    @Test
    void grantForOneVolumeDoesNotOpenAnothersDataKey() {
        String key = newKey();
        Map<String, String> mine = volume("vol-aaaaaaaaaaaaaaaaa");
        Map<String, String> theirs = volume("vol-bbbbbbbbbbbbbbbbb");
        byte[] myKey = volumes.generateDataKeyWithoutPlaintext(attacher, key, mine);
        byte[] theirKey = volumes.generateDataKeyWithoutPlaintext(attacher, key, theirs);
        UnsealedKey unsealed = volumes.unseal(attacher, key, myKey, mine);
        unsealed.dataKey().close();

        // The grant's EncryptionContextSubset names my volume: the service may not decrypt for theirs...
        assertVolumeKeyError(() -> volumes.decryptUnderGrant(key, unsealed.grantId(), theirKey, theirs), "AccessDeniedException");
        // ...and presenting their data key under my volume's context fails the context binding.
        assertVolumeKeyError(() -> volumes.decryptUnderGrant(key, unsealed.grantId(), theirKey, mine), "InvalidCiphertextException");
        volumes.retireGrant(key, unsealed.grantId());
    }

    @Test
    void failedUnsealLeavesNoGrantBehind() {
        String key = newKey();
        byte[] encrypted = volumes.generateDataKeyWithoutPlaintext(attacher, key, volume("vol-00000000000000001"));
        assertVolumeKeyError(() -> volumes.unseal(attacher, key, encrypted, volume("vol-00000000000000002")),
                "InvalidCiphertextException");
        assertThat(root.listGrants(r -> r.keyId(key)).grants()).isEmpty();
    }

    @Test
    void disabledKeyIsDisabledExceptionUntilReEnabled() {
        String key = newKey();
        Map<String, String> context = volume("vol-disabled00000001");
        byte[] encrypted = volumes.generateDataKeyWithoutPlaintext(attacher, key, context);
        root.disableKey(r -> r.keyId(key));
        assertVolumeKeyError(() -> volumes.resolveKey(attacher, key), "DisabledException");
        assertVolumeKeyError(() -> volumes.generateDataKeyWithoutPlaintext(attacher, key, context), "DisabledException");
        assertVolumeKeyError(() -> volumes.unseal(attacher, key, encrypted, context), "DisabledException");
        assertThat(root.listGrants(r -> r.keyId(key)).grants()).isEmpty();

        root.enableKey(r -> r.keyId(key));
        assertThat(volumes.resolveKey(attacher, key)).isEqualTo(key);
        UnsealedKey unsealed = volumes.unseal(attacher, key, encrypted, context);
        unsealed.dataKey().close();
        volumes.retireGrant(key, unsealed.grantId());
    }

    @Test
    void keyPendingDeletionIsKmsInvalidStateException() {
        String key = newKey();
        Map<String, String> context = volume("vol-doomed0000000001");
        byte[] encrypted = volumes.generateDataKeyWithoutPlaintext(attacher, key, context);
        root.scheduleKeyDeletion(r -> r.keyId(key).pendingWindowInDays(7));
        assertVolumeKeyError(() -> volumes.resolveKey(attacher, key), "KMSInvalidStateException");
        assertVolumeKeyError(() -> volumes.generateDataKeyWithoutPlaintext(attacher, key, context), "KMSInvalidStateException");
        assertVolumeKeyError(() -> volumes.unseal(attacher, key, encrypted, context), "KMSInvalidStateException");
    }

    @Test
    void unknownKeyOrAliasIsNotFoundException() {
        assertVolumeKeyError(() -> volumes.resolveKey(attacher, UUID.randomUUID().toString()), "NotFoundException");
        assertVolumeKeyError(() -> volumes.resolveKey(attacher, "alias/no-such-volume-key"), "NotFoundException");
    }

    @Test
    void requesterWithoutCreateGrantIsAccessDenied() {
        String key = newKey();
        Map<String, String> context = volume("vol-nogrant000000001");
        assertThat(volumes.resolveKey(noCreateGrant, key)).isEqualTo(key);
        byte[] encrypted = volumes.generateDataKeyWithoutPlaintext(noCreateGrant, key, context);
        assertVolumeKeyError(() -> volumes.unseal(noCreateGrant, key, encrypted, context), "AccessDeniedException");
        assertThat(root.listGrants(r -> r.keyId(key)).grants()).isEmpty();
    }

    @Test
    void requesterWithoutKmsRightsCannotUseACustomerKeyThroughEc2() {
        String key = newKey();
        assertVolumeKeyError(() -> volumes.resolveKey(ec2Only.accessKeyId(), key), "AccessDeniedException");
        assertVolumeKeyError(() -> volumes.generateDataKeyWithoutPlaintext(ec2Only.accessKeyId(), key, volume("vol-x")),
                "AccessDeniedException");
    }

    @Test
    void awsManagedEbsKeyIsCreatedOnFirstUseAndServesTheAccountThroughEc2Only() {
        String key = volumes.resolveKey(ec2Only.accessKeyId(), VolumeKeyService.EBS_MANAGED_KEY);
        var metadata = root.describeKey(r -> r.keyId(VolumeKeyService.EBS_MANAGED_KEY)).keyMetadata();
        assertThat(metadata.arn()).isEqualTo(key);
        assertThat(metadata.keyManager()).isEqualTo(KeyManagerType.AWS);

        Map<String, String> context = volume("vol-managed000000001");
        byte[] encrypted = volumes.generateDataKeyWithoutPlaintext(ec2Only.accessKeyId(), key, context);
        UnsealedKey unsealed = volumes.unseal(ec2Only.accessKeyId(), key, encrypted, context);
        unsealed.dataKey().close();
        volumes.retireGrant(key, unsealed.grantId());

        try (KmsClient direct = kms(ec2Only.accessKeyId(), ec2Only.secretAccessKey())) {
            assertThatThrownBy(() -> direct.generateDataKeyWithoutPlaintext(r -> r.keyId(key).keySpec("AES_256")
                    .encryptionContext(context)))
                    .isInstanceOfSatisfying(KmsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        }
    }

    @Test
    void auditTrailNamesTheRequesterInvokedByEc2AndTheServiceDecryptingUnderTheGrant() {
        String key = newKey();
        Map<String, String> context = volume("vol-audited000000001");
        byte[] encrypted = volumes.generateDataKeyWithoutPlaintext(attacher, key, context);
        UnsealedKey unsealed = volumes.unseal(attacher, key, encrypted, context);
        unsealed.dataKey().close();
        volumes.retireGrant(key, unsealed.grantId());

        for (String requesterEvent : List.of("GenerateDataKeyWithoutPlaintext", "CreateGrant")) {
            AuditRecord record = onlyRecord(key, requesterEvent);
            assertThat(record.userIdentity().arn()).as(requesterEvent).isEqualTo(attacherArn);
            assertThat(record.userIdentity().accessKeyId()).as(requesterEvent).isEqualTo(attacher);
            assertThat(record.userIdentity().invokedBy()).as(requesterEvent).isEqualTo("ec2.amazonaws.com");
            assertThat(record.errorCode()).as(requesterEvent).isEmpty();
        }
        assertThat(onlyRecord(key, "GenerateDataKeyWithoutPlaintext").requestParameters().orElseThrow()
                .get("encryptionContext").get("aws:ebs:id").asText()).isEqualTo("vol-audited000000001");
        assertThat(onlyRecord(key, "CreateGrant").requestParameters().orElseThrow()
                .get("granteePrincipal").asText()).isEqualTo(serviceArn);

        AuditRecord decrypt = onlyRecord(key, "Decrypt");
        assertThat(decrypt.userIdentity().type()).isEqualTo(AuditRecord.IdentityType.AWS_SERVICE);
        assertThat(decrypt.userIdentity().invokedBy()).isEqualTo("ec2.amazonaws.com");
        assertThat(decrypt.requestParameters().orElseThrow().get("encryptionContext").get("aws:ebs:id").asText())
                .isEqualTo("vol-audited000000001");
        assertThat(decrypt.errorCode()).isEmpty();
        assertThat(decrypt.toJson()).doesNotContain("GrantToken", "grantTokens");
        assertThat(onlyRecord(key, "RetireGrant").userIdentity().type()).isEqualTo(AuditRecord.IdentityType.AWS_SERVICE);
    }

    private static AuditRecord onlyRecord(String key, String eventName) {
        List<AuditRecord> records = AuditLookup.find(temp.resolve("data/audit/kms"),
                AuditLookup.Query.all().withKeyId(key).withEventName(eventName)).records();
        assertThat(records).as(eventName).hasSize(1);
        return records.getFirst();
    }

    @Test
    void gatewayWithoutAnyKmsRefusesVolumeKeysAsUnavailable() throws Exception {
        try (Gateway ec2Alone = start(temp.resolve("ec2-alone"), Map.of(ServeSetting.SERVICES, "ec2"))) {
            assertThatThrownBy(() -> ec2Alone.volumeKeyService().orElseThrow().resolveKey(attacher, VolumeKeyService.EBS_MANAGED_KEY))
                    .isInstanceOfSatisfying(VolumeKeyException.class, e -> {
                        assertThat(e.errorType()).isEqualTo(VolumeKeyException.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("--kms-endpoint");
                    });
        }
    }

    @Test
    void gatewayWithoutEc2HasNoVolumeKeyService() throws Exception {
        try (Gateway kmsAlone = start(temp.resolve("kms-alone"), Map.of(ServeSetting.SERVICES, "kms"))) {
            assertThat(kmsAlone.volumeKeyService()).isEmpty();
        }
    }

    private static void assertVolumeKeyError(Runnable call, String errorType) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(VolumeKeyException.class,
                e -> assertThat(e.errorType()).as(e.getMessage()).isEqualTo(errorType));
    }
}

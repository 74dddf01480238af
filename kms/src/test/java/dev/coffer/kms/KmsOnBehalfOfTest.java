package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.kms.audit.AuditLookup;
import dev.coffer.kms.audit.AuditRecord;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * A Coffer service (the S3 front end) calls the KMS for its requester: the requester's own rights
 * are evaluated with kms:ViaService set, the audit record names both, and nobody else can claim to
 * speak for someone.
 */
class KmsOnBehalfOfTest extends WithKmsAndKey {
    private static final String S3_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";
    private static final String DATA_KEYS = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}]}""";

    @Test
    void requesterWithoutKmsRightsIsDeniedEvenThroughS3() {
        KmsFixture.UserKey alice = kms.userKey("alice", S3_ONLY);
        try (KmsClient s3 = kms.serviceClient("s3", alice.accessKeyId())) {
            assertThatThrownBy(() -> s3.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32)))
                    .isInstanceOfSatisfying(KmsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("user/alice");
                    });
        }
    }

    @Test
    void requesterWithKmsRightsSucceedsAndTheAuditNamesRequesterAndService() throws Exception {
        KmsFixture.UserKey bob = kms.userKey("bob", DATA_KEYS);
        try (KmsClient s3 = kms.serviceClient("s3", bob.accessKeyId())) {
            var dk = s3.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32)
                    .encryptionContext(Map.of("aws:s3:arn", "arn:aws:s3:::bucket/object")));
            assertThat(s3.decrypt(r -> r.ciphertextBlob(dk.ciphertextBlob())
                    .encryptionContext(Map.of("aws:s3:arn", "arn:aws:s3:::bucket/object"))).plaintext()).isEqualTo(dk.plaintext());
        }
        kms.trail.rollOver();
        AuditRecord record = AuditLookup.find(dir.resolve("audit"), AuditLookup.Query.all().withEventName("GenerateDataKey"))
                .records().getFirst();
        assertThat(record.userIdentity().arn()).isEqualTo(kms.userArn("bob"));
        assertThat(record.userIdentity().accessKeyId()).isEqualTo(bob.accessKeyId());
        assertThat(record.userIdentity().invokedBy()).isEqualTo("s3.amazonaws.com");
        assertThat(record.toJson()).contains("arn:aws:s3:::bucket/object");
    }

    @Test
    void awsManagedKeyIsUsableThroughItsServiceWithoutAnyKmsPermission() {
        KmsFixture.UserKey carol = kms.userKey("carol", S3_ONLY);
        try (KmsClient s3 = kms.serviceClient("s3", carol.accessKeyId())) {
            assertThat(s3.generateDataKey(r -> r.keyId("alias/aws/s3").numberOfBytes(32)).plaintext().asByteArray()).hasSize(32);
        }
        assertThatThrownBy(() -> carol.client().generateDataKey(r -> r.keyId("alias/aws/s3").numberOfBytes(32)))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        try (KmsClient ebs = kms.serviceClient("ec2", carol.accessKeyId())) {
            assertThatThrownBy(() -> ebs.generateDataKey(r -> r.keyId("alias/aws/s3").numberOfBytes(32)))
                    .as("the s3 managed key is not usable via ec2")
                    .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        }
    }

    @Test
    void anyoneButACofferServiceIsRefusedWhenClaimingToActForSomeoneElse() {
        KmsFixture.UserKey victim = kms.userKey("victim", DATA_KEYS);
        try (KmsClient forging = KmsClient.builder().httpClient(new InProcessHttpClient(kms.service))
                .endpointOverride(URI.create("http://127.0.0.1:9000")).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KmsFixture.ROOT_ACCESS_KEY,
                        KmsFixture.ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .putHeader(KmsService.VIA_SERVICE_HEADER, "s3").putHeader(KmsService.REQUESTER_HEADER, victim.accessKeyId()))
                .build()) {
            assertThatThrownBy(() -> forging.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32)))
                    .isInstanceOfSatisfying(KmsException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("act on behalf of another principal");
                    });
        }
    }

    @Test
    void serviceCannotNameAnotherServiceAsRequester() {
        String otherService = kms.identities.issueServiceCredential("ec2").key().accessKeyId();
        try (KmsClient s3 = kms.serviceClient("s3", otherService)) {
            assertThatThrownBy(() -> s3.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32)))
                    .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        }
    }

    @Test
    void serviceCallingForItselfIsDecidedByTheKeyPolicyAlone() {
        try (KmsClient s3 = kms.serviceClient("s3", null)) {
            assertThatThrownBy(() -> s3.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))))
                    .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        }
    }
}

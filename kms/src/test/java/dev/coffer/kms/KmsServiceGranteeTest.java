package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.auth.identity.Principal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateGrantResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyWithoutPlaintextResponse;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * One of Coffer's services as the grantee of a grant its requester made, as EBS attaches a volume:
 * the requester creates (through ec2) a grant for the EC2 service's principal, constrained to the
 * volume's encryption context, and the service then decrypts as itself under it, only within that
 * context, until it retires the grant.
 */
class KmsServiceGranteeTest extends WithKmsAndKey {
    private static final String VOLUME_USER = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:CreateGrant",
            "kms:GenerateDataKeyWithoutPlaintext"],"Resource":"*"}]}""";
    private static final String GRANTS_FOR_AWS_RESOURCES_ONLY = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":"kms:GenerateDataKeyWithoutPlaintext","Resource":"*"},
              {"Effect":"Allow","Action":"kms:CreateGrant","Resource":"*",
               "Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}]}""";
    private static final Map<String, String> VOLUME_1 = Map.of("aws:ebs:id", "vol-1");
    private static final Map<String, String> VOLUME_2 = Map.of("aws:ebs:id", "vol-2");

    private String ec2Arn() {
        return new Principal.Service(kms.identities.account(), "ec2").arn();
    }

    private CreateGrantResponse grantToEc2(KmsClient viaEc2, Map<String, String> context) {
        return viaEc2.createGrant(r -> r.keyId(keyId).granteePrincipal(ec2Arn()).retiringPrincipal(ec2Arn())
                .operations(GrantOperation.DECRYPT, GrantOperation.RETIRE_GRANT)
                .constraints(c -> c.encryptionContextSubset(context)));
    }

    @Test
    void serviceGranteeDecryptsAsItselfOnlyWithinTheGrantsContextUntilItRetiresTheGrant() {
        KmsFixture.UserKey user = kms.userKey("attacher", VOLUME_USER);
        try (KmsClient viaEc2 = kms.serviceClient("ec2", user.accessKeyId());
             KmsClient ec2 = kms.serviceClient("ec2", null)) {
            GenerateDataKeyWithoutPlaintextResponse mine = viaEc2.generateDataKeyWithoutPlaintext(r -> r.keyId(keyId)
                    .keySpec("AES_256").encryptionContext(VOLUME_1));
            GenerateDataKeyWithoutPlaintextResponse theirs = viaEc2.generateDataKeyWithoutPlaintext(r -> r.keyId(keyId)
                    .keySpec("AES_256").encryptionContext(VOLUME_2));
            assertDenied(() -> ec2.decrypt(r -> r.ciphertextBlob(mine.ciphertextBlob()).encryptionContext(VOLUME_1)));

            CreateGrantResponse grant = grantToEc2(viaEc2, VOLUME_1);
            assertThat(ec2.decrypt(r -> r.keyId(keyId).ciphertextBlob(mine.ciphertextBlob()).encryptionContext(VOLUME_1)
                    .grantTokens(grant.grantToken())).plaintext().asByteArray()).hasSize(32);
            assertDenied(() -> ec2.decrypt(r -> r.ciphertextBlob(theirs.ciphertextBlob()).encryptionContext(VOLUME_2)
                    .grantTokens(grant.grantToken())));

            ec2.retireGrant(r -> r.keyId(keyId).grantId(grant.grantId()));
            assertDenied(() -> ec2.decrypt(r -> r.ciphertextBlob(mine.ciphertextBlob()).encryptionContext(VOLUME_1)));
            assertThatThrownBy(() -> ec2.retireGrant(r -> r.keyId(keyId).grantId(grant.grantId())))
                    .isInstanceOfSatisfying(KmsException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidGrantIdException"));
        }
    }

    @Test
    void grantScopedToAwsResourcesCanBeMadeThroughTheServiceButNotDirectly() {
        KmsFixture.UserKey user = kms.userKey("scoped", GRANTS_FOR_AWS_RESOURCES_ONLY);
        try (KmsClient viaEc2 = kms.serviceClient("ec2", user.accessKeyId())) {
            assertThat(grantToEc2(viaEc2, VOLUME_1).grantId()).isNotBlank();
        }
        assertDenied(() -> grantToEc2(user.client(), VOLUME_1));
        assertThat(root.listGrants(r -> r.keyId(keyId)).grants()).hasSize(1);
    }

    @Test
    void anotherServiceCannotUseTheEc2ServicesGrant() {
        KmsFixture.UserKey user = kms.userKey("attacher", VOLUME_USER);
        try (KmsClient viaEc2 = kms.serviceClient("ec2", user.accessKeyId());
             KmsClient s3 = kms.serviceClient("s3", null)) {
            byte[] blob = viaEc2.generateDataKeyWithoutPlaintext(r -> r.keyId(keyId).keySpec("AES_256")
                    .encryptionContext(VOLUME_1)).ciphertextBlob().asByteArray();
            CreateGrantResponse grant = grantToEc2(viaEc2, VOLUME_1);
            assertDenied(() -> s3.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(blob))
                    .encryptionContext(VOLUME_1).grantTokens(List.of(grant.grantToken()))));
            assertDenied(() -> s3.retireGrant(r -> r.keyId(keyId).grantId(grant.grantId())));
        }
    }

    private static void assertDenied(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KmsException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }
}

package dev.coffer.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GrantOperation;
import software.amazon.awssdk.services.kms.model.KmsException;

/** Key policies, IAM policies and grants decide every key use, as in AWS. */
class KmsAccessControlTest extends WithKmsAndKey {
    private static final String S3_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";
    private static final String DECRYPT_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]}""";

    @Test
    void userWithFullS3RightsButNoKmsRightsIsDeniedDataKeysAndDecrypt() {
        KmsClient alice = kms.user("alice", S3_ONLY);
        SdkBytes blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
        assertAccessDenied(() -> alice.generateDataKey(r -> r.keyId(keyId).numberOfBytes(32)), "kms:GenerateDataKey", "alice");
        assertAccessDenied(() -> alice.decrypt(r -> r.ciphertextBlob(blob)), "kms:Decrypt", "alice");
        assertThat(kms.auditor.named("Decrypt")).anySatisfy(e -> {
            assertThat(e.principalArn()).isEqualTo(kms.userArn("alice"));
            assertThat(e.error()).isEqualTo(KmsError.ACCESS_DENIED);
        });
    }

    @Test
    void iamPolicyAppliesBecauseTheDefaultKeyPolicyDelegatesToTheAccount() {
        KmsClient bob = kms.user("bob", DECRYPT_ONLY);
        SdkBytes blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("for bob"))).ciphertextBlob();
        assertThat(bob.decrypt(r -> r.ciphertextBlob(blob)).plaintext().asUtf8String()).isEqualTo("for bob");
        assertAccessDenied(() -> bob.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))), "kms:Encrypt", "bob");
        assertAccessDenied(() -> bob.createKey(r -> { }), "kms:CreateKey", "bob");
    }

    @Test
    void keyPolicyWithoutTheAccountStatementMakesIamAllowsIneffective() {
        KmsClient carol = kms.user("carol", DECRYPT_ONLY);
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},
                 "Action":["kms:PutKeyPolicy","kms:GetKeyPolicy","kms:Encrypt"],"Resource":"*"}]}""".formatted(kms.account());
        root.putKeyPolicy(r -> r.keyId(keyId).policy(policy));
        SdkBytes blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
        assertAccessDenied(() -> carol.decrypt(r -> r.ciphertextBlob(blob)), "kms:Decrypt", "carol");
    }

    @Test
    void keyPolicyNamingTheUserAllowsWithoutAnyIamPolicy() {
        KmsClient dave = kms.user("dave", null);
        String policy = """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%1$s:root"},"Action":"kms:*","Resource":"*"},
                 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%1$s:user/dave"},"Action":"kms:Encrypt","Resource":"*"}]}"""
                .formatted(kms.account());
        root.putKeyPolicy(r -> r.keyId(keyId).policy(policy));
        assertThat(dave.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob()).isNotNull();
    }

    @Test
    void explicitDenyInTheKeyPolicyBeatsEveryAllow() {
        String policy = """
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%1$s:root"},"Action":"kms:*","Resource":"*"},
                 {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*",
                  "Condition":{"StringNotEquals":{"kms:EncryptionContext:department":"finance"}}}]}""".formatted(kms.account());
        root.putKeyPolicy(r -> r.keyId(keyId).policy(policy));
        SdkBytes hr = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("hr"))
                .encryptionContext(Map.of("department", "hr"))).ciphertextBlob();
        SdkBytes finance = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("fin"))
                .encryptionContext(Map.of("department", "finance"))).ciphertextBlob();
        assertAccessDenied(() -> root.decrypt(r -> r.ciphertextBlob(hr).encryptionContext(Map.of("department", "hr"))),
                "kms:Decrypt", "root");
        assertThat(root.decrypt(r -> r.ciphertextBlob(finance).encryptionContext(Map.of("department", "finance")))
                .plaintext().asUtf8String()).isEqualTo("fin");
    }

    @Test
    void grantAllowsItsOperationsAtOnceWithinItsConstraintsUntilRevoked() {
        KmsClient erin = kms.user("erin", null);
        SdkBytes blob = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("granted"))
                .encryptionContext(Map.of("project", "x"))).ciphertextBlob();
        assertAccessDenied(() -> erin.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(Map.of("project", "x"))),
                "kms:Decrypt", "erin");
        var grant = root.createGrant(r -> r.keyId(keyId).granteePrincipal(kms.userArn("erin"))
                .operations(GrantOperation.DECRYPT).constraints(c -> c.encryptionContextSubset(Map.of("project", "x"))));
        assertThat(erin.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(Map.of("project", "x")).grantTokens(grant.grantToken()))
                .plaintext().asUtf8String()).isEqualTo("granted");
        SdkBytes other = root.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("other"))
                .encryptionContext(Map.of("project", "y"))).ciphertextBlob();
        assertAccessDenied(() -> erin.decrypt(r -> r.ciphertextBlob(other).encryptionContext(Map.of("project", "y"))),
                "kms:Decrypt", "erin");
        assertAccessDenied(() -> erin.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))), "kms:Encrypt", "erin");
        assertThat(root.listGrants(r -> r.keyId(keyId)).grants()).singleElement()
                .satisfies(g -> assertThat(g.granteePrincipal()).isEqualTo(kms.userArn("erin")));
        root.revokeGrant(r -> r.keyId(keyId).grantId(grant.grantId()));
        assertAccessDenied(() -> erin.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(Map.of("project", "x"))),
                "kms:Decrypt", "erin");
        assertThatThrownBy(() -> root.decrypt(r -> r.ciphertextBlob(blob).encryptionContext(Map.of("project", "x"))
                .grantTokens(grant.grantToken())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidGrantTokenException"));
    }

    @Test
    void retiringPrincipalRetiresAndOthersCannot() {
        kms.user("frank", null);
        KmsClient grace = kms.user("grace", null);
        var grant = root.createGrant(r -> r.keyId(keyId).granteePrincipal(kms.userArn("frank"))
                .retiringPrincipal(kms.userArn("grace")).operations(GrantOperation.ENCRYPT));
        assertThat(root.listRetirableGrants(r -> r.retiringPrincipal(kms.userArn("grace"))).grants()).hasSize(1);
        grace.retireGrant(r -> r.grantToken(grant.grantToken()));
        assertThat(root.listGrants(r -> r.keyId(keyId)).grants()).isEmpty();
        var second = root.createGrant(r -> r.keyId(keyId).granteePrincipal(kms.userArn("frank")).operations(GrantOperation.ENCRYPT));
        assertThatThrownBy(() -> grace.retireGrant(r -> r.keyId(keyId).grantId(second.grantId())))
                .isInstanceOfSatisfying(KmsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }

    @Test
    void awsManagedKeyPolicyAllowsUseOnlyViaItsService() {
        KmsClient henry = kms.user("henry", S3_ONLY);
        assertAccessDenied(() -> henry.generateDataKey(r -> r.keyId("alias/aws/s3").numberOfBytes(32)), "kms:GenerateDataKey", "henry");
    }

    private static void assertAccessDenied(Runnable call, String action, String who) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(KmsException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).contains(who).contains("is not authorized to perform: " + action);
        });
    }
}

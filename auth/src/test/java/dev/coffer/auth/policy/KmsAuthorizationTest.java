package dev.coffer.auth.policy;

import static dev.coffer.auth.policy.PolicyFixtures.KEY_ARN;
import static dev.coffer.auth.policy.PolicyFixtures.alice;
import static dev.coffer.auth.policy.PolicyFixtures.carol;
import static dev.coffer.auth.policy.PolicyFixtures.identityPolicy;
import static dev.coffer.auth.policy.PolicyFixtures.resourcePolicy;
import static dev.coffer.auth.policy.PolicyFixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Key policy + IAM policies + grants, end to end through {@link PolicyEvaluator#decideKms}. */
class KmsAuthorizationTest {
    private static final PolicyDocument DEFAULT_KEY_POLICY = resourcePolicy("""
            {"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions",
             "Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}""");

    private static final PolicyDocument DECRYPT_ANY_KEY = identityPolicy("""
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}""");

    private static final PolicyDocument S3_ONLY = identityPolicy("""
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}""");

    /** The shape of an AWS managed key's policy (aws/s3): usable by the account only through S3. */
    private static final PolicyDocument AWS_MANAGED_KEY_POLICY = resourcePolicy("""
            {"Version": "2012-10-17", "Id": "auto-s3-2", "Statement": [
              {"Sid": "Allow access through S3 for all principals in the account that are authorized to use S3",
               "Effect": "Allow", "Principal": {"AWS": "*"},
               "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
               "Resource": "*",
               "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333",
                                              "kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
              {"Sid": "Allow direct access to key metadata to the account", "Effect": "Allow",
               "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
               "Action": ["kms:Describe*", "kms:Get*", "kms:List*"], "Resource": "*"}]}""");

    private static Decision decide(PolicyDocument keyPolicy, RequestContext context, boolean grantAllows,
            PolicyDocument... identityPolicies) {
        ResourcePolicyResult key = PolicyEvaluator.evaluateResourcePolicy(keyPolicy, context);
        Decision identity = PolicyEvaluator.evaluateIdentityPolicies(List.of(identityPolicies), context);
        boolean sameAccount = context.principal().accountId().map("111122223333"::equals).orElse(true);
        return PolicyEvaluator.decideKms(key, identity, grantAllows, sameAccount);
    }

    private static RequestContext decrypt(CallerPrincipal caller) {
        return RequestContext.builder(caller, "kms:Decrypt", KEY_ARN).build();
    }

    @Test
    void defaultKeyPolicyLetsIamPolicyAllowDecrypt() {
        assertThat(decide(DEFAULT_KEY_POLICY, decrypt(alice()), false, DECRYPT_ANY_KEY)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void defaultKeyPolicyDeniesUserWhoseIamPolicyCoversOnlyS3() {
        assertThat(decide(DEFAULT_KEY_POLICY, decrypt(alice()), false, S3_ONLY)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void defaultKeyPolicyDeniesUserWithoutIamPolicies() {
        assertThat(decide(DEFAULT_KEY_POLICY, decrypt(alice()), false)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void defaultKeyPolicyAllowsAccountRootWithoutIamPolicies() {
        assertThat(decide(DEFAULT_KEY_POLICY, decrypt(root()), false)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void iamAllowHasNoEffectWithoutTheAccountStatementInTheKeyPolicy() {
        PolicyDocument bobOnly = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "kms:*", "Resource": "*"}}""");

        assertThat(decide(bobOnly, decrypt(alice()), false, DECRYPT_ANY_KEY)).isEqualTo(Decision.IMPLICIT_DENY);
        // Not even the root may use the key unless the key policy names the account.
        assertThat(decide(bobOnly, decrypt(root()), false)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void keyPolicyNamingUserAllowsWithoutIamPolicyInKeyAccount() {
        PolicyDocument aliceKeyUser = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "kms:Decrypt", "Resource": "*"}}""");

        assertThat(decide(aliceKeyUser, decrypt(alice()), false)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void userOfAnotherAccountNeedsBothKeyPolicyAndOwnIamPolicy() {
        PolicyDocument sharedWithOtherAccount = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
                  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:user/carol"},
                   "Action": "kms:Decrypt", "Resource": "*"}]}""");

        assertThat(decide(sharedWithOtherAccount, decrypt(carol()), false)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(sharedWithOtherAccount, decrypt(carol()), false, DECRYPT_ANY_KEY)).isEqualTo(Decision.ALLOW);
        assertThat(decide(DEFAULT_KEY_POLICY, decrypt(carol()), false, DECRYPT_ANY_KEY)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void grantAllowsWhenNoPolicyDoes() {
        assertThat(decide(DEFAULT_KEY_POLICY, decrypt(alice()), true)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void explicitDenyInIamPolicyBeatsKeyPolicyAndGrant() {
        PolicyDocument denyDecrypt = identityPolicy("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": "kms:*", "Resource": "*"},
                  {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}]}""");

        assertThat(decide(DEFAULT_KEY_POLICY, decrypt(alice()), true, denyDecrypt)).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void explicitDenyInKeyPolicyBeatsIamAllowGrantAndRoot() {
        PolicyDocument denyScheduledDeletion = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"},
                  {"Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}""");
        RequestContext schedule = RequestContext.builder(root(), "kms:ScheduleKeyDeletion", KEY_ARN).build();

        assertThat(decide(denyScheduledDeletion, schedule, true, DECRYPT_ANY_KEY)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(denyScheduledDeletion, decrypt(root()), false)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void awsManagedKeyIsUsableThroughTheServiceWithoutKmsPermissions() {
        RequestContext viaS3 = RequestContext.builder(alice(), "kms:GenerateDataKey", KEY_ARN)
                .conditionKey("kms:CallerAccount", "111122223333")
                .conditionKey("kms:ViaService", "s3.us-east-1.amazonaws.com").build();

        assertThat(decide(AWS_MANAGED_KEY_POLICY, viaS3, false, S3_ONLY)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void awsManagedKeyIsNotUsableDirectly() {
        RequestContext direct = RequestContext.builder(alice(), "kms:Decrypt", KEY_ARN)
                .conditionKey("kms:CallerAccount", "111122223333").build();

        assertThat(decide(AWS_MANAGED_KEY_POLICY, direct, false, DECRYPT_ANY_KEY)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void awsManagedKeyIsNotUsableFromAnotherAccountEvenThroughTheService() {
        RequestContext otherAccountViaS3 = RequestContext.builder(carol(), "kms:Decrypt", KEY_ARN)
                .conditionKey("kms:CallerAccount", "444455556666")
                .conditionKey("kms:ViaService", "s3.us-east-1.amazonaws.com").build();

        assertThat(decide(AWS_MANAGED_KEY_POLICY, otherAccountViaS3, false, DECRYPT_ANY_KEY))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void awsManagedKeyMetadataIsReadableThroughIamDelegation() {
        RequestContext describe = RequestContext.builder(alice(), "kms:DescribeKey", KEY_ARN).build();
        PolicyDocument describeKeys = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "kms:Describe*", "Resource": "*"}}""");

        assertThat(decide(AWS_MANAGED_KEY_POLICY, describe, false, describeKeys)).isEqualTo(Decision.ALLOW);
        assertThat(decide(AWS_MANAGED_KEY_POLICY, describe, false, S3_ONLY)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void encryptionContextConditionsRestrictKeyUse() {
        PolicyDocument tenantKey = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "kms:Decrypt", "Resource": "*",
                 "Condition": {"StringEquals": {"kms:EncryptionContext:tenant": "blue"},
                               "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["tenant", "aws:s3:arn"]}}}}""");
        RequestContext blue = RequestContext.builder(alice(), "kms:Decrypt", KEY_ARN)
                .conditionKey("kms:EncryptionContext:tenant", "blue")
                .conditionKey("kms:EncryptionContextKeys", "tenant", "aws:s3:arn").build();
        RequestContext blueWithExtraKey = RequestContext.builder(alice(), "kms:Decrypt", KEY_ARN)
                .conditionKey("kms:EncryptionContext:tenant", "blue")
                .conditionKey("kms:EncryptionContextKeys", "tenant", "purpose").build();

        assertThat(decide(tenantKey, blue, false)).isEqualTo(Decision.ALLOW);
        assertThat(decide(tenantKey, blueWithExtraKey, false)).isEqualTo(Decision.IMPLICIT_DENY);
    }
}

package dev.coffer.auth.policy;

import static dev.coffer.auth.policy.PolicyFixtures.KEY_ARN;
import static dev.coffer.auth.policy.PolicyFixtures.alice;
import static dev.coffer.auth.policy.PolicyFixtures.identityDecision;
import static dev.coffer.auth.policy.PolicyFixtures.identityPolicy;
import static dev.coffer.auth.policy.PolicyFixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentityPolicyEvaluationTest {
    private static final PolicyDocument ALLOW_KMS = identityPolicy("""
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "kms:*", "Resource": "*"}}""");
    private static final PolicyDocument DENY_DECRYPT = identityPolicy("""
            {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}}""");

    private static RequestContext request(CallerPrincipal caller, String action) {
        return RequestContext.builder(caller, action, KEY_ARN).build();
    }

    @Test
    void applicableAllowStatementAllows() {
        assertThat(identityDecision(request(alice(), "kms:Encrypt"), ALLOW_KMS)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void noApplicableStatementIsImplicitDeny() {
        assertThat(identityDecision(request(alice(), "s3:GetObject"), ALLOW_KMS)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(identityDecision(request(alice(), "kms:Encrypt"))).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void explicitDenyInOnePolicyBeatsAllowInAnother() {
        assertThat(identityDecision(request(alice(), "kms:Decrypt"), ALLOW_KMS, DENY_DECRYPT)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(identityDecision(request(alice(), "kms:Decrypt"), DENY_DECRYPT, ALLOW_KMS)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(identityDecision(request(alice(), "kms:Encrypt"), ALLOW_KMS, DENY_DECRYPT)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void denyWhoseConditionFailsDoesNotApply() {
        PolicyDocument denyOutsideOffice = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*",
                 "Condition": {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}}""");
        RequestContext fromOffice = RequestContext.builder(alice(), "kms:Encrypt", KEY_ARN)
                .conditionKey("aws:SourceIp", "192.0.2.10").build();
        RequestContext fromElsewhere = RequestContext.builder(alice(), "kms:Encrypt", KEY_ARN)
                .conditionKey("aws:SourceIp", "198.51.100.10").build();

        assertThat(identityDecision(fromOffice, ALLOW_KMS, denyOutsideOffice)).isEqualTo(Decision.ALLOW);
        assertThat(identityDecision(fromElsewhere, ALLOW_KMS, denyOutsideOffice)).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void accountRootIsAllowedWithoutPoliciesButNotAgainstExplicitDeny() {
        assertThat(identityDecision(request(root(), "kms:ScheduleKeyDeletion"))).isEqualTo(Decision.ALLOW);
        assertThat(identityDecision(request(root(), "kms:Decrypt"), DENY_DECRYPT)).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void anonymousCallerHasNoIdentityPermissions() {
        assertThat(identityDecision(request(CallerPrincipal.anonymous(), "s3:GetObject"))).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void requestContextDerivesPrincipalKeysUnlessSetExplicitly() {
        RequestContext derived = request(alice(), "kms:Decrypt");
        RequestContext overridden = RequestContext.builder(alice(), "kms:Decrypt", KEY_ARN)
                .conditionKey("AWS:PrincipalArn", "arn:aws:iam::111122223333:user/other").build();

        assertThat(derived.conditionValues("aws:principalarn")).containsExactly("arn:aws:iam::111122223333:user/alice");
        assertThat(derived.conditionValues("aws:PrincipalAccount")).containsExactly("111122223333");
        assertThat(derived.conditionValues("aws:username")).containsExactly("alice");
        assertThat(derived.conditionValues("aws:userid")).containsExactly("AIDAALICEEXAMPLE");
        assertThat(overridden.conditionValues("aws:PrincipalArn")).containsExactly("arn:aws:iam::111122223333:user/other");
        assertThat(request(root(), "kms:Decrypt").conditionValues("aws:username")).isEmpty();
    }
}

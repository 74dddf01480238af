package dev.coffer.auth.policy;

import static dev.coffer.auth.policy.PolicyFixtures.KEY_ARN;
import static dev.coffer.auth.policy.PolicyFixtures.alice;
import static dev.coffer.auth.policy.PolicyFixtures.bob;
import static dev.coffer.auth.policy.PolicyFixtures.carol;
import static dev.coffer.auth.policy.PolicyFixtures.resourcePolicy;
import static dev.coffer.auth.policy.PolicyFixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrincipalMatchingTest {
    private static final ResourcePolicyResult DIRECT = new ResourcePolicyResult(false, true, false);
    private static final ResourcePolicyResult DELEGATED = new ResourcePolicyResult(false, false, true);
    private static final ResourcePolicyResult DENIED = new ResourcePolicyResult(true, false, false);
    private static final ResourcePolicyResult NOTHING = ResourcePolicyResult.NOTHING_APPLIES;

    private static ResourcePolicyResult decrypt(String principalElement, String effect, CallerPrincipal caller) {
        PolicyDocument policy = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "%s", %s, "Action": "kms:Decrypt", "Resource": "*"}}"""
                .formatted(effect, principalElement));
        return PolicyEvaluator.evaluateResourcePolicy(policy, RequestContext.builder(caller, "kms:Decrypt", KEY_ARN).build());
    }

    private static ResourcePolicyResult allow(String principalElement, CallerPrincipal caller) {
        return decrypt(principalElement, "Allow", caller);
    }

    @Test
    void starNamesEveryoneDirectlyIncludingAnonymousAndServices() {
        for (String everyone : List.of("\"Principal\": \"*\"", "\"Principal\": {\"AWS\": \"*\"}")) {
            assertThat(allow(everyone, alice())).isEqualTo(DIRECT);
            assertThat(allow(everyone, root())).isEqualTo(DIRECT);
            assertThat(allow(everyone, carol())).isEqualTo(DIRECT);
            assertThat(allow(everyone, CallerPrincipal.anonymous())).isEqualTo(DIRECT);
            assertThat(allow(everyone, CallerPrincipal.service("s3.amazonaws.com"))).isEqualTo(DIRECT);
        }
    }

    @Test
    void accountPrincipalAllowsRootDirectlyAndDelegatesForItsUsers() {
        for (String account : List.of("\"Principal\": {\"AWS\": \"111122223333\"}",
                "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}")) {
            assertThat(allow(account, root())).isEqualTo(DIRECT);
            assertThat(allow(account, alice())).isEqualTo(DELEGATED);
            assertThat(allow(account, carol())).isEqualTo(NOTHING);
            assertThat(allow(account, CallerPrincipal.anonymous())).isEqualTo(NOTHING);
        }
    }

    @Test
    void userArnNamesOnlyThatUser() {
        String aliceOnly = "\"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:user/alice\"]}";
        assertThat(allow(aliceOnly, alice())).isEqualTo(DIRECT);
        assertThat(allow(aliceOnly, bob())).isEqualTo(NOTHING);
        assertThat(allow(aliceOnly, root())).isEqualTo(NOTHING);
    }

    @Test
    void namingUserAndAccountReportsBothForms() {
        String both = "\"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:user/alice\", \"111122223333\"]}";
        assertThat(allow(both, alice())).isEqualTo(DIRECT);
        assertThat(allow(both, bob())).isEqualTo(DELEGATED);
    }

    @Test
    void servicePrincipalNamesOnlyThatService() {
        String cloudTrail = "\"Principal\": {\"Service\": [\"cloudtrail.amazonaws.com\"]}";
        assertThat(allow(cloudTrail, CallerPrincipal.service("cloudtrail.amazonaws.com"))).isEqualTo(DIRECT);
        assertThat(allow(cloudTrail, CallerPrincipal.service("s3.amazonaws.com"))).isEqualTo(NOTHING);
        assertThat(allow(cloudTrail, alice())).isEqualTo(NOTHING);
    }

    @Test
    void denyNamingAnAccountDeniesEveryIdentityOfThatAccount() {
        String otherAccount = "\"Principal\": {\"AWS\": \"444455556666\"}";
        assertThat(decrypt(otherAccount, "Deny", carol())).isEqualTo(DENIED);
        assertThat(decrypt(otherAccount, "Deny", CallerPrincipal.accountRoot("444455556666"))).isEqualTo(DENIED);
        assertThat(decrypt(otherAccount, "Deny", alice())).isEqualTo(NOTHING);
    }

    @Test
    void notPrincipalDenyExemptsAUserListedTogetherWithItsAccount() {
        String exceptAlice = "\"NotPrincipal\": {\"AWS\": [\"arn:aws:iam::111122223333:user/alice\", \"arn:aws:iam::111122223333:root\"]}";
        assertThat(decrypt(exceptAlice, "Deny", alice())).isEqualTo(NOTHING);
        assertThat(decrypt(exceptAlice, "Deny", root())).isEqualTo(NOTHING);
        assertThat(decrypt(exceptAlice, "Deny", bob())).isEqualTo(DENIED);
        assertThat(decrypt(exceptAlice, "Deny", carol())).isEqualTo(DENIED);
        assertThat(decrypt(exceptAlice, "Deny", CallerPrincipal.anonymous())).isEqualTo(DENIED);
    }

    @Test
    void notPrincipalDenyListingUserWithoutItsAccountStillDeniesTheUser() {
        String userOnly = "\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:user/alice\"}";
        assertThat(decrypt(userOnly, "Deny", alice())).isEqualTo(DENIED);
    }

    @Test
    void notPrincipalExemptsListedServiceAndStarExemptsEveryone() {
        String exceptS3 = "\"NotPrincipal\": {\"Service\": \"s3.amazonaws.com\"}";
        assertThat(decrypt(exceptS3, "Deny", CallerPrincipal.service("s3.amazonaws.com"))).isEqualTo(NOTHING);
        assertThat(decrypt(exceptS3, "Deny", CallerPrincipal.service("ec2.amazonaws.com"))).isEqualTo(DENIED);
        assertThat(decrypt("\"NotPrincipal\": \"*\"", "Deny", alice())).isEqualTo(NOTHING);
    }

    @Test
    void notPrincipalAllowNamesEveryoneElseDirectly() {
        String exceptCarol = "\"NotPrincipal\": {\"AWS\": [\"arn:aws:iam::444455556666:user/carol\", \"444455556666\"]}";
        assertThat(allow(exceptCarol, alice())).isEqualTo(DIRECT);
        assertThat(allow(exceptCarol, carol())).isEqualTo(NOTHING);
    }

    @Test
    void resourceEvaluationRejectsIdentityPoliciesAndViceVersa() {
        PolicyDocument identity = PolicyFixtures.identityPolicy("""
                {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}""");
        PolicyDocument resource = resourcePolicy("""
                {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}""");
        RequestContext context = RequestContext.builder(alice(), "kms:Decrypt", KEY_ARN).build();

        assertThatThrownBy(() -> PolicyEvaluator.evaluateResourcePolicy(identity, context))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PolicyEvaluator.evaluateIdentityPolicies(List.of(resource), context))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callerPrincipalRefusesRootArnAsOrdinaryIdentity() {
        assertThatThrownBy(() -> CallerPrincipal.iamIdentity("arn:aws:iam::111122223333:root", "111122223333", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

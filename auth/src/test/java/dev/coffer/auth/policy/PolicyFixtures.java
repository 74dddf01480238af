package dev.coffer.auth.policy;

import java.util.List;

/** Principals, resources and parsing shortcuts shared by the policy tests. */
final class PolicyFixtures {
    static final String ACCOUNT = "111122223333";
    static final String OTHER_ACCOUNT = "444455556666";
    static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String OBJECT_ARN = "arn:aws:s3:::example-bucket/reports/2024.csv";

    private PolicyFixtures() {
    }

    static CallerPrincipal root() {
        return CallerPrincipal.accountRoot(ACCOUNT);
    }

    static CallerPrincipal alice() {
        return CallerPrincipal.iamIdentity("arn:aws:iam::111122223333:user/alice", ACCOUNT, "alice", "AIDAALICEEXAMPLE");
    }

    static CallerPrincipal bob() {
        return CallerPrincipal.iamIdentity("arn:aws:iam::111122223333:user/bob", ACCOUNT, "bob", "AIDABOBEXAMPLE");
    }

    /** A user of {@link #OTHER_ACCOUNT}. */
    static CallerPrincipal carol() {
        return CallerPrincipal.iamIdentity("arn:aws:iam::444455556666:user/carol", OTHER_ACCOUNT, "carol", "AIDACAROLEXAMPLE");
    }

    static PolicyDocument identityPolicy(String json) {
        return parse(json, PolicyKind.IDENTITY);
    }

    static PolicyDocument resourcePolicy(String json) {
        return parse(json, PolicyKind.RESOURCE);
    }

    private static PolicyDocument parse(String json, PolicyKind kind) {
        try {
            return PolicyDocument.parse(json, kind);
        } catch (MalformedPolicyException e) {
            throw new AssertionError("fixture policy does not parse: " + e.getMessage(), e);
        }
    }

    /** An identity policy of one Allow statement on every action and resource, with this Condition. */
    static PolicyDocument allowAllWhen(String conditionJson) {
        return identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                 "Condition": %s}}""".formatted(conditionJson));
    }

    /** Whether the Condition holds for a kms:Decrypt request by alice with these condition keys. */
    static boolean conditionHolds(String conditionJson, RequestContext context) {
        return PolicyEvaluator.evaluateIdentityPolicies(List.of(allowAllWhen(conditionJson)), context) == Decision.ALLOW;
    }

    static RequestContext.Builder aliceDecrypts() {
        return RequestContext.builder(alice(), "kms:Decrypt", KEY_ARN);
    }

    static Decision identityDecision(RequestContext context, PolicyDocument... policies) {
        return PolicyEvaluator.evaluateIdentityPolicies(List.of(policies), context);
    }
}

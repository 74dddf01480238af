package dev.coffer.auth.policy;

import java.util.List;
import java.util.Objects;

/**
 * Evaluates policies against a request and combines the verdicts the way AWS does.
 *
 * <p>Within one set of policies
 * (<a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html">Policy
 * evaluation logic</a>): an applicable Deny statement wins over any Allow; otherwise an applicable
 * Allow allows; otherwise the request is implicitly denied.
 *
 * <p>Across policy types:
 * <ul>
 *   <li><b>KMS</b> (<a href="https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html">Determining
 *       access to a KMS key</a>, <a href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html">Default
 *       key policy</a>, <a href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html">Allowing
 *       users in other accounts</a>): an explicit deny in the key policy or the IAM policies
 *       denies. Otherwise the key policy is the primary authority: in the key's account, a key
 *       policy statement naming the caller allows by itself, and one naming the caller's account
 *       (the "Enable IAM policies" statement) allows only if the caller's IAM policies allow too;
 *       without such a statement IAM allows have no effect. A caller from another account needs
 *       both an allow in the key policy (naming it or its account) and an allow in its own IAM
 *       policies. A grant that covers the request allows on its own.</li>
 *   <li><b>S3</b> (<a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html">How
 *       Amazon S3 authorizes a request</a>): an explicit deny in the bucket policy or the IAM
 *       policies denies. In the bucket's account, an allow in either the bucket policy or the IAM
 *       policies allows. From another account, the bucket policy must allow (naming the caller or
 *       its account) and the caller's IAM policies must allow.</li>
 *   <li><b>The account root</b> has every permission in IAM that is not explicitly denied, so
 *       {@link #evaluateIdentityPolicies} allows it; whether it may use a KMS key still depends on the
 *       key policy naming its account, while in S3 it may do anything in its own buckets that the
 *       bucket policy does not deny.</li>
 * </ul>
 *
 * <p>Callers with no account (anonymous S3 requests, service principals) have no IAM policies: pass
 * {@code sameAccount = true} for them, so the resource policy alone decides. Passing {@code false}
 * fails closed.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {
    }

    /**
     * Evaluates the identity policies attached to the caller (its user, groups, ...). The account
     * root is allowed unless a statement denies it.
     *
     * @throws IllegalArgumentException if a policy is not an {@link PolicyKind#IDENTITY} policy
     */
    public static Decision evaluateIdentityPolicies(List<PolicyDocument> policies, RequestContext context) {
        Objects.requireNonNull(context, "context");
        boolean allowed = context.principal().isAccountRoot();
        for (PolicyDocument policy : policies) {
            requireKind(policy, PolicyKind.IDENTITY);
            for (Statement statement : policy.statements()) {
                if (statement.appliesTo(context)) {
                    if (statement.effect() == Effect.DENY) {
                        return Decision.EXPLICIT_DENY;
                    }
                    allowed = true;
                }
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /**
     * Evaluates a resource policy (a key policy or a bucket policy) for the caller in
     * {@code context}; see {@link ResourcePolicyResult} for what each field means.
     *
     * @throws IllegalArgumentException if the policy is not a {@link PolicyKind#RESOURCE} policy
     */
    public static ResourcePolicyResult evaluateResourcePolicy(PolicyDocument policy, RequestContext context) {
        Objects.requireNonNull(context, "context");
        requireKind(policy, PolicyKind.RESOURCE);
        boolean explicitDeny = false;
        boolean allowsDirectly = false;
        boolean allowsAccount = false;
        for (Statement statement : policy.statements()) {
            PrincipalMatcher.Match principal = statement.principalMatch(context.principal());
            if (principal == PrincipalMatcher.Match.NONE || !statement.appliesTo(context)) {
                continue;
            }
            if (statement.effect() == Effect.DENY) {
                explicitDeny = true;
            } else if (principal == PrincipalMatcher.Match.DIRECT) {
                allowsDirectly = true;
            } else {
                allowsAccount = true;
            }
        }
        return new ResourcePolicyResult(explicitDeny, allowsDirectly, allowsAccount);
    }

    /**
     * Decides a KMS request.
     *
     * @param keyPolicy the key policy's result for this request
     * @param identity the caller's IAM policies' decision ({@link #evaluateIdentityPolicies})
     * @param grantAllows whether a grant on the key covers this caller, operation and encryption
     *     context (evaluated by the key service)
     * @param sameAccount whether the caller belongs to the key's account (or has no account at all)
     */
    public static Decision decideKms(ResourcePolicyResult keyPolicy, Decision identity, boolean grantAllows,
            boolean sameAccount) {
        Objects.requireNonNull(keyPolicy, "keyPolicy");
        Objects.requireNonNull(identity, "identity");
        if (keyPolicy.explicitDeny() || identity == Decision.EXPLICIT_DENY) {
            return Decision.EXPLICIT_DENY;
        }
        boolean identityAllows = identity == Decision.ALLOW;
        boolean keyPolicyAllows = sameAccount
                ? keyPolicy.allowsPrincipalDirectly() || (keyPolicy.allowsAccountDelegation() && identityAllows)
                : (keyPolicy.allowsPrincipalDirectly() || keyPolicy.allowsAccountDelegation()) && identityAllows;
        return keyPolicyAllows || grantAllows ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /**
     * Decides an S3 request.
     *
     * @param bucketPolicy the bucket policy's result, or null if the bucket has no policy
     * @param identity the caller's IAM policies' decision ({@link #evaluateIdentityPolicies})
     * @param sameAccount whether the caller belongs to the bucket owner's account (or has no account)
     */
    public static Decision decideS3(ResourcePolicyResult bucketPolicy, Decision identity, boolean sameAccount) {
        Objects.requireNonNull(identity, "identity");
        ResourcePolicyResult bucket = bucketPolicy == null ? ResourcePolicyResult.NOTHING_APPLIES : bucketPolicy;
        if (bucket.explicitDeny() || identity == Decision.EXPLICIT_DENY) {
            return Decision.EXPLICIT_DENY;
        }
        boolean identityAllows = identity == Decision.ALLOW;
        boolean allowed = sameAccount
                ? bucket.allowsPrincipalDirectly() || identityAllows
                : (bucket.allowsPrincipalDirectly() || bucket.allowsAccountDelegation()) && identityAllows;
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    private static void requireKind(PolicyDocument policy, PolicyKind kind) {
        Objects.requireNonNull(policy, "policy");
        if (policy.kind() != kind) {
            throw new IllegalArgumentException("expected a " + kind + " policy, got " + policy.kind());
        }
    }
}

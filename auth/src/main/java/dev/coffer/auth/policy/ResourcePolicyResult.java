package dev.coffer.auth.policy;

/**
 * What a resource policy (key policy, bucket policy) says about one request. The allow is split in
 * two because AWS treats them differently: naming the caller (or {@code *}) grants access by itself
 * in the resource's account, while naming the caller's account only delegates the decision to that
 * account's IAM policies (the "Enable IAM policies" statement of a default key policy).
 *
 * @param explicitDeny a Deny statement applies to this caller and request
 * @param allowsPrincipalDirectly an Allow statement applies and names this caller: its exact ARN,
 *     {@code *}, its service principal, its account when the caller is that account's root, or a
 *     NotPrincipal that does not exclude it
 * @param allowsAccountDelegation an Allow statement applies and names the caller's account (root ARN
 *     or account id) while the caller is a user of that account, not its root
 */
public record ResourcePolicyResult(boolean explicitDeny, boolean allowsPrincipalDirectly, boolean allowsAccountDelegation) {
    /** The result of a resource policy that says nothing about the request. */
    public static final ResourcePolicyResult NOTHING_APPLIES = new ResourcePolicyResult(false, false, false);
}

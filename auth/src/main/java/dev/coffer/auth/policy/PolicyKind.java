package dev.coffer.auth.policy;

/**
 * Where a policy is attached, which decides whether its statements name principals.
 *
 * <p>An identity policy is attached to a user and speaks for that user, so AWS rejects a Principal in
 * it ("Policy document should not specify a principal"). A resource policy (a KMS key policy or an S3
 * bucket policy) is attached to the resource, so every statement must say whom it is about.
 */
public enum PolicyKind {
    /** Attached to an IAM identity; statements have no Principal or NotPrincipal. */
    IDENTITY,
    /** Attached to a resource (key policy, bucket policy); every statement has Principal or NotPrincipal. */
    RESOURCE
}

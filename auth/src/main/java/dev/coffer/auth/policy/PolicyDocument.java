package dev.coffer.auth.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed, validated, immutable IAM policy: an identity policy, an S3 bucket policy or a KMS key
 * policy. The original JSON is kept, because GetKeyPolicy and GetBucketPolicy return it verbatim.
 *
 * <p>Grammar (<a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html">IAM
 * JSON policy grammar</a>): a JSON object with {@code Version} ("2012-10-17" or "2008-10-17"; if
 * absent, 2008-10-17, which has no policy variables), {@code Id} and {@code Statement} (an object or
 * a non-empty array of them). A statement has {@code Sid} (unique in the policy), {@code Effect}
 * ({@code Allow} or {@code Deny}), exactly one of {@code Action}/{@code NotAction}, exactly one of
 * {@code Resource}/{@code NotResource}, an optional {@code Condition}, and, in a resource policy
 * only, exactly one of {@code Principal}/{@code NotPrincipal}. Element names and Effect values are
 * case-sensitive; unknown elements and duplicate JSON fields are errors, as an ignored typo in a
 * security policy would silently change what it means. Size limits are the caller's (32 KB for key
 * policies, 20 KB for bucket policies).
 *
 * <p>Principal types other than {@code AWS} and {@code Service} ({@code Federated},
 * {@code CanonicalUser}) are rejected: Coffer has no such identities, and a statement that could
 * never match is better refused than kept.
 */
public final class PolicyDocument {
    private final String json;
    private final PolicyKind kind;
    private final String version;
    private final String id;
    private final List<Statement> statements;

    PolicyDocument(String json, PolicyKind kind, String version, String id, List<Statement> statements) {
        this.json = json;
        this.kind = kind;
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses and validates a policy.
     *
     * @param kind whether the policy is attached to an identity (statements must not name a
     *     principal) or to a resource (every statement must)
     * @throws MalformedPolicyException naming the first problem found, e.g. "Statement 2: Effect must
     *     be Allow or Deny"
     */
    public static PolicyDocument parse(String json, PolicyKind kind) throws MalformedPolicyException {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(kind, "kind");
        return PolicyParser.parse(json, kind);
    }

    /** The policy exactly as it was given to {@link #parse}. */
    public String json() {
        return json;
    }

    public PolicyKind kind() {
        return kind;
    }

    /** The Version element, if the policy has one. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /** The Id element, if the policy has one. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    public List<Statement> statements() {
        return statements;
    }

    @Override
    public String toString() {
        return "PolicyDocument[" + kind + (id == null ? "" : " " + id) + ", " + statements.size() + " statements]";
    }
}

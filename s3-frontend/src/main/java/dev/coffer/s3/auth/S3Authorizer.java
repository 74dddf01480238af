package dev.coffer.s3.auth;

import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.policy.Decision;
import dev.coffer.auth.policy.MalformedPolicyException;
import dev.coffer.auth.policy.ParsedPolicies;
import dev.coffer.auth.policy.PolicyDocument;
import dev.coffer.auth.policy.PolicyEvaluator;
import dev.coffer.auth.policy.PolicyKind;
import dev.coffer.auth.policy.RequestContext;
import dev.coffer.auth.policy.ResourcePolicyResult;
import dev.coffer.auth.service.RequestHead;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides every S3 request with the one policy evaluator in auth/: the caller's IAM identity
 * policies and the bucket policy, as AWS combines them (an explicit deny anywhere wins; the bucket
 * owner's account needs one allow; another account needs both; anonymous callers need the bucket
 * policy). Condition keys: aws:SecureTransport, aws:SourceIp, aws:CurrentTime, aws:EpochTime,
 * aws:PrincipalArn... (filled by the request context), plus the S3 keys each operation passes.
 */
public final class S3Authorizer {
    private final Function<Principal, List<String>> identityPolicies;
    private final ParsedPolicies bucketPolicies = new ParsedPolicies(PolicyKind.RESOURCE);
    private final ParsedPolicies identityPolicyDocuments = new ParsedPolicies(PolicyKind.IDENTITY);

    /** @param identityPolicies the identity policy documents attached to a principal */
    public S3Authorizer(Function<Principal, List<String>> identityPolicies) {
        this.identityPolicies = Objects.requireNonNull(identityPolicies, "identityPolicies");
    }

    /**
     * Allows the request or throws AccessDenied.
     *
     * @param bucketOwnerAccountId the bucket owner, or null for service-level requests and CreateBucket
     * @param bucketPolicy the bucket policy JSON, or null
     * @param s3Conditions operation-specific condition keys (s3:prefix, s3:x-amz-server-side-encryption...)
     */
    public void authorize(S3Caller caller, String action, String resourceArn, String bucketOwnerAccountId,
                          String bucketPolicy, RequestHead head, Map<String, List<String>> s3Conditions) {
        RequestContext.Builder builder = RequestContext.builder(caller.policyPrincipal(), action, resourceArn);
        Instant now = head.receivedAt();
        builder.conditionKey("aws:SecureTransport", String.valueOf(head.secureTransport()))
                .conditionKey("aws:SourceIp", head.sourceIp())
                .conditionKey("aws:CurrentTime", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)))
                .conditionKey("aws:EpochTime", String.valueOf(now.getEpochSecond()));
        if (!caller.isAnonymous()) {
            builder.conditionKey("s3:authType", caller.verified().presigned() ? "REST-QUERY-STRING" : "REST-HEADER")
                    .conditionKey("s3:signatureversion", "AWS4-HMAC-SHA256");
        }
        s3Conditions.forEach(builder::conditionKey);
        RequestContext context = builder.build();

        ResourcePolicyResult bucket = bucketPolicy == null ? null
                : PolicyEvaluator.evaluateResourcePolicy(bucketPolicies.parse(bucketPolicy), context);
        Decision decision;
        if (caller.isAnonymous()) {
            decision = bucket == null || bucket.explicitDeny() ? Decision.EXPLICIT_DENY
                    : bucket.allowsPrincipalDirectly() ? Decision.ALLOW : Decision.IMPLICIT_DENY;
        } else {
            Principal principal = caller.verified().principal();
            Decision identity = PolicyEvaluator.evaluateIdentityPolicies(
                    identityPolicyDocuments.parseAll(identityPolicies.apply(principal)), context);
            boolean sameAccount = bucketOwnerAccountId == null || bucketOwnerAccountId.equals(principal.account().value());
            decision = PolicyEvaluator.decideS3(bucket, identity, sameAccount);
        }
        if (!decision.isAllowed()) {
            throw new S3Exception(S3Error.ACCESS_DENIED);
        }
    }

    /** Parses a bucket policy as PutBucketPolicy must: MalformedPolicy with AWS's reason when it is not valid. */
    public static PolicyDocument validateBucketPolicy(String json) {
        try {
            return PolicyDocument.parse(json, PolicyKind.RESOURCE);
        } catch (MalformedPolicyException e) {
            throw new S3Exception(S3Error.MALFORMED_POLICY, e.getMessage());
        }
    }
}

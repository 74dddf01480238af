package dev.coffer.auth.policy;

import static dev.coffer.auth.policy.PolicyFixtures.OBJECT_ARN;
import static dev.coffer.auth.policy.PolicyFixtures.alice;
import static dev.coffer.auth.policy.PolicyFixtures.carol;
import static dev.coffer.auth.policy.PolicyFixtures.identityPolicy;
import static dev.coffer.auth.policy.PolicyFixtures.resourcePolicy;
import static dev.coffer.auth.policy.PolicyFixtures.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bucket policy + IAM policies, end to end through {@link PolicyEvaluator#decideS3}. */
class S3AuthorizationTest {
    private static final PolicyDocument REQUIRE_SSE_KMS_AND_TLS = resourcePolicy("""
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "DenyObjectsNotEncryptedWithKms", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
               "Resource": "arn:aws:s3:::example-bucket/*",
               "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
              {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
               "Resource": ["arn:aws:s3:::example-bucket", "arn:aws:s3:::example-bucket/*"],
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}""");

    private static final PolicyDocument S3_FULL_ACCESS = identityPolicy("""
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}""");

    private static Decision decide(PolicyDocument bucketPolicy, RequestContext context, PolicyDocument... identityPolicies) {
        ResourcePolicyResult bucket = bucketPolicy == null ? null : PolicyEvaluator.evaluateResourcePolicy(bucketPolicy, context);
        Decision identity = PolicyEvaluator.evaluateIdentityPolicies(List.of(identityPolicies), context);
        boolean sameAccount = context.principal().accountId().map("111122223333"::equals).orElse(true);
        return PolicyEvaluator.decideS3(bucket, identity, sameAccount);
    }

    private static RequestContext.Builder put(CallerPrincipal caller) {
        return RequestContext.builder(caller, "s3:PutObject", OBJECT_ARN).conditionKey("aws:SecureTransport", "true");
    }

    @Test
    void putObjectWithoutEncryptionHeaderIsDenied() {
        assertThat(decide(REQUIRE_SSE_KMS_AND_TLS, put(alice()).build(), S3_FULL_ACCESS)).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void putObjectWithOtherEncryptionIsDenied() {
        RequestContext aes = put(alice()).conditionKey("s3:x-amz-server-side-encryption", "AES256").build();

        assertThat(decide(REQUIRE_SSE_KMS_AND_TLS, aes, S3_FULL_ACCESS)).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void putObjectWithKmsEncryptionHeaderIsAllowedByIdentityPolicy() {
        RequestContext kms = put(alice()).conditionKey("s3:x-amz-server-side-encryption", "aws:kms").build();

        assertThat(decide(REQUIRE_SSE_KMS_AND_TLS, kms, S3_FULL_ACCESS)).isEqualTo(Decision.ALLOW);
        assertThat(decide(REQUIRE_SSE_KMS_AND_TLS, kms)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void requestOverPlainHttpIsDeniedEvenToTheRoot() {
        RequestContext insecureGet = RequestContext.builder(root(), "s3:GetObject", OBJECT_ARN)
                .conditionKey("aws:SecureTransport", "false").build();
        RequestContext secureGet = RequestContext.builder(root(), "s3:GetObject", OBJECT_ARN)
                .conditionKey("aws:SecureTransport", "true").build();

        assertThat(decide(REQUIRE_SSE_KMS_AND_TLS, insecureGet)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(REQUIRE_SSE_KMS_AND_TLS, secureGet)).isEqualTo(Decision.ALLOW);
    }

    @Test
    void rootOfBucketAccountIsAllowedWithoutAnyPolicy() {
        assertThat(decide(null, put(root()).build())).isEqualTo(Decision.ALLOW);
    }

    @Test
    void sameAccountUserIsAllowedByIdentityPolicyAlone() {
        assertThat(decide(null, put(alice()).build(), S3_FULL_ACCESS)).isEqualTo(Decision.ALLOW);
        assertThat(decide(null, put(alice()).build())).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void sameAccountUserIsAllowedByBucketPolicyAlone() {
        PolicyDocument aliceMayPut = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "s3:PutObject",
                 "Resource": "arn:aws:s3:::example-bucket/*"}}""");

        assertThat(decide(aliceMayPut, put(alice()).build())).isEqualTo(Decision.ALLOW);
    }

    @Test
    void userOfAnotherAccountNeedsBucketPolicyAndOwnIamPolicy() {
        PolicyDocument otherAccountMayPut = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "444455556666"},
                 "Action": "s3:PutObject", "Resource": "arn:aws:s3:::example-bucket/*"}}""");

        assertThat(decide(otherAccountMayPut, put(carol()).build(), S3_FULL_ACCESS)).isEqualTo(Decision.ALLOW);
        assertThat(decide(otherAccountMayPut, put(carol()).build())).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(null, put(carol()).build(), S3_FULL_ACCESS)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void anonymousCallerIsAllowedOnlyByPublicBucketPolicy() {
        PolicyDocument publicRead = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}}""");
        RequestContext anonymousGet = RequestContext.builder(CallerPrincipal.anonymous(), "s3:GetObject", OBJECT_ARN).build();
        RequestContext anonymousPut = RequestContext.builder(CallerPrincipal.anonymous(), "s3:PutObject", OBJECT_ARN).build();

        assertThat(decide(publicRead, anonymousGet)).isEqualTo(Decision.ALLOW);
        assertThat(decide(publicRead, anonymousPut)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(null, anonymousGet)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void explicitDenyInIdentityPolicyBeatsBucketPolicyAllow() {
        PolicyDocument publicRead = resourcePolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*",
                 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}}""");
        PolicyDocument denyReports = identityPolicy("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::example-bucket/reports/*"}}""");
        RequestContext get = RequestContext.builder(alice(), "s3:GetObject", OBJECT_ARN).build();

        assertThat(decide(publicRead, get, S3_FULL_ACCESS, denyReports)).isEqualTo(Decision.EXPLICIT_DENY);
    }

    @Test
    void decisionTableForSameAndCrossAccount() {
        ResourcePolicyResult direct = new ResourcePolicyResult(false, true, false);
        ResourcePolicyResult delegated = new ResourcePolicyResult(false, false, true);
        ResourcePolicyResult deny = new ResourcePolicyResult(true, true, true);

        assertThat(PolicyEvaluator.decideS3(direct, Decision.IMPLICIT_DENY, true)).isEqualTo(Decision.ALLOW);
        assertThat(PolicyEvaluator.decideS3(direct, Decision.IMPLICIT_DENY, false)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(PolicyEvaluator.decideS3(delegated, Decision.ALLOW, false)).isEqualTo(Decision.ALLOW);
        assertThat(PolicyEvaluator.decideS3(null, Decision.ALLOW, true)).isEqualTo(Decision.ALLOW);
        assertThat(PolicyEvaluator.decideS3(deny, Decision.ALLOW, true)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(PolicyEvaluator.decideS3(direct, Decision.EXPLICIT_DENY, true)).isEqualTo(Decision.EXPLICIT_DENY);
    }
}

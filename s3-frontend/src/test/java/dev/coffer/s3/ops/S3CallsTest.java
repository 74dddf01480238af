package dev.coffer.s3.ops;

import static dev.coffer.s3.http.RequestHeads.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.auth.identity.AccountId;
import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.sigv4.CredentialScope;
import dev.coffer.auth.sigv4.SigV4Verified;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.auth.S3Authorizer;
import dev.coffer.s3.auth.S3Caller;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The s3: condition keys each operation puts into the policy context, evaluated by the real
 * authorizer against the bucket policies AWS documents for enforcing encryption.
 */
class S3CallsTest {
    private static final String OWNER = "111122223333";
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final S3Caller ALICE = new S3Caller(new SigV4Verified<>(
            new Principal.User(new AccountId(OWNER), "alice", "AIDAALICE", "/"), "AKIAALICE",
            new CredentialScope("20260101", "us-east-1", "s3"), Instant.EPOCH, SecretBytes.copyOf(new byte[32]), "seed",
            false, List.of("host")));
    private static final S3Authorizer AUTHORIZER = new S3Authorizer(p -> List.of("""
            {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"""));

    private static final String REQUIRE_SSE_KMS = """
            {"Version":"2012-10-17","Statement":[{"Sid":"DenyIncorrectEncryptionHeader","Effect":"Deny","Principal":"*",
              "Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*",
              "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}}}]}""";
    private static final String REQUIRE_SOME_ENCRYPTION_HEADER = """
            {"Version":"2012-10-17","Statement":[{"Sid":"DenyUnencryptedObjectUploads","Effect":"Deny","Principal":"*",
              "Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*",
              "Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}]}""";
    private static final String REQUIRE_THIS_KMS_KEY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject",
              "Resource":"arn:aws:s3:::b/*",
              "Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"%s"}}}]}""".formatted(KEY_ARN);

    private static void authorize(String bucketPolicy, S3Request request) {
        S3Operation operation = S3Operation.resolve(request);
        AUTHORIZER.authorize(ALICE, operation.iamAction(), "arn:aws:s3:::b/" + request.key(), OWNER, bucketPolicy,
                request.head(), S3Calls.conditions(operation, request));
    }

    private static void assertDenied(String bucketPolicy, S3Request request) {
        assertThatThrownBy(() -> authorize(bucketPolicy, request))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.ACCESS_DENIED));
    }

    private static void assertAllowed(String bucketPolicy, S3Request request) {
        assertThatCode(() -> authorize(bucketPolicy, request)).doesNotThrowAnyException();
    }

    /** PUT, COPY (a PUT with x-amz-copy-source) and POST ?uploads: the three writes that carry encryption headers. */
    private static S3Request write(String kind, String... headers) {
        List<String> all = new java.util.ArrayList<>(List.of(headers));
        return switch (kind) {
            case "PutObject" -> request("PUT", "/b/k", all.toArray(String[]::new));
            case "CopyObject" -> {
                all.addAll(List.of("x-amz-copy-source", "/src/k"));
                yield request("PUT", "/b/k", all.toArray(String[]::new));
            }
            case "CreateMultipartUpload" -> request("POST", "/b/k?uploads", all.toArray(String[]::new));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"PutObject", "CopyObject", "CreateMultipartUpload"})
    void everyWriteCarriesItsEncryptionHeadersAsConditionKeys(String kind) {
        S3Request r = write(kind, "x-amz-server-side-encryption", "aws:kms",
                "x-amz-server-side-encryption-aws-kms-key-id", KEY_ARN,
                "x-amz-server-side-encryption-customer-algorithm", "AES256");
        assertThat(S3Operation.resolve(r).awsName()).isEqualTo(kind);

        Map<String, List<String>> conditions = S3Calls.conditions(S3Operation.resolve(r), r);

        assertThat(conditions).containsEntry("s3:x-amz-server-side-encryption", List.of("aws:kms"))
                .containsEntry("s3:x-amz-server-side-encryption-aws-kms-key-id", List.of(KEY_ARN))
                .containsEntry("s3:x-amz-server-side-encryption-customer-algorithm", List.of("AES256"));
        // Absent headers are absent keys (so Null conditions see them as null), never empty strings.
        assertThat(S3Calls.conditions(S3Operation.resolve(write(kind)), write(kind)))
                .doesNotContainKeys("s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PutObject", "CopyObject", "CreateMultipartUpload"})
    void stringNotEqualsAwsKmsDeniesWritesWithoutTheHeaderOrWithAes256(String kind) {
        assertDenied(REQUIRE_SSE_KMS, write(kind));
        assertDenied(REQUIRE_SSE_KMS, write(kind, "x-amz-server-side-encryption", "AES256"));
        assertAllowed(REQUIRE_SSE_KMS, write(kind, "x-amz-server-side-encryption", "aws:kms"));
        // Condition values are case-sensitive for StringNotEquals, as in AWS.
        assertDenied(REQUIRE_SSE_KMS, write(kind, "x-amz-server-side-encryption", "AWS:KMS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PutObject", "CopyObject", "CreateMultipartUpload"})
    void aNullConditionDeniesOnlyWritesWithoutAnEncryptionHeader(String kind) {
        assertDenied(REQUIRE_SOME_ENCRYPTION_HEADER, write(kind));
        assertAllowed(REQUIRE_SOME_ENCRYPTION_HEADER, write(kind, "x-amz-server-side-encryption", "AES256"));
        assertAllowed(REQUIRE_SOME_ENCRYPTION_HEADER, write(kind, "x-amz-server-side-encryption", "aws:kms"));
    }

    @Test
    void aKeyIdConditionComparesTheKeyIdHeaderAsSent() {
        assertAllowed(REQUIRE_THIS_KMS_KEY, write("PutObject", "x-amz-server-side-encryption", "aws:kms",
                "x-amz-server-side-encryption-aws-kms-key-id", KEY_ARN));
        // An alias or bare key id is not the ARN the policy names: AWS compares strings, so does Coffer.
        assertDenied(REQUIRE_THIS_KMS_KEY, write("PutObject", "x-amz-server-side-encryption", "aws:kms",
                "x-amz-server-side-encryption-aws-kms-key-id", "1234abcd-12ab-34cd-56ef-1234567890ab"));
        // aws:kms without a key id (the bucket default or aws/s3 decides later) has no key to compare.
        assertDenied(REQUIRE_THIS_KMS_KEY, write("PutObject", "x-amz-server-side-encryption", "aws:kms"));
    }

    @Test
    void readsAreNotTouchedByAWritePolicy() {
        assertAllowed(REQUIRE_SSE_KMS, request("GET", "/b/k"));
    }
}

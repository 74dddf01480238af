package dev.coffer.s3.sse;

import static dev.coffer.s3.sse.SseRequests.KEY_BASE64;
import static dev.coffer.s3.sse.SseRequests.KEY_MD5;
import static dev.coffer.s3.sse.SseRequests.OTHER_KEY_MD5;
import static dev.coffer.s3.sse.SseRequests.assertRefused;
import static dev.coffer.s3.sse.SseRequests.base64;
import static dev.coffer.s3.sse.SseRequests.http;
import static dev.coffer.s3.sse.SseRequests.https;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PutObject, CopyObject destination, CreateMultipartUpload: aws-semantics.md §1.1–§1.3. */
class SseHeadersForWriteTest {
    private static final String SSE = "x-amz-server-side-encryption";
    private static final String KMS_KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id";
    private static final String CONTEXT = "x-amz-server-side-encryption-context";
    private static final String BUCKET_KEY = "x-amz-server-side-encryption-bucket-key-enabled";
    private static final String ALGORITHM = "x-amz-server-side-encryption-customer-algorithm";
    private static final String KEY = "x-amz-server-side-encryption-customer-key";
    private static final String MD5 = "x-amz-server-side-encryption-customer-key-MD5";
    private static final String KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String KMS_REQUIRED =
            "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms";
    private static final String CONTEXT_MALFORMED = "The header 'x-amz-server-side-encryption-context' shall be "
            + "Base64-encoded UTF-8 string holding JSON which represents a string-string map";

    private static WriteEncryption write(S3Request request) {
        return SseHeaders.forWrite(request, false);
    }

    @Test
    void noHeaderLeavesItToTheBucketDefault() {
        assertThat(write(https())).isEqualTo(new WriteEncryption.None(Optional.empty()));
        assertThat(write(http())).isEqualTo(new WriteEncryption.None(Optional.empty()));
    }

    @Test
    void aes256IsSseS3() {
        assertThat(write(https(SSE, "AES256"))).isEqualTo(new WriteEncryption.SseS3());
        assertThat(write(http("X-Amz-Server-Side-Encryption", "AES256"))).isEqualTo(new WriteEncryption.SseS3());
    }

    @Test
    void awsKmsAloneUsesTheManagedKey() {
        assertThat(write(https(SSE, "aws:kms")))
                .isEqualTo(new WriteEncryption.SseKms(Optional.empty(), Map.of(), Optional.empty()));
    }

    @Test
    void awsKmsCarriesKeyIdContextAndBucketKeyInAnyOrderAndCase() {
        String context = base64("{\"department\":\"finance\",\"project\":\"ledger\"}");
        WriteEncryption expected = new WriteEncryption.SseKms(Optional.of(KEY_ARN),
                Map.of("department", "finance", "project", "ledger"), Optional.of(true));
        assertThat(write(https(SSE, "aws:kms", KMS_KEY_ID, KEY_ARN, CONTEXT, context, BUCKET_KEY, "true")))
                .isEqualTo(expected);
        assertThat(write(https("X-AMZ-SERVER-SIDE-ENCRYPTION-BUCKET-KEY-ENABLED", "TRUE",
                "X-Amz-Server-Side-Encryption-Context", context, "x-amz-server-side-encryption-aws-kms-key-id", KEY_ARN,
                "X-Amz-Server-Side-Encryption", "aws:kms"))).isEqualTo(expected);
    }

    @Test
    void theContextKeepsTheOrderItWasSentIn() {
        String context = base64("{\"z\":\"1\",\"a\":\"2\",\"m\":\"3\"}");
        WriteEncryption.SseKms kms = (WriteEncryption.SseKms) write(https(SSE, "aws:kms", CONTEXT, context));
        assertThat(kms.context().keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void theContextRoundTripsUnicode() {
        Map<String, String> context = new java.util.LinkedHashMap<>();
        context.put("名前", "値 — ünïcödé \uD83D\uDD11");
        context.put("quote\"back\\slash", "line\nbreak\ttab");
        String header = EncryptionContextHeader.encode(context);
        WriteEncryption.SseKms kms = (WriteEncryption.SseKms) write(https(SSE, "aws:kms", CONTEXT, header));
        assertThat(kms.context()).containsExactlyEntriesOf(context);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws:fsx", "aes256", "AWS:KMS", "AES-256", "", " AES256", "aws:kms:", "SSE-C", "none"})
    void anUnknownMethodIsNotSupported(String method) {
        S3Exception e = assertRefused(() -> write(https(SSE, method)), 400, "InvalidArgument",
                "The encryption method specified is not supported");
        assertThat(e.details()).containsEntry("ArgumentName", SSE).containsEntry("ArgumentValue", method);
    }

    @Test
    void dualLayerKmsIsNotImplemented() {
        S3Exception e = assertRefused(() -> write(https(SSE, "aws:kms:dsse", KMS_KEY_ID, KEY_ARN)), 501,
                "NotImplemented", "Dual-layer server-side encryption with AWS KMS keys (x-amz-server-side-encryption: "
                        + "aws:kms:dsse) is not implemented by this Coffer version; nothing was stored.");
        assertThat(e.details()).containsEntry("Header", SSE);
    }

    @Test
    void aKmsKeyIdWithoutAwsKmsIsRefused() {
        for (S3Request request : new S3Request[] {https(KMS_KEY_ID, KEY_ARN), https(SSE, "AES256", KMS_KEY_ID, KEY_ARN),
                https(KMS_KEY_ID, KEY_ARN, SSE, "AES256")}) {
            S3Exception e = assertRefused(() -> write(request), 400, "InvalidArgument", KMS_REQUIRED);
            assertThat(e.details()).containsEntry("ArgumentName", KMS_KEY_ID).containsEntry("ArgumentValue", KEY_ARN);
        }
    }

    @Test
    void aContextWithoutAwsKmsIsRefused() {
        String context = base64("{\"a\":\"b\"}");
        for (S3Request request : new S3Request[] {https(CONTEXT, context), https(SSE, "AES256", CONTEXT, context)}) {
            S3Exception e = assertRefused(() -> write(request), 400, "InvalidArgument", KMS_REQUIRED);
            assertThat(e.details()).containsEntry("ArgumentName", CONTEXT);
        }
    }

    @Test
    void anEmptyKmsKeyIdIsRefused() {
        assertRefused(() -> write(https(SSE, "aws:kms", KMS_KEY_ID, "")), 400, "InvalidArgument",
                "The KMS key id in x-amz-server-side-encryption-aws-kms-key-id must not be empty.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "e30", "bnVsbA==", "W10=", "eyJhIjoxfQ==", "eyJhIjoiYiIsImEiOiJjIn0=",
            "eyJhIjp7fX0=", "eyJhIjoiYiJ9eA==", "/w==", "eyJhIjoiXHVkODAwIn0="})
    void aMalformedContextIsRefused(String header) {
        // e30 = "{}" unpadded is valid; see below. The others: null, [], {"a":1}, duplicate "a", {"a":{}},
        // trailing text, invalid UTF-8, lone surrogate escape.
        if (header.equals("e30")) {
            assertThat(((WriteEncryption.SseKms) write(https(SSE, "aws:kms", CONTEXT, header))).context()).isEmpty();
            return;
        }
        S3Exception e = assertRefused(() -> write(https(SSE, "aws:kms", CONTEXT, header)), 400, "InvalidArgument",
                CONTEXT_MALFORMED);
        assertThat(e.details()).containsEntry("ArgumentName", CONTEXT).containsEntry("ArgumentValue", header);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws:s3:arn", "AWS:S3:ARN", "aws:anything", "Aws:x"})
    void aContextNameStartingWithAwsIsRefused(String name) {
        String header = base64("{\"mine\":\"ok\",\"" + name + "\":\"arn:aws:s3:::other-bucket/key\"}");
        S3Exception e = assertRefused(() -> write(https(SSE, "aws:kms", CONTEXT, header)), 400, "InvalidArgument",
                "Encryption context keys starting with 'aws:' are reserved for AWS use and cannot be supplied in "
                        + "x-amz-server-side-encryption-context");
        assertThat(e.details()).containsEntry("ArgumentName", CONTEXT);
    }

    @Test
    void aContextNameContainingAwsLaterIsAccepted() {
        String header = base64("{\"my:aws:key\":\"v\",\"aws\":\"w\"}");
        assertThat(((WriteEncryption.SseKms) write(https(SSE, "aws:kms", CONTEXT, header))).context())
                .containsOnlyKeys("my:aws:key", "aws");
    }

    @Test
    void bucketKeyEnabledIsTrueOrFalse() {
        assertThat(write(https(SSE, "aws:kms", BUCKET_KEY, "false")))
                .isEqualTo(new WriteEncryption.SseKms(Optional.empty(), Map.of(), Optional.of(false)));
        assertThat(write(https(BUCKET_KEY, "true"))).isEqualTo(new WriteEncryption.None(Optional.of(true)));
        assertThat(write(https(BUCKET_KEY, "False"))).isEqualTo(new WriteEncryption.None(Optional.of(false)));
        assertThat(write(https(SSE, "AES256", BUCKET_KEY, "true"))).isEqualTo(new WriteEncryption.SseS3());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "", " true", "enabled", "truee"})
    void bucketKeyEnabledOtherThanTrueOrFalseIsRefused(String value) {
        S3Exception e = assertRefused(() -> write(https(SSE, "aws:kms", BUCKET_KEY, value)), 400, "InvalidArgument",
                "x-amz-server-side-encryption-bucket-key-enabled must be true or false.");
        assertThat(e.details()).containsEntry("ArgumentName", BUCKET_KEY).containsEntry("ArgumentValue", value);
        assertRefused(() -> write(https(BUCKET_KEY, value)), 400, "InvalidArgument",
                "x-amz-server-side-encryption-bucket-key-enabled must be true or false.");
    }

    @Test
    void theSseCTrioGivesSseC() {
        WriteEncryption written = write(https(ALGORITHM, "AES256", KEY, KEY_BASE64, MD5, KEY_MD5));
        assertThat(written).isInstanceOfSatisfying(WriteEncryption.SseC.class, c -> {
            assertThat(c.key().keyMd5()).isEqualTo(KEY_MD5);
            c.key().close();
        });
        WriteEncryption allowed = SseHeaders.forWrite(http(MD5, KEY_MD5, KEY, KEY_BASE64, ALGORITHM, "AES256"), true);
        assertThat(allowed).isInstanceOf(WriteEncryption.SseC.class);
        ((WriteEncryption.SseC) allowed).key().close();
    }

    @Test
    void theSseCTrioIsValidatedOnWritesToo() {
        assertRefused(() -> write(https(ALGORITHM, "AES256", KEY, KEY_BASE64, MD5, OTHER_KEY_MD5)), 400,
                "InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided.");
        assertRefused(() -> write(https(KEY, KEY_BASE64, MD5, KEY_MD5)), 400, "InvalidArgument",
                "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.");
        assertRefused(() -> write(http(ALGORITHM, "AES256", KEY, KEY_BASE64, MD5, KEY_MD5)), 400, "InvalidRequest",
                "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES256", "aws:kms", "aws:kms:dsse", "bogus"})
    void sseCWithAnEncryptionMethodIsIncompatible(String method) {
        String message = "Server Side Encryption with Customer provided key is incompatible with the encryption method specified";
        S3Exception e = assertRefused(() -> write(https(ALGORITHM, "AES256", KEY, KEY_BASE64, MD5, KEY_MD5, SSE, method)),
                400, "InvalidArgument", message);
        assertThat(e.details()).containsEntry("ArgumentName", SSE).containsEntry("ArgumentValue", method);
        assertRefused(() -> write(https(SSE, method, MD5, KEY_MD5, KEY, KEY_BASE64, ALGORITHM, "AES256")), 400,
                "InvalidArgument", message);
        // Even an incomplete trio conflicts.
        assertRefused(() -> write(https(SSE, method, ALGORITHM, "AES256")), 400, "InvalidArgument", message);
    }

    @Test
    void sseCOverHttpIsReportedBeforeTheConflict() {
        assertRefused(() -> write(http(SSE, "aws:kms", ALGORITHM, "AES256", KEY, KEY_BASE64, MD5, KEY_MD5)), 400,
                "InvalidRequest",
                "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.");
    }

    @Test
    void sseCWithAKmsKeyIdOrContextNeedsAwsKms() {
        assertRefused(() -> write(https(ALGORITHM, "AES256", KEY, KEY_BASE64, MD5, KEY_MD5, KMS_KEY_ID, KEY_ARN)), 400,
                "InvalidArgument", KMS_REQUIRED);
        assertRefused(() -> write(https(ALGORITHM, "AES256", KEY, KEY_BASE64, MD5, KEY_MD5, CONTEXT, base64("{}"))),
                400, "InvalidArgument", KMS_REQUIRED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "maybe"})
    void sseCWithABucketKeyIsRefused(String value) {
        S3Exception e = assertRefused(
                () -> write(https(ALGORITHM, "AES256", KEY, KEY_BASE64, MD5, KEY_MD5, BUCKET_KEY, value)), 400,
                "InvalidArgument", "Server Side Encryption with Customer provided keys cannot use an S3 Bucket Key "
                        + "(x-amz-server-side-encryption-bucket-key-enabled).");
        assertThat(e.details()).containsEntry("ArgumentName", BUCKET_KEY);
    }
}

package dev.coffer.s3.sse;

import static dev.coffer.s3.sse.SseRequests.KEY_BASE64;
import static dev.coffer.s3.sse.SseRequests.KEY_MD5;
import static dev.coffer.s3.sse.SseRequests.assertRefused;
import static dev.coffer.s3.sse.SseRequests.base64;
import static dev.coffer.s3.sse.SseRequests.http;
import static dev.coffer.s3.sse.SseRequests.https;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.s3.error.S3Exception;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** GET/HEAD/UploadPart take only the SSE-C trio (aws-semantics.md §1.1, §1.3). */
class SseHeadersRefuseWriteOnlyTest {
    @ParameterizedTest
    @CsvSource({"x-amz-server-side-encryption, AES256", "x-amz-server-side-encryption, aws:kms",
            "x-amz-server-side-encryption-aws-kms-key-id, alias/aws/s3",
            "x-amz-server-side-encryption-context, e30=", "x-amz-server-side-encryption-bucket-key-enabled, true"})
    void aWriteOnlyHeaderIsRefused(String name, String value) {
        for (String sent : new String[] {name, name.toUpperCase(Locale.ROOT)}) {
            S3Exception e = assertRefused(() -> SseHeaders.refuseWriteOnlyHeaders(https(sent, value)), 400,
                    "InvalidArgument", name + " header is not supported for this operation.");
            assertThat(e.details()).containsEntry("ArgumentName", name).containsEntry("ArgumentValue", value);
        }
    }

    @Test
    void theSseCTrioAndOrdinaryHeadersPass() {
        assertThatCode(() -> SseHeaders.refuseWriteOnlyHeaders(http())).doesNotThrowAnyException();
        assertThatCode(() -> SseHeaders.refuseWriteOnlyHeaders(https(
                "x-amz-server-side-encryption-customer-algorithm", "AES256",
                "x-amz-server-side-encryption-customer-key", KEY_BASE64,
                "x-amz-server-side-encryption-customer-key-MD5", KEY_MD5,
                "x-amz-copy-source-server-side-encryption-customer-algorithm", "AES256",
                "x-amz-server-side-encryption-customer-keyx", "x", "Range", "bytes=0-1")))
                .doesNotThrowAnyException();
    }

    @Test
    void anSseCReadThatAlsoNamesAMethodIsRefused() {
        assertRefused(() -> SseHeaders.refuseWriteOnlyHeaders(https(
                "x-amz-server-side-encryption-customer-algorithm", "AES256",
                "x-amz-server-side-encryption-customer-key", KEY_BASE64,
                "x-amz-server-side-encryption-customer-key-MD5", KEY_MD5,
                "x-amz-server-side-encryption", "AES256")), 400, "InvalidArgument",
                "x-amz-server-side-encryption header is not supported for this operation.");
        assertRefused(() -> SseHeaders.refuseWriteOnlyHeaders(https("x-amz-server-side-encryption-context",
                base64("{\"a\":\"b\"}"))), 400, "InvalidArgument",
                "x-amz-server-side-encryption-context header is not supported for this operation.");
    }
}

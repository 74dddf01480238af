package dev.coffer.s3.sse;

import static dev.coffer.s3.sse.SseRequests.KEY_BASE64;
import static dev.coffer.s3.sse.SseRequests.KEY_MD5;
import static dev.coffer.s3.sse.SseRequests.RAW_KEY;
import static dev.coffer.s3.sse.SseRequests.https;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CustomerKeyTest {
    @Test
    void theMd5IsOfTheRawBytes() {
        try (CustomerKey key = CustomerKey.copyOf(RAW_KEY)) {
            assertThat(key.keyMd5()).isEqualTo(KEY_MD5);
            assertThat(key.key().toByteArray(SecretAccess.explicitly())).isEqualTo(RAW_KEY);
        }
    }

    @Test
    void knownAnswerFromTheAwsCliIssue() {
        // aws/aws-cli#6906: the key "testaes256testaes256testaes25612" echoes MD5 ezatpv/Yg0KkjX+5ZcsxdQ==.
        try (CustomerKey key = CustomerKey.copyOf("testaes256testaes256testaes25612".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(key.keyMd5()).isEqualTo("ezatpv/Yg0KkjX+5ZcsxdQ==");
        }
    }

    @Test
    void onlyThirtyTwoByteKeys() {
        assertThatThrownBy(() -> CustomerKey.copyOf(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CustomerKey.copyOf(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeZeroisesTheKey() {
        SecretBytes secret = SecretBytes.copyOf(RAW_KEY);
        CustomerKey key = CustomerKey.of(secret);
        key.close();
        assertThat(secret.isDestroyed()).isTrue();
        assertThat(key.toString()).contains("destroyed");
    }

    @Test
    void toStringShowsNeitherKeyNorBase64NorMd5() {
        try (CustomerKey key = SseHeaders.customerKey(https("x-amz-server-side-encryption-customer-algorithm", "AES256",
                "x-amz-server-side-encryption-customer-key", KEY_BASE64,
                "x-amz-server-side-encryption-customer-key-MD5", KEY_MD5), false).orElseThrow()) {
            assertThat(key.toString()).isEqualTo("CustomerKey[AES256]")
                    .doesNotContain(KEY_BASE64, KEY_MD5, new String(RAW_KEY, StandardCharsets.ISO_8859_1));
            assertThat(new WriteEncryption.SseC(key).toString()).doesNotContain(KEY_BASE64, KEY_MD5);
        }
    }

    @Test
    void sameKeyAsComparesContents() {
        try (CustomerKey a = CustomerKey.copyOf(RAW_KEY); CustomerKey b = CustomerKey.copyOf(RAW_KEY);
             CustomerKey c = CustomerKey.copyOf(new byte[32])) {
            assertThat(a.sameKeyAs(b)).isTrue();
            assertThat(a.sameKeyAs(c)).isFalse();
            assertThat(a).isNotEqualTo(b);
        }
    }
}

package dev.coffer.s3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coffer.auth.service.RequestHead;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Requests carrying SSE headers, SSE-C key fixtures, and one assertion for an S3 error row. */
final class SseRequests {
    /** A 32-byte key whose bytes are not printable, so its base64 and MD5 differ from any text form. */
    static final byte[] RAW_KEY = rawKey(32, 7);
    static final String KEY_BASE64 = Base64.getEncoder().encodeToString(RAW_KEY);
    static final String KEY_MD5 = md5Base64(RAW_KEY);
    static final byte[] OTHER_RAW_KEY = rawKey(32, 91);
    static final String OTHER_KEY_BASE64 = Base64.getEncoder().encodeToString(OTHER_RAW_KEY);
    static final String OTHER_KEY_MD5 = md5Base64(OTHER_RAW_KEY);

    private SseRequests() {
    }

    static S3Request https(String... headerNamesAndValues) {
        return request(true, headerNamesAndValues);
    }

    static S3Request http(String... headerNamesAndValues) {
        return request(false, headerNamesAndValues);
    }

    static S3Request request(boolean secureTransport, String... headerNamesAndValues) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Host", "localhost"));
        for (int i = 0; i < headerNamesAndValues.length; i += 2) {
            headers.add(Map.entry(headerNamesAndValues[i], headerNamesAndValues[i + 1]));
        }
        RequestHead head = new RequestHead("req-1", "PUT", "/bucket/key", "", headers, null, secureTransport, Instant.EPOCH);
        return new S3Request(head, "bucket", "key", Map.of());
    }

    static byte[] rawKey(int size, int seed) {
        byte[] key = new byte[size];
        for (int i = 0; i < size; i++) {
            key[i] = (byte) (seed * 31 + i * 131);
        }
        return key;
    }

    static String md5Base64(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String base64(String utf8) {
        return Base64.getEncoder().encodeToString(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Asserts the call fails with exactly this status, code and message, and that neither the
     * message nor any error element shows the test keys, their base64 or their MD5.
     */
    static S3Exception assertRefused(ThrowingCallable call, int status, String code, String message) {
        S3Exception e = catchThrowableOfType(S3Exception.class, call);
        assertThat(e).as("expected an S3Exception").isNotNull();
        assertThat(e.error().status()).isEqualTo(status);
        assertThat(e.error().code()).isEqualTo(code);
        assertThat(e.getMessage()).isEqualTo(message);
        assertNoSecret(e);
        return e;
    }

    static void assertNoSecret(S3Exception e) {
        List<String> shown = new ArrayList<>(e.details().values());
        shown.add(e.getMessage());
        shown.add(e.toString());
        for (String text : shown) {
            assertThat(text).doesNotContain(KEY_BASE64, KEY_MD5, OTHER_KEY_BASE64, OTHER_KEY_MD5,
                    new String(RAW_KEY, StandardCharsets.ISO_8859_1));
        }
    }
}

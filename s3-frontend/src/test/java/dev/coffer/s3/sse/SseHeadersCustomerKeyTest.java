package dev.coffer.s3.sse;

import static dev.coffer.s3.sse.SseRequests.KEY_BASE64;
import static dev.coffer.s3.sse.SseRequests.KEY_MD5;
import static dev.coffer.s3.sse.SseRequests.OTHER_KEY_BASE64;
import static dev.coffer.s3.sse.SseRequests.OTHER_KEY_MD5;
import static dev.coffer.s3.sse.SseRequests.RAW_KEY;
import static dev.coffer.s3.sse.SseRequests.assertRefused;
import static dev.coffer.s3.sse.SseRequests.http;
import static dev.coffer.s3.sse.SseRequests.https;
import static dev.coffer.s3.sse.SseRequests.md5Base64;
import static dev.coffer.s3.sse.SseRequests.rawKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.crypto.SecretAccess;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SSE-C matrix (aws-semantics.md §1.2) for the object trio and the copy-source trio alike. */
class SseHeadersCustomerKeyTest {
    private static final String MUST = "Requests specifying Server Side Encryption with Customer provided keys must ";

    /** The two trios and the method that reads each. */
    enum Trio {
        OBJECT("x-amz-server-side-encryption-customer-", SseHeaders::customerKey),
        COPY_SOURCE("x-amz-copy-source-server-side-encryption-customer-", SseHeaders::copySourceCustomerKey);

        final String algorithm;
        final String key;
        final String md5;
        private final BiFunction<S3Request, Boolean, Optional<CustomerKey>> reader;

        Trio(String prefix, BiFunction<S3Request, Boolean, Optional<CustomerKey>> reader) {
            this.algorithm = prefix + "algorithm";
            this.key = prefix + "key";
            this.md5 = prefix + "key-MD5";
            this.reader = reader;
        }

        Optional<CustomerKey> read(S3Request request) {
            return reader.apply(request, false);
        }

        String[] headers(String algorithmValue, String keyValue, String md5Value) {
            java.util.List<String> h = new java.util.ArrayList<>();
            if (algorithmValue != null) {
                h.add(algorithm);
                h.add(algorithmValue);
            }
            if (keyValue != null) {
                h.add(key);
                h.add(keyValue);
            }
            if (md5Value != null) {
                h.add(md5);
                h.add(md5Value);
            }
            return h.toArray(String[]::new);
        }
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void aValidTrioGivesTheKeyAndItsMd5(Trio trio) {
        try (CustomerKey key = trio.read(https(trio.headers("AES256", KEY_BASE64, KEY_MD5))).orElseThrow()) {
            assertThat(key.key().toByteArray(SecretAccess.explicitly())).isEqualTo(RAW_KEY);
            assertThat(key.keyMd5()).isEqualTo(KEY_MD5);
        }
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void noTrioHeaderMeansNoKey(Trio trio) {
        assertThat(trio.read(https())).isEmpty();
        assertThat(trio.read(http("x-amz-server-side-encryption", "AES256"))).isEmpty();
    }

    @Test
    void theObjectTrioAndTheCopySourceTrioAreReadIndependently() {
        S3Request copy = https("x-amz-copy-source-server-side-encryption-customer-algorithm", "AES256",
                "x-amz-copy-source-server-side-encryption-customer-key", KEY_BASE64,
                "x-amz-copy-source-server-side-encryption-customer-key-MD5", KEY_MD5,
                "x-amz-server-side-encryption-customer-algorithm", "AES256",
                "x-amz-server-side-encryption-customer-key", OTHER_KEY_BASE64,
                "x-amz-server-side-encryption-customer-key-MD5", OTHER_KEY_MD5);
        try (CustomerKey source = SseHeaders.copySourceCustomerKey(copy, false).orElseThrow();
             CustomerKey destination = SseHeaders.customerKey(copy, false).orElseThrow()) {
            assertThat(source.keyMd5()).isEqualTo(KEY_MD5);
            assertThat(destination.keyMd5()).isEqualTo(OTHER_KEY_MD5);
            assertThat(source.sameKeyAs(destination)).isFalse();
        }
        assertThat(SseHeaders.customerKey(https(Trio.COPY_SOURCE.headers("AES256", KEY_BASE64, KEY_MD5)), false))
                .isEmpty();
        assertThat(SseHeaders.copySourceCustomerKey(https(Trio.OBJECT.headers("AES256", KEY_BASE64, KEY_MD5)), false))
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void headerNamesAreCaseInsensitive(Trio trio) {
        S3Request request = https(trio.algorithm.toUpperCase(Locale.ROOT), "AES256", trio.key.toUpperCase(Locale.ROOT),
                KEY_BASE64, trio.md5.toLowerCase(Locale.ROOT), KEY_MD5);
        try (CustomerKey key = trio.read(request).orElseThrow()) {
            assertThat(key.keyMd5()).isEqualTo(KEY_MD5);
        }
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void headerOrderDoesNotMatter(Trio trio) {
        S3Request reversed = https(trio.md5, KEY_MD5, trio.key, KEY_BASE64, trio.algorithm, "AES256");
        try (CustomerKey key = trio.read(reversed).orElseThrow()) {
            assertThat(key.keyMd5()).isEqualTo(KEY_MD5);
        }
        S3Request reversedBadMd5 = https(trio.md5, OTHER_KEY_MD5, trio.key, KEY_BASE64, trio.algorithm, "AES256");
        assertRefused(() -> trio.read(reversedBadMd5), 400, "InvalidArgument",
                "The calculated MD5 hash of the key did not match the hash that was provided.");
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void anAlgorithmOtherThanAes256IsInvalidEncryptionAlgorithmError(Trio trio) {
        for (String algorithm : new String[] {"aws:kms", "aes256", "AES128", ""}) {
            S3Exception e = assertRefused(() -> trio.read(https(trio.headers(algorithm, KEY_BASE64, KEY_MD5))), 400,
                    "InvalidEncryptionAlgorithmError",
                    "The Encryption request you specified is not valid. Supported value: AES256.");
            assertThat(e.details()).containsEntry("ArgumentName", trio.algorithm).containsEntry("ArgumentValue", algorithm);
        }
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void aKeyWithoutAnAlgorithmIsRefused(Trio trio) {
        S3Exception e = assertRefused(() -> trio.read(https(trio.headers(null, KEY_BASE64, KEY_MD5))), 400,
                "InvalidArgument", MUST + "provide a valid encryption algorithm.");
        assertThat(e.details()).containsEntry("ArgumentName", trio.algorithm).doesNotContainKey("ArgumentValue");
        assertRefused(() -> trio.read(https(trio.headers(null, null, KEY_MD5))), 400, "InvalidArgument",
                MUST + "provide a valid encryption algorithm.");
        assertRefused(() -> trio.read(https(trio.headers(null, KEY_BASE64, null))), 400, "InvalidArgument",
                MUST + "provide a valid encryption algorithm.");
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void anAlgorithmWithoutAKeyIsRefused(Trio trio) {
        S3Exception e = assertRefused(() -> trio.read(https(trio.headers("AES256", null, KEY_MD5))), 400,
                "InvalidArgument", MUST + "provide an appropriate secret key.");
        assertThat(e.details()).containsEntry("ArgumentName", trio.key);
        assertRefused(() -> trio.read(https(trio.headers("AES256", null, null))), 400, "InvalidArgument",
                MUST + "provide an appropriate secret key.");
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void aMissingMd5IsRefused(Trio trio) {
        S3Exception e = assertRefused(() -> trio.read(https(trio.headers("AES256", KEY_BASE64, null))), 400,
                "InvalidArgument", MUST + "provide the client calculated MD5 of the secret key.");
        assertThat(e.details()).containsEntry("ArgumentName", trio.md5);
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void keysOf31And33BytesAreInvalid(Trio trio) {
        for (int size : new int[] {0, 16, 31, 33, 64}) {
            byte[] raw = rawKey(size, 3);
            String base64 = Base64.getEncoder().encodeToString(raw);
            S3Exception e = assertRefused(() -> trio.read(https(trio.headers("AES256", base64, md5Base64(raw)))), 400,
                    "InvalidArgument", "The secret key was invalid for the specified algorithm.");
            assertThat(e.details()).containsEntry("ArgumentName", trio.key).doesNotContainKey("ArgumentValue");
        }
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void aKeyThatIsNotBase64IsInvalid(Trio trio) {
        byte[] allOnes = new byte[32];
        java.util.Arrays.fill(allOnes, (byte) 0xFF);
        String urlSafe = Base64.getUrlEncoder().encodeToString(allOnes);
        assertThat(urlSafe).containsAnyOf("-", "_");
        for (String notBase64 : new String[] {"not base64!", KEY_BASE64.substring(1), urlSafe, " " + KEY_BASE64,
                KEY_BASE64 + "AAAA====", "%%%%"}) {
            assertRefused(() -> trio.read(https(trio.headers("AES256", notBase64, KEY_MD5))), 400, "InvalidArgument",
                    "The secret key was invalid for the specified algorithm.");
        }
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void theMd5IsOfTheRawKeyNotOfItsBase64(Trio trio) {
        String md5OfBase64Text = md5Base64(KEY_BASE64.getBytes(StandardCharsets.US_ASCII));
        assertThat(md5OfBase64Text).isNotEqualTo(KEY_MD5);
        S3Exception e = assertRefused(() -> trio.read(https(trio.headers("AES256", KEY_BASE64, md5OfBase64Text))), 400,
                "InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided.");
        assertThat(e.details()).containsEntry("ArgumentName", trio.md5).doesNotContainKey("ArgumentValue");
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void anMd5OfAnotherKeyOrNotBase64Mismatches(Trio trio) {
        for (String md5 : new String[] {OTHER_KEY_MD5, "", "not base64", KEY_MD5.substring(0, 20),
                md5HexOf(RAW_KEY)}) {
            assertRefused(() -> trio.read(https(trio.headers("AES256", KEY_BASE64, md5))), 400, "InvalidArgument",
                    "The calculated MD5 hash of the key did not match the hash that was provided.");
        }
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void sseCOverPlainHttpIsRefusedBeforeTheKeyIsRead(Trio trio) {
        String insecure = MUST + "be made over a secure connection.";
        assertRefused(() -> trio.read(http(trio.headers("AES256", KEY_BASE64, KEY_MD5))), 400, "InvalidRequest",
                insecure);
        // Any one header of the trio is enough: the key, if sent, has crossed the network in clear.
        assertRefused(() -> trio.read(http(trio.headers(null, KEY_BASE64, null))), 400, "InvalidRequest", insecure);
        assertRefused(() -> trio.read(http(trio.headers("bogus", "bogus", null))), 400, "InvalidRequest", insecure);
    }

    @ParameterizedTest
    @EnumSource(Trio.class)
    void sseCOverPlainHttpIsAcceptedWhenTheSwitchIsOn(Trio trio) {
        S3Request request = http(trio.headers("AES256", KEY_BASE64, KEY_MD5));
        Optional<CustomerKey> key = trio == Trio.OBJECT ? SseHeaders.customerKey(request, true)
                : SseHeaders.copySourceCustomerKey(request, true);
        assertThat(key).hasValueSatisfying(k -> assertThat(k.keyMd5()).isEqualTo(KEY_MD5));
        key.orElseThrow().close();
        // The switch waives only the transport check.
        S3Request bad = http(trio.headers("AES256", KEY_BASE64, OTHER_KEY_MD5));
        assertRefused(() -> {
            if (trio == Trio.OBJECT) {
                SseHeaders.customerKey(bad, true);
            } else {
                SseHeaders.copySourceCustomerKey(bad, true);
            }
        }, 400, "InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided.");
    }

    private static String md5HexOf(byte[] bytes) {
        byte[] md5 = Base64.getDecoder().decode(md5Base64(bytes));
        StringBuilder hex = new StringBuilder();
        for (byte b : md5) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}

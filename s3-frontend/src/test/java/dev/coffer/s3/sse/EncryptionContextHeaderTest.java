package dev.coffer.s3.sse;

import static dev.coffer.s3.sse.SseRequests.assertRefused;
import static dev.coffer.s3.sse.SseRequests.base64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncryptionContextHeaderTest {
    private static final String MALFORMED = "The header 'x-amz-server-side-encryption-context' shall be "
            + "Base64-encoded UTF-8 string holding JSON which represents a string-string map";

    @Test
    void decodesTheBotocoreForm() {
        // What botocore/SDKs send: base64 of compact UTF-8 JSON.
        assertThat(EncryptionContextHeader.decode("eyJwcm9qZWN0IjoibGVkZ2VyIn0="))
                .containsExactly(Map.entry("project", "ledger"));
    }

    @Test
    void encodeThenDecodeKeepsUnicodeAndOrder() {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("zeta", "Ω");
        context.put("alpha", "日本語 \uD83D\uDE00");
        context.put("esc", "\"\\\u0007");
        String header = EncryptionContextHeader.encode(context);
        assertThat(new String(Base64.getDecoder().decode(header), StandardCharsets.UTF_8))
                .isEqualTo("{\"zeta\":\"Ω\",\"alpha\":\"日本語 \uD83D\uDE00\",\"esc\":\"\\\"\\\\\\u0007\"}");
        assertThat(EncryptionContextHeader.decode(header)).containsExactlyEntriesOf(context);
    }

    @Test
    void decodesEscapedUnicodeToTheSameContextAsRawUnicode() {
        assertThat(EncryptionContextHeader.decode(base64("{\"\\u540d\":\"\\ud83d\\ude00\"}")))
                .isEqualTo(EncryptionContextHeader.decode(base64("{\"名\":\"\uD83D\uDE00\"}")));
    }

    @Test
    void refusesOverlongAndInvalidUtf8() {
        byte[] overlongSlash = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] encodedSurrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        for (byte[] bytes : new byte[][] {overlongSlash, encodedSurrogate}) {
            assertRefused(() -> EncryptionContextHeader.decode(Base64.getEncoder().encodeToString(bytes)), 400,
                    "InvalidArgument", MALFORMED);
        }
    }

    @Test
    void refusesUrlSafeOrWhitespacedBase64() {
        String json = "{\"k\":\"???>>>\"}";
        String urlSafe = Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        assertThat(urlSafe).containsAnyOf("-", "_");
        assertRefused(() -> EncryptionContextHeader.decode(urlSafe), 400, "InvalidArgument", MALFORMED);
        assertRefused(() -> EncryptionContextHeader.decode("e30=\n"), 400, "InvalidArgument", MALFORMED);
    }

    @Test
    void encodeRefusesLoneSurrogates() {
        assertThatThrownBy(() -> EncryptionContextHeader.encode(Map.of("k", "\uD800")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

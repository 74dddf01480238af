package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Checks that a text (a {@code toString}, a message) shows no part of a secret: not in hex (either
 * case), not in base64 or base64url, not as any 8-byte window in hex, so partial leaks are caught too.
 */
public final class SecretTextAssertions {
    private static final int WINDOW_BYTES = 8;

    private SecretTextAssertions() {}

    public static void assertNoSecretIn(String text, byte[] secret) {
        String lower = text.toLowerCase(Locale.ROOT);
        String hex = HexFormat.of().formatHex(secret);
        assertThat(lower).as("hex of the secret in: %s", text).doesNotContain(hex);
        assertThat(text).as("base64 of the secret in: %s", text)
                .doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(secret))
                .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        for (int i = 0; i + WINDOW_BYTES <= secret.length; i++) {
            String window = HexFormat.of().formatHex(secret, i, i + WINDOW_BYTES);
            assertThat(lower).as("bytes %d..%d of the secret in: %s", i, i + WINDOW_BYTES, text).doesNotContain(window);
        }
    }
}

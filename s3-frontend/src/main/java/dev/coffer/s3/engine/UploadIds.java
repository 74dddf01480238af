package dev.coffer.s3.engine;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Upload ids: 16 lowercase hex digits of the initiation time in microseconds since the epoch, then
 * 22 base64url characters of 128 random bits. Hex sorts like the number it writes, so upload
 * entries of one key sort by initiation, which ListMultipartUploads requires; the random part makes
 * the id unguessable. URL-safe, no padding.
 */
final class UploadIds {
    static final int LENGTH = 16 + 22;
    private static final SecureRandom RANDOM = new SecureRandom();

    private UploadIds() {
    }

    static String newId(Instant initiated) {
        long micros;
        try {
            micros = Math.max(0, Math.addExact(Math.multiplyExact(initiated.getEpochSecond(), 1_000_000L),
                    initiated.getNano() / 1_000));
        } catch (ArithmeticException e) {
            micros = initiated.getEpochSecond() < 0 ? 0 : Long.MAX_VALUE;
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return HexFormat.of().toHexDigits(micros) + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Whether {@code id} could have come from {@link #newId}; anything else names no upload. */
    static boolean isWellFormed(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            boolean ok = i < 16 ? (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                    : (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

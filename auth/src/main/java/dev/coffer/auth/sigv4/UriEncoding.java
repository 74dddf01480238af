package dev.coffer.auth.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** SigV4's URI encoding: RFC 3986 unreserved characters stay, every other byte becomes %XX (upper case). */
public final class UriEncoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEncoding() {}

    /** Encodes every byte but A-Z a-z 0-9 - _ . ~ (and '/' when {@code keepSlash}). */
    public static String encode(String value, boolean keepSlash) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (isUnreserved(c) || (keepSlash && c == '/')) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes %XX escapes (UTF-8); '+' stays '+', as SigV4 clients sign it. A malformed escape is
     * {@link IllegalArgumentException}.
     */
    public static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new IllegalArgumentException("truncated percent escape");
                }
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid percent escape");
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                int cp = value.codePointAt(i);
                out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }
}

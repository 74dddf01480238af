package dev.coffer.auth.sigv4;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The pure parsing functions of the aws-chunked framing: chunk headers and trailer lines. */
final class AwsChunkedFraming {
    static final String CHUNK_SIGNATURE_EXTENSION = ";chunk-signature=";
    static final String TRAILER_SIGNATURE_HEADER = "x-amz-trailer-signature";
    private static final int SIGNATURE_HEX_LENGTH = 64;
    /** Sixteen hex digits fill a long; more can only be an overflow (or leading-zero padding we refuse). */
    private static final int MAX_SIZE_HEX_DIGITS = 16;

    private AwsChunkedFraming() {}

    /** A parsed chunk header line: the data size and, for signed chunks, the claimed signature. */
    record ChunkHeader(long sizeBytes, String signature) {}

    /**
     * Parses {@code hex(size)} (unsigned) or {@code hex(size);chunk-signature=<64 hex>} (signed).
     * Anything else, including other chunk extensions, whitespace or an upper-case signature, is refused.
     */
    static ChunkHeader parseChunkHeader(String line, boolean signed) throws AwsChunkedException {
        if (!signed) {
            return new ChunkHeader(parseHexSize(line), null);
        }
        int semicolon = line.indexOf(';');
        if (semicolon < 0 || !line.startsWith(CHUNK_SIGNATURE_EXTENSION, semicolon)) {
            throw malformed("a signed chunk header must be <hex size>;chunk-signature=<signature>");
        }
        String signature = line.substring(semicolon + CHUNK_SIGNATURE_EXTENSION.length());
        requireSignatureHex(signature, "chunk-signature");
        return new ChunkHeader(parseHexSize(line.substring(0, semicolon)), signature);
    }

    /** Parses a chunk size of 1 to 16 hex digits, refusing anything that would overflow a long. */
    static long parseHexSize(String hex) throws AwsChunkedException {
        if (hex.isEmpty() || hex.length() > MAX_SIZE_HEX_DIGITS) {
            throw malformed("a chunk size must be 1 to " + MAX_SIZE_HEX_DIGITS + " hex digits");
        }
        long size = 0;
        for (int i = 0; i < hex.length(); i++) {
            int digit = hexDigit(hex.charAt(i));
            if (digit < 0) {
                throw malformed("a chunk size must be hex digits only");
            }
            if (size > (Long.MAX_VALUE - digit) >>> 4) {
                throw malformed("the chunk size overflows");
            }
            size = (size << 4) | digit;
        }
        return size;
    }

    /** Requires 64 lower-case hex digits, as every SigV4 signer sends. */
    static void requireSignatureHex(String signature, String what) throws AwsChunkedException {
        if (signature.length() != SIGNATURE_HEX_LENGTH) {
            throw malformed(what + " must be " + SIGNATURE_HEX_LENGTH + " hex digits");
        }
        for (int i = 0; i < signature.length(); i++) {
            char c = signature.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw malformed(what + " must be lower-case hex");
            }
        }
    }

    /**
     * Adds one {@code name:value} trailer line to {@code trailers} (name lower-cased, value trimmed as
     * SigV4 canonical headers are). A repeated name is refused rather than merged: S3 sends each
     * checksum trailer once, and a duplicate could make the signed and the used value differ.
     */
    static void addTrailer(String line, Map<String, String> trailers) throws AwsChunkedException {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw malformed("a trailing header must be name:value");
        }
        String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw malformed("a trailing header name has a character HTTP does not allow");
            }
        }
        if (trailers.putIfAbsent(name, CanonicalRequest.trimAll(line.substring(colon + 1))) != null) {
            throw malformed("trailing header " + name + " appears twice");
        }
    }

    /** The canonical form the trailer signature covers: SigV4 canonical headers, sorted by name. */
    static String canonicalTrailers(Map<String, String> trailers) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(trailers).entrySet()) {
            b.append(e.getKey()).append(':').append(e.getValue()).append('\n');
        }
        return b.toString();
    }

    static AwsChunkedException malformed(String message) {
        return new AwsChunkedException(AwsChunkedException.Kind.MALFORMED, message);
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}

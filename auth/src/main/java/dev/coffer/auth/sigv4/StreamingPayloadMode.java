package dev.coffer.auth.sigv4;

import java.util.Locale;
import java.util.Objects;

/**
 * What an S3 request's {@code x-amz-content-sha256} says about its body: a plain SHA-256 or
 * {@code UNSIGNED-PAYLOAD} (the body is the object as is), or one of the three aws-chunked encodings
 * that {@link AwsChunkedInputStream} decodes.
 */
public enum StreamingPayloadMode {
    /** A lower- or upper-case hex SHA-256 of the whole body; not chunked. */
    PAYLOAD_SHA256(null, false, false, false),
    /** {@code UNSIGNED-PAYLOAD}: not chunked and not hashed. */
    UNSIGNED_PAYLOAD(SigV4.UNSIGNED_PAYLOAD, false, false, false),
    /** Every chunk carries a chained signature; no trailer. */
    STREAMING_SIGNED("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", true, true, false),
    /** Signed chunks, then trailing headers with their own chained signature. */
    STREAMING_SIGNED_TRAILER("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", true, true, true),
    /** Unsigned chunks, then trailing headers (typically a checksum) that are not signed either. */
    STREAMING_UNSIGNED_TRAILER("STREAMING-UNSIGNED-PAYLOAD-TRAILER", true, false, true);

    private static final String SIGV4A_PREFIX = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD";

    private final String headerValue;
    private final boolean chunked;
    private final boolean signedChunks;
    private final boolean trailer;

    StreamingPayloadMode(String headerValue, boolean chunked, boolean signedChunks, boolean trailer) {
        this.headerValue = headerValue;
        this.chunked = chunked;
        this.signedChunks = signedChunks;
        this.trailer = trailer;
    }

    /**
     * The mode for an {@code x-amz-content-sha256} value.
     *
     * @throws IllegalArgumentException for any other value, including SigV4a's
     *     {@code STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]}, which Coffer does not verify
     */
    public static StreamingPayloadMode fromContentSha256(String value) {
        Objects.requireNonNull(value, "value");
        for (StreamingPayloadMode mode : values()) {
            if (value.equals(mode.headerValue)) {
                return mode;
            }
        }
        if (isHexSha256(value)) {
            return PAYLOAD_SHA256;
        }
        if (value.startsWith(SIGV4A_PREFIX)) {
            throw new IllegalArgumentException("SigV4a streaming payloads (" + SIGV4A_PREFIX + ") are not supported");
        }
        throw new IllegalArgumentException("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-... value"
                + " or the hex SHA-256 of the body");
    }

    /** The exact header value, or null for {@link #PAYLOAD_SHA256}, whose value is the hash itself. */
    public String headerValue() {
        return headerValue;
    }

    /** Whether the body is aws-chunked and must be read through {@link AwsChunkedInputStream}. */
    public boolean chunked() {
        return chunked;
    }

    /** Whether each chunk carries a signature, so the stream needs a {@link ChunkSigningContext}. */
    public boolean signedChunks() {
        return signedChunks;
    }

    /** Whether trailing headers follow the final chunk. */
    public boolean trailer() {
        return trailer;
    }

    private static boolean isHexSha256(String value) {
        if (value.length() != 64) {
            return false;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}

package dev.coffer.auth.sigv4;

import java.io.IOException;
import java.util.Objects;

/**
 * An aws-chunked body that cannot be accepted. It is an {@link IOException} because it surfaces from
 * {@link java.io.InputStream#read}; the S3 layer maps each {@link Kind} to its own error code. The
 * message never holds key material or body bytes.
 */
public final class AwsChunkedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the body was refused. */
    public enum Kind {
        /** Framing is wrong: a bad chunk header, missing CRLF, overlong line, bad trailer, data after the end. */
        MALFORMED,
        /** A chunk's data or position in the chain does not match its signature. */
        CHUNK_SIGNATURE_MISMATCH,
        /** The trailing headers do not match their signature, or the signature is missing. */
        TRAILER_SIGNATURE_MISMATCH,
        /** The chunks add up to another length than x-amz-decoded-content-length declared. */
        DECODED_LENGTH_MISMATCH,
        /** The body ended before the final chunk and its trailer. */
        INCOMPLETE_BODY
    }

    private final Kind kind;

    public AwsChunkedException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}

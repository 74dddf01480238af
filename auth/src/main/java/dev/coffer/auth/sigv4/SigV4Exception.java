package dev.coffer.auth.sigv4;

import java.util.Objects;

/**
 * A SigV4 verification failure. For {@link SigV4Failure#SIGNATURE_DOES_NOT_MATCH} it carries the
 * canonical request and string to sign the server computed (S3 returns them to the client, which
 * helps a client author find a mismatch); neither contains a secret.
 */
public final class SigV4Exception extends Exception {
    private static final long serialVersionUID = 1L;

    private final SigV4Failure failure;
    private final String canonicalRequest;
    private final String stringToSign;

    public SigV4Exception(SigV4Failure failure, String message) {
        this(failure, message, null, null);
    }

    public SigV4Exception(SigV4Failure failure, String message, String canonicalRequest, String stringToSign) {
        super(message);
        this.failure = Objects.requireNonNull(failure, "failure");
        this.canonicalRequest = canonicalRequest;
        this.stringToSign = stringToSign;
    }

    public SigV4Failure failure() {
        return failure;
    }

    /** The server's canonical request, for SIGNATURE_DOES_NOT_MATCH; otherwise null. */
    public String canonicalRequest() {
        return canonicalRequest;
    }

    /** The server's string to sign, for SIGNATURE_DOES_NOT_MATCH; otherwise null. */
    public String stringToSign() {
        return stringToSign;
    }
}

package dev.coffer.gateway.tls;

/**
 * The HTTPS port cannot get its certificate or TLS context, for a reason the operator can act on. The
 * message is one complete line naming the file or setting involved, and never contains key material.
 */
public final class TlsSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}

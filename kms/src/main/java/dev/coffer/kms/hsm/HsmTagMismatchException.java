package dev.coffer.kms.hsm;

/** AES-GCM authentication failed inside the HSM: wrong key, wrong associated data, or altered bytes. */
public final class HsmTagMismatchException extends HsmException {
    private static final long serialVersionUID = 1L;

    public HsmTagMismatchException(String message) {
        super(message);
    }
}

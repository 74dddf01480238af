package dev.coffer.kms.hsm;

/**
 * AES-GCM authentication failed inside the HSM: wrong key, wrong IV or associated data, or altered
 * bytes. It is about the caller's ciphertext only (the KMS answers InvalidCiphertextException); a
 * damaged key inside the HSM is a plain {@link HsmException}.
 */
public final class HsmTagMismatchException extends HsmException {
    private static final long serialVersionUID = 1L;

    public HsmTagMismatchException(String message) {
        super(message);
    }

    static HsmTagMismatchException underKey(String label) {
        return new HsmTagMismatchException("AES-GCM authentication failed under key '" + label
                + "': wrong key, IV or associated data, or altered ciphertext");
    }
}

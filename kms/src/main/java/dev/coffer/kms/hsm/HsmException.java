package dev.coffer.kms.hsm;

/** An HSM operation failed (key missing, token error, login lost). Messages never carry secrets. */
public class HsmException extends Exception {
    private static final long serialVersionUID = 1L;

    public HsmException(String message) {
        super(message);
    }

    public HsmException(String message, Throwable cause) {
        super(message, cause);
    }
}

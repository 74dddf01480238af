package dev.coffer.crypto;

/**
 * A token that every read of secret bytes must present, so that each place that touches key material
 * is explicit and can be found with a search for {@code SecretAccess.explicitly()} (the Tink idiom).
 */
public final class SecretAccess {
    private static final SecretAccess INSTANCE = new SecretAccess();

    private SecretAccess() {}

    /** Grants access; call it at the exact place that needs the bytes, never store it in a field. */
    public static SecretAccess explicitly() {
        return INSTANCE;
    }
}

package dev.coffer.auth.identity;

import dev.coffer.crypto.SecretBytes;

/**
 * Seals secret access keys before they are stored, so the identity database holds no usable secret.
 * The gateway wires this to the HSM; tests use {@link AesGcmSecretSealer}.
 */
public interface SecretSealer {
    /** Seals {@code secret}, bound to {@code context} (the access key id). */
    byte[] seal(SecretBytes secret, String context);

    /** Opens what {@link #seal} produced for the same context; fails on any change. */
    SecretBytes open(byte[] sealed, String context);
}

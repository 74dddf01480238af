package dev.coffer.auth.sigv4;

import dev.coffer.crypto.SecretBytes;
import java.util.Objects;

/**
 * An access key's secret and whom it belongs to, as the credential store returns it.
 *
 * @param <P> the principal type of the identity store
 */
public record SigningCredential<P>(String accessKeyId, SecretBytes secretAccessKey, P principal) {
    public SigningCredential {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(principal, "principal");
    }
}

package dev.coffer.crypto.envelope;

import dev.coffer.crypto.SecretBytes;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reader needs before it decrypts: the encryption context the data was written with, and the
 * plaintext data key once a keyring has unwrapped one of the stored encrypted data keys.
 */
public final class DecryptionMaterials {
    private final EncryptionContext encryptionContext;
    private final SecretBytes plaintextDataKey;

    private DecryptionMaterials(EncryptionContext context, SecretBytes plaintextDataKey) {
        this.encryptionContext = Objects.requireNonNull(context, "encryptionContext");
        this.plaintextDataKey = plaintextDataKey;
    }

    public static DecryptionMaterials forContext(EncryptionContext context) {
        return new DecryptionMaterials(context, null);
    }

    public EncryptionContext encryptionContext() {
        return encryptionContext;
    }

    public Optional<SecretBytes> plaintextDataKey() {
        return Optional.ofNullable(plaintextDataKey);
    }

    /** The unwrapped data key; set once. */
    public DecryptionMaterials withDataKey(SecretBytes dataKey) {
        if (plaintextDataKey != null) {
            throw new IllegalStateException("materials already hold a data key");
        }
        return new DecryptionMaterials(encryptionContext, Objects.requireNonNull(dataKey, "dataKey"));
    }

    @Override
    public String toString() {
        return "DecryptionMaterials[" + encryptionContext + ", dataKey " + (plaintextDataKey == null ? "absent" : "present") + "]";
    }
}

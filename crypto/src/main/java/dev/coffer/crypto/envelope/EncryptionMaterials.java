package dev.coffer.crypto.envelope;

import dev.coffer.crypto.SecretBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a writer needs before it encrypts (the AWS Encryption SDK's term): the encryption context, the
 * plaintext data key once a keyring has generated it, and every encrypted form of that key. Keyrings
 * return new materials; they never mutate the ones they are given.
 */
public final class EncryptionMaterials {
    private final EncryptionContext encryptionContext;
    private final SecretBytes plaintextDataKey;
    private final List<EncryptedDataKey> encryptedDataKeys;

    private EncryptionMaterials(EncryptionContext context, SecretBytes plaintextDataKey, List<EncryptedDataKey> keys) {
        this.encryptionContext = Objects.requireNonNull(context, "encryptionContext");
        this.plaintextDataKey = plaintextDataKey;
        this.encryptedDataKeys = List.copyOf(keys);
    }

    /** Materials with only a context, as a writer starts. */
    public static EncryptionMaterials forContext(EncryptionContext context) {
        return new EncryptionMaterials(context, null, List.of());
    }

    public EncryptionContext encryptionContext() {
        return encryptionContext;
    }

    public Optional<SecretBytes> plaintextDataKey() {
        return Optional.ofNullable(plaintextDataKey);
    }

    public List<EncryptedDataKey> encryptedDataKeys() {
        return encryptedDataKeys;
    }

    /** Adds the generated data key and its first encrypted form; a data key can be set only once. */
    public EncryptionMaterials withGeneratedDataKey(SecretBytes dataKey, EncryptedDataKey encrypted) {
        if (plaintextDataKey != null) {
            throw new IllegalStateException("materials already hold a data key");
        }
        return new EncryptionMaterials(encryptionContext, dataKey, List.of(encrypted));
    }

    /** Adds one more encrypted form of the existing data key (a second keyring wrapping it too). */
    public EncryptionMaterials withEncryptedDataKey(EncryptedDataKey encrypted) {
        if (plaintextDataKey == null) {
            throw new IllegalStateException("no data key to add an encrypted form of");
        }
        List<EncryptedDataKey> keys = new ArrayList<>(encryptedDataKeys);
        keys.add(encrypted);
        return new EncryptionMaterials(encryptionContext, plaintextDataKey, keys);
    }

    @Override
    public String toString() {
        return "EncryptionMaterials[" + encryptionContext + ", dataKey " + (plaintextDataKey == null ? "absent" : "present")
                + ", " + encryptedDataKeys.size() + " encrypted data key(s)]";
    }
}

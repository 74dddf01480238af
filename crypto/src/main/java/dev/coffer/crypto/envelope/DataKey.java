package dev.coffer.crypto.envelope;

import dev.coffer.crypto.SecretBytes;
import java.util.Objects;

/**
 * A data key in both forms, as a keyring returns it: the plaintext (to encrypt with now, then
 * destroy) and the encrypted form (to store). {@link #close()} destroys the plaintext.
 */
public record DataKey(SecretBytes plaintext, EncryptedDataKey encrypted) implements AutoCloseable {
    public DataKey {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(encrypted, "encrypted");
    }

    @Override
    public void close() {
        plaintext.destroy();
    }
}

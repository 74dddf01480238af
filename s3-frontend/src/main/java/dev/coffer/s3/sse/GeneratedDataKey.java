package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretBytes;
import java.util.Objects;

/**
 * A data key from GenerateDataKey: the ARN of the key that made it, the 32-byte plaintext (destroy
 * it when done) and the KMS ciphertext blob to store.
 */
public record GeneratedDataKey(String keyArn, SecretBytes plaintext, byte[] ciphertextBlob) implements AutoCloseable {
    public GeneratedDataKey {
        Objects.requireNonNull(keyArn, "keyArn");
        Objects.requireNonNull(plaintext, "plaintext");
        ciphertextBlob = ciphertextBlob.clone();
    }

    @Override
    public byte[] ciphertextBlob() {
        return ciphertextBlob.clone();
    }

    @Override
    public void close() {
        plaintext.destroy();
    }

    @Override
    public String toString() {
        return "GeneratedDataKey[" + keyArn + ", " + ciphertextBlob.length + "-byte blob]";
    }
}

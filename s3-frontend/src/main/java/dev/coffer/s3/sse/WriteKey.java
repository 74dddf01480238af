package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretBytes;
import java.util.Objects;

/** The data key a new object or upload is encrypted with, and the envelope to store for it. Close destroys the key. */
public record WriteKey(SecretBytes dataKey, SseEnvelope envelope) implements AutoCloseable {
    public WriteKey {
        Objects.requireNonNull(dataKey, "dataKey");
        Objects.requireNonNull(envelope, "envelope");
    }

    @Override
    public void close() {
        dataKey.destroy();
    }

    @Override
    public String toString() {
        return "WriteKey[" + envelope + "]";
    }
}

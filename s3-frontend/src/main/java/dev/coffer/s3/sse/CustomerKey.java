package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretBytes;

/** A validated SSE-C key. PROVISIONAL: replaced by the sse-headers branch. */
public final class CustomerKey implements AutoCloseable {
    private final SecretBytes key;
    private final String keyMd5;

    public CustomerKey(SecretBytes key, String keyMd5) {
        this.key = key;
        this.keyMd5 = keyMd5;
    }

    public SecretBytes key() {
        return key;
    }

    public String keyMd5() {
        return keyMd5;
    }

    @Override
    public void close() {
        key.destroy();
    }

    @Override
    public String toString() {
        return "CustomerKey[hidden]";
    }
}

package dev.coffer.crypto;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where an encryptor or decryptor pushes its output. The array is the producer's working buffer:
 * the sink must consume (write or copy) the bytes before it returns and must not keep the array.
 */
@FunctionalInterface
public interface ByteSink {
    void write(byte[] bytes, int offset, int length) throws IOException;

    static ByteSink of(OutputStream out) {
        return out::write;
    }
}

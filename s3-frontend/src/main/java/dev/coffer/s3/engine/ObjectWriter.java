package dev.coffer.s3.engine;

/**
 * Where the bytes of a new object or part go before {@link ObjectStore#putObject} or
 * {@link ObjectStore#putPart} makes them visible. Closing a writer that was not committed discards
 * what it holds; closing a committed one does nothing, so try-with-resources is always right. One
 * thread writes at a time.
 */
public interface ObjectWriter extends AutoCloseable {
    void write(byte[] bytes, int offset, int length);

    default void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    long bytesWritten();

    @Override
    void close();
}

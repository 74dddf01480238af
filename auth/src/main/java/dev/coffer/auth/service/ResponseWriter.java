package dev.coffer.auth.service;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The body of a streamed response. Writes block while the client is slow to read (backpressure).
 * {@link #close()} finishes the response; {@link #abort()} drops the connection instead, for a
 * failure found after the status line was sent (the client then sees a truncated body, never bytes
 * that should not have been sent).
 */
public interface ResponseWriter extends Closeable {
    /** Sends these bytes; the array may be reused as soon as this returns. */
    void write(byte[] bytes, int offset, int length) throws IOException;

    /**
     * Lends a buffer of {@code capacity} bytes to fill with the next bytes of the body and pass to
     * {@link #write(BodyBuffer, int)}; close it instead if it is not sent. A transport that can send
     * from the buffer as it is saves the copy {@link #write(byte[], int, int)} makes. This default
     * lends a fresh array.
     */
    default BodyBuffer lend(int capacity) throws IOException {
        return BodyBuffer.ofArray(capacity);
    }

    /**
     * Sends the first {@code length} bytes of a buffer from {@link #lend(int)}; the buffer is the
     * writer's from here on, whether this returns or throws.
     */
    default void write(BodyBuffer buffer, int length) throws IOException {
        try {
            write(buffer.array(), buffer.offset(), length);
        } finally {
            buffer.close();
        }
    }

    /**
     * Sends {@code length} bytes of {@code file} from {@code position}, zero-copy where the transport
     * allows it. The channel stays the caller's: it is not closed here, and may be closed once this
     * returns.
     */
    void transferFrom(FileChannel file, long position, long length) throws IOException;

    /** Drops the connection: the response cannot be completed. */
    void abort();
}

package dev.coffer.gateway.edge;

import dev.coffer.auth.service.BodyBuffer;
import io.netty.buffer.ByteBuf;

/**
 * A {@link BodyBuffer} over a pooled heap {@link ByteBuf} from the channel's allocator. The buffer
 * owns the ByteBuf until {@link #take(int)} hands it to the writer or {@link #close()} releases it.
 * Used by one producer thread.
 */
final class EdgeBodyBuffer implements BodyBuffer {
    private final int capacity;
    private final byte[] array;
    private final int offset;
    private ByteBuf content;

    /** @param content a heap buffer ({@code hasArray()}) with room for {@code capacity} bytes */
    EdgeBodyBuffer(ByteBuf content, int capacity) {
        if (!content.hasArray() || content.maxWritableBytes() < capacity) {
            content.release();
            throw new IllegalArgumentException("a body buffer needs a heap buffer with room for " + capacity + " bytes");
        }
        this.content = content;
        this.capacity = capacity;
        this.array = content.array();
        this.offset = content.arrayOffset() + content.writerIndex();
    }

    @Override
    public byte[] array() {
        return array;
    }

    @Override
    public int offset() {
        return offset;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** The filled ByteBuf, now the caller's to release; this buffer is spent. */
    ByteBuf take(int length) {
        if (content == null) {
            throw new IllegalStateException("this body buffer was already written or closed");
        }
        if (length < 0 || length > capacity) {
            throw new IndexOutOfBoundsException("length " + length + " outside a buffer of " + capacity + " bytes");
        }
        ByteBuf filled = content;
        content = null;
        filled.writerIndex(filled.writerIndex() + length);
        return filled;
    }

    @Override
    public void close() {
        if (content != null) {
            content.release();
            content = null;
        }
    }
}

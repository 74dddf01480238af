package dev.coffer.gateway.edge;

import dev.coffer.gateway.transport.NativeSocketSend;
import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * A body chunk in a heap {@link ByteBuf}, written to the socket as a {@link FileRegion} so that the
 * epoll transport hands it to {@link #transferTo} instead of copying it into a direct buffer first:
 * this region sends from the array itself with {@link NativeSocketSend} on the socket's descriptor
 * (the target channel Netty passes is not used). Only for plain connections on a transport with a
 * file descriptor; TLS needs ByteBufs.
 *
 * <p>Owns its ByteBuf and releases it when it is released itself: once written, when the write
 * fails, or when the channel closes with it still queued. {@link EdgeMessageSizes} counts it
 * toward the channel's write buffer, as a ByteBuf would be.
 */
final class HeapBodyRegion extends AbstractReferenceCounted implements FileRegion {
    private final ByteBuf content;
    private final int socketFd;
    private final int count;
    private long transferred;

    HeapBodyRegion(ByteBuf content, int socketFd) {
        if (!content.hasArray()) {
            throw new IllegalArgumentException("a heap body region needs a heap buffer");
        }
        this.content = content;
        this.socketFd = socketFd;
        this.count = content.readableBytes();
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        if (position < 0 || position > count) {
            throw new IllegalArgumentException("position " + position + " outside a region of " + count + " bytes");
        }
        int remaining = (int) (count - position);
        if (remaining == 0) {
            return 0;
        }
        int start = content.arrayOffset() + content.readerIndex() + (int) position;
        int sent = NativeSocketSend.send(socketFd, content.array(), start, remaining);
        transferred += sent;
        return sent;
    }

    @Override
    public HeapBodyRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public HeapBodyRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public HeapBodyRegion touch() {
        return touch(null);
    }

    @Override
    public HeapBodyRegion touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    protected void deallocate() {
        content.release();
    }
}

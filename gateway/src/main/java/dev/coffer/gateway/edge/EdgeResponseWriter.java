package dev.coffer.gateway.edge;

import dev.coffer.auth.service.BodyBuffer;
import dev.coffer.auth.service.ResponseWriter;
import dev.coffer.gateway.transport.NativeSocketSend;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;

/**
 * Writes a streamed response body from a service's thread. Each write is handed to the event loop
 * at once; the writer waits for it to reach the socket only when the channel is over its high
 * water mark, which is what bounds memory for a client that reads slowly. Files go out as file
 * regions (sendfile) on plain connections and through heap chunks under TLS.
 *
 * <p>Buffers: {@link #write(byte[], int, int)} copies into fresh pooled buffers, owned by the
 * pipeline once written. {@link #lend(int)} lends pooled heap buffers that the producer fills; on a
 * plain connection of the epoll transport they go to the socket as {@link HeapBodyRegion}s, sent
 * from the heap array itself, and otherwise (TLS, NIO) as ordinary content. Either way the pipeline
 * owns and releases them once written.
 */
final class EdgeResponseWriter implements ResponseWriter {
    /** Reads of a file under TLS, where sendfile cannot be used. */
    private static final int CHUNK_BYTES = 256 * 1024;
    /** A write is handed to the event loop in pieces of at most this (one task and wake-up each). */
    private static final int MAX_WRITE_BYTES = 1024 * 1024;

    private final ChannelHandlerContext ctx;
    private final Consumer<Boolean> onDone;
    private final boolean zeroCopy;
    /** The socket's descriptor when lent buffers can be sent from the heap, else -1. */
    private final int heapSendFd;
    private ChannelFuture lastWrite;
    private boolean done;

    EdgeResponseWriter(ChannelHandlerContext ctx, Consumer<Boolean> onDone) {
        this.ctx = ctx;
        this.onDone = onDone;
        this.zeroCopy = ctx.pipeline().get(SslHandler.class) == null;
        this.heapSendFd = zeroCopy && NativeSocketSend.available() && ctx.channel() instanceof UnixChannel unix
                ? unix.fd().intValue() : -1;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkOpen();
        int written = 0;
        while (written < length) {
            int n = Math.min(MAX_WRITE_BYTES, length - written);
            ByteBuf chunk = ctx.alloc().buffer(n);
            chunk.writeBytes(bytes, offset + written, n);
            send(new DefaultHttpContent(chunk));
            written += n;
        }
    }

    @Override
    public BodyBuffer lend(int capacity) throws IOException {
        checkOpen();
        return new EdgeBodyBuffer(ctx.alloc().heapBuffer(capacity, capacity), capacity);
    }

    @Override
    public void write(BodyBuffer buffer, int length) throws IOException {
        if (!(buffer instanceof EdgeBodyBuffer lent)) {
            ResponseWriter.super.write(buffer, length);
            return;
        }
        ByteBuf content = lent.take(length);
        try {
            checkOpen();
        } catch (IOException e) {
            content.release();
            throw e;
        }
        if (length == 0) {
            content.release();
            return;
        }
        send(heapSendFd >= 0 ? new HeapBodyRegion(content, heapSendFd) : new DefaultHttpContent(content));
    }

    @Override
    public void transferFrom(FileChannel file, long position, long length) throws IOException {
        checkOpen();
        if (length == 0) {
            return;
        }
        if (zeroCopy) {
            ChannelFuture region = ctx.writeAndFlush(new CallerOwnedFileRegion(file, position, length));
            lastWrite = region;
            // The caller may close the channel once this returns.
            region.awaitUninterruptibly();
            failIfFailed(region);
            return;
        }
        byte[] buffer = new byte[(int) Math.min(CHUNK_BYTES, length)];
        long done = 0;
        while (done < length) {
            int want = (int) Math.min(buffer.length, length - done);
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, want);
            while (target.hasRemaining()) {
                int n = file.read(target, position + done + target.position());
                if (n < 0) {
                    throw new IOException("file ended before the expected length");
                }
            }
            write(buffer, 0, want);
            done += want;
        }
    }

    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        last.addListener(f -> onDone.accept(f.isSuccess()));
        last.awaitUninterruptibly();
        failIfFailed(last);
    }

    @Override
    public void abort() {
        if (!done) {
            done = true;
            ctx.channel().close();
            onDone.accept(false);
        }
    }

    private void send(Object content) throws IOException {
        ChannelFuture future = ctx.writeAndFlush(content);
        lastWrite = future;
        awaitIfBusy(future);
    }

    /** Waits for {@code future} when the channel is not writable: the client is behind. */
    void awaitIfBusy(ChannelFuture future) throws IOException {
        if (!ctx.channel().isWritable()) {
            future.awaitUninterruptibly();
        }
        if (future.isDone()) {
            failIfFailed(future);
        }
    }

    private void checkOpen() throws IOException {
        if (done) {
            throw new IOException("the response is already finished");
        }
        if (lastWrite != null && lastWrite.isDone()) {
            failIfFailed(lastWrite);
        }
    }

    private static void failIfFailed(ChannelFuture future) throws IOException {
        if (!future.isSuccess()) {
            throw new IOException("client connection failed", future.cause());
        }
    }

    /** A file region that leaves the channel open: the object store owns it. */
    private static final class CallerOwnedFileRegion extends DefaultFileRegion {
        CallerOwnedFileRegion(FileChannel file, long position, long count) {
            super(file, position, count);
        }

        @Override
        protected void deallocate() {
            // The caller closes the channel; closing it here would break a later extent of the same file.
        }
    }
}

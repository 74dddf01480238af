package dev.coffer.blockstore.nbd;

import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.blockstore.device.BlockIoException.Errno;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection in the transmission phase on one export. Requests run concurrently on the worker
 * executor (the device blocks on disk; the event loop never does), and each gets a simple reply as
 * soon as it completes, so replies may come out of order, which NBD allows (the cookie matches them).
 *
 * <p>Backpressure: while the connection has {@link NbdServerConfig#maxInFlightRequestsPerConnection}
 * requests or {@link NbdServerConfig#maxInFlightBytesPerConnection} bytes of payload and read data
 * in flight, or its replies are above the write buffer's high water mark, the channel stops reading
 * (autoRead off); the decoder still finishes the request it is in the middle of.
 *
 * <p>Draining (NBD_CMD_DISC, a withdraw, the server closing): reading stops, requests already
 * decoded are answered (those decoded after the drain began with ESHUTDOWN), and once none is in
 * flight and the replies are written the connection closes.
 *
 * <p>Threading: all fields are confined to the channel's event loop; workers hand results back to it.
 * A small READ the device can answer from memory may be answered on the event loop itself
 * ({@link NbdCommand#tryExecuteWithoutBlocking}), without a worker, but only the first request of
 * each batch the channel reads (one {@code channelRead}s ... {@code channelReadComplete} cycle) and
 * only while none of the connection's requests is on a worker: that is a client waiting for each
 * reply (queue depth 1), which gains the two thread hand-offs. A client with many requests in flight
 * keeps them on the workers, which use every core, where one event loop would serve them one by one.
 * After the device declines such a read, the connection offers fewer for a while
 * ({@link NbdInlineReadBackoff}), so a workload whose blocks are not in memory hardly pays for the
 * failed lookups.
 * ByteBuf ownership: takes ownership of each {@link NbdRequest}'s payload and releases it when the
 * request completes; a READ's data is owned by the reply write.
 */
final class NbdTransmissionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(NbdTransmissionHandler.class);

    /** Makes the handler for a connection entering transmission on an export. */
    @FunctionalInterface
    interface Factory {
        NbdTransmissionHandler create(NbdExport export, Channel channel);
    }

    private final NbdExport export;
    private final Channel channel;
    private final Executor workers;
    private final NbdServerConfig config;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Stops offering reads to the event loop for a while after the device declines some. */
    private final NbdInlineReadBackoff inlineReads = new NbdInlineReadBackoff();
    private ChannelHandlerContext ctx;
    private int inFlightRequests;
    private long inFlightBytes;
    private boolean draining;
    /** A request of the current read batch was offered to the event loop; cleared by channelReadComplete. */
    private boolean offeredInlineThisBatch;

    NbdTransmissionHandler(NbdExport export, Channel channel, Executor workers, NbdServerConfig config) {
        this.export = export;
        this.channel = channel;
        this.workers = workers;
        this.config = config;
        channel.closeFuture().addListener(f -> {
            export.detach(this);
            closed.complete(null);
        });
    }

    static Factory factory(Executor workers, NbdServerConfig config) {
        return (export, channel) -> new NbdTransmissionHandler(export, channel, workers, config);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Stops taking requests, answers those in flight, then closes. Completes when the connection is
     * closed. Callable from any thread.
     */
    CompletableFuture<Void> drainAndClose() {
        try {
            channel.eventLoop().execute(this::startDrain);
        } catch (RejectedExecutionException e) {
            channel.close();
        }
        return closed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof NbdRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        NbdCommand command = NbdCommand.of(request.type());
        if (command == NbdCommand.DISC) {
            request.releasePayload();
            startDrain();
            return;
        }
        if (draining) {
            request.releasePayload();
            writeReply(request.cookie(), Errno.ESHUTDOWN.value(), null);
            return;
        }
        if (command == null || !command.accepts(request.flags()) || request.payloadTooLarge()
                || (command == NbdCommand.READ && request.length() > NbdWire.MAX_PAYLOAD_BYTES)) {
            request.releasePayload();
            writeReply(request.cookie(), Errno.EINVAL.value(), null);
            return;
        }
        if (inFlightRequests == 0 && !offeredInlineThisBatch && command.mayExecuteWithoutBlocking(request)) {
            offeredInlineThisBatch = true;
            if (inlineReads.shouldOffer()) {
                if (answeredWithoutBlocking(command, request)) {
                    inlineReads.hit();
                    return;
                }
                inlineReads.miss();
            }
        }
        inFlightRequests++;
        inFlightBytes += NbdCommand.bufferedBytes(request);
        updateAutoRead();
        try {
            workers.execute(() -> run(command, request));
        } catch (RejectedExecutionException e) {
            request.releasePayload();
            complete(request, Errno.ESHUTDOWN.value(), null);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        offeredInlineThisBatch = false;
        ctx.fireChannelReadComplete();
    }

    /**
     * On the event loop: answers a request the device can serve without blocking (a small READ from
     * memory), saving the two thread hand-offs; false sends it to a worker. Only offered while no
     * request of the connection is on a worker, so every request decoded before it has been answered
     * (a write's reply is sent once the device has it, and the device's view includes every completed
     * write); replies are matched by cookie in any case.
     */
    private boolean answeredWithoutBlocking(NbdCommand command, NbdRequest request) {
        ByteBuf data;
        try {
            data = command.tryExecuteWithoutBlocking(export.device(), request, ctx.alloc());
        } catch (RuntimeException e) {
            // The worker runs it again and reports what fails.
            log.debug("NBD {} on export {} failed on the event loop, handing it to a worker", command, export.name(), e);
            return false;
        }
        if (data == null) {
            return false;
        }
        request.releasePayload();
        writeReply(request.cookie(), 0, data);
        return true;
    }

    /** On a worker thread. */
    private void run(NbdCommand command, NbdRequest request) {
        int errno = 0;
        ByteBuf data = null;
        try {
            data = command.execute(export.device(), request, ctx.alloc());
        } catch (BlockIoException e) {
            errno = e.errno().value();
        } catch (RuntimeException | Error e) {
            // The message and stack say where; no request data or device content is in them.
            log.warn("NBD {} on export {} failed unexpectedly, answering EIO", command, export.name(), e);
            errno = Errno.EIO.value();
        } finally {
            request.releasePayload();
        }
        int result = errno;
        ByteBuf reply = data;
        try {
            ctx.executor().execute(() -> complete(request, result, reply));
        } catch (RejectedExecutionException e) {
            ReferenceCountUtil.release(reply);
        }
    }

    /** On the event loop. */
    private void complete(NbdRequest request, int errno, ByteBuf data) {
        inFlightRequests--;
        inFlightBytes -= NbdCommand.bufferedBytes(request);
        writeReply(request.cookie(), errno, data);
        updateAutoRead();
        closeIfDrained();
    }

    private ChannelFuture writeReply(long cookie, int errno, ByteBuf data) {
        if (!ctx.channel().isActive()) {
            ReferenceCountUtil.release(data);
            return ctx.newSucceededFuture();
        }
        ByteBuf header = NbdReplies.simpleReplyHeader(ctx.alloc(), errno, cookie);
        if (data == null) {
            return ctx.writeAndFlush(header);
        }
        ctx.write(header, ctx.voidPromise());
        return ctx.writeAndFlush(data);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        updateAutoRead();
        super.channelWritabilityChanged(ctx);
    }

    private void updateAutoRead() {
        boolean read = !draining
                && inFlightRequests < config.maxInFlightRequestsPerConnection()
                && inFlightBytes < config.maxInFlightBytesPerConnection()
                && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void startDrain() {
        if (ctx == null) {
            // Attached, but the handshake never got to install this handler (the channel died first).
            channel.close();
            return;
        }
        if (!draining) {
            draining = true;
            updateAutoRead();
        }
        closeIfDrained();
    }

    private void closeIfDrained() {
        if (draining && inFlightRequests == 0 && ctx.channel().isOpen()) {
            // An empty write queued behind the replies: it completes once they are all written.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing NBD connection {} on export {}: {}", ctx.channel().remoteAddress(), export.name(),
                cause.toString());
        ctx.close();
    }
}

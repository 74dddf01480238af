package dev.coffer.blockstore.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fixed-newstyle handshake as a state machine: greeting, client flags, then options until the
 * client picks an export (NBD_OPT_GO or NBD_OPT_EXPORT_NAME) or leaves. On entering transmission it
 * replaces itself with an {@link NbdRequestDecoder} and the connection's {@link NbdTransmissionHandler};
 * bytes the client already sent after the option pass on to them.
 *
 * <p>Closes the connection (a hard disconnect, as proto.md allows for a violated MUST) on unknown
 * client flags, a wrong option magic, an option longer than {@link NbdWire#MAX_OPTION_BYTES}, or an
 * NBD_OPT_EXPORT_NAME for a name that is not published. A well-framed option with bad contents gets
 * NBD_REP_ERR_INVALID and the handshake goes on.
 *
 * <p>ByteBuf ownership: option data is a slice of the cumulation, valid only during its handler.
 */
final class NbdHandshakeHandler extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(NbdHandshakeHandler.class);

    /** CLOSED discards whatever else arrives; TRANSMISSION leaves it for the request decoder. */
    private enum State { CLIENT_FLAGS, OPTION_HEADER, OPTION_DATA, CLOSED, TRANSMISSION }

    private final NbdExports exports;
    private final NbdTransmissionHandler.Factory transmission;
    private State state = State.CLIENT_FLAGS;
    private boolean noZeroes;
    private int option;
    private int optionLength;

    /** @param transmission makes the handler for a connection entering transmission on an export */
    NbdHandshakeHandler(NbdExports exports, NbdTransmissionHandler.Factory transmission) {
        this.exports = exports;
        this.transmission = transmission;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.writeAndFlush(NbdReplies.greeting(ctx.alloc()));
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case CLIENT_FLAGS -> {
                    if (in.readableBytes() < 4) {
                        return;
                    }
                    int clientFlags = in.readInt();
                    if ((clientFlags & ~NbdWire.KNOWN_CLIENT_FLAGS) != 0) {
                        hardDisconnect(ctx, in, "unknown client flags");
                        return;
                    }
                    noZeroes = (clientFlags & NbdWire.CLIENT_FLAG_NO_ZEROES) != 0;
                    state = State.OPTION_HEADER;
                }
                case OPTION_HEADER -> {
                    if (in.readableBytes() < 16) {
                        return;
                    }
                    if (in.readLong() != NbdWire.IHAVEOPT) {
                        hardDisconnect(ctx, in, "bad option magic");
                        return;
                    }
                    option = in.readInt();
                    long length = in.readUnsignedInt();
                    if (length > NbdWire.MAX_OPTION_BYTES) {
                        hardDisconnect(ctx, in, "oversized option");
                        return;
                    }
                    optionLength = (int) length;
                    state = State.OPTION_DATA;
                }
                case OPTION_DATA -> {
                    if (in.readableBytes() < optionLength) {
                        return;
                    }
                    ByteBuf data = in.readSlice(optionLength);
                    state = State.OPTION_HEADER;
                    NbdOption known = NbdOption.of(option);
                    if (known == null) {
                        ctx.writeAndFlush(NbdReplies.optionError(ctx.alloc(), option, NbdWire.REP_ERR_UNSUP,
                                "option not supported"));
                    } else {
                        known.handle(this, ctx, data);
                    }
                }
                case CLOSED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                case TRANSMISSION -> {
                    return;
                }
            }
        }
    }

    void exportName(ChannelHandlerContext ctx, ByteBuf data) {
        String name = data.toString(StandardCharsets.UTF_8);
        Optional<NbdExport> export = exports.find(name);
        if (export.isEmpty()) {
            // NBD_OPT_EXPORT_NAME cannot carry an error: proto.md says terminate the session.
            hardDisconnect(ctx, null, "unknown export");
            return;
        }
        NbdTransmissionHandler handler = transmission.create(export.get(), ctx.channel());
        if (!export.get().attach(handler)) {
            hardDisconnect(ctx, null, "unknown export");
            return;
        }
        ctx.writeAndFlush(NbdReplies.exportName(ctx.alloc(), export.get().device().sizeBytes(), noZeroes));
        enterTransmission(ctx, handler);
    }

    void abort(ChannelHandlerContext ctx, ByteBuf data) {
        state = State.CLOSED;
        ctx.writeAndFlush(NbdReplies.option(ctx.alloc(), NbdOption.ABORT.code(), NbdWire.REP_ACK))
                .addListener(ChannelFutureListener.CLOSE);
    }

    void list(ChannelHandlerContext ctx, ByteBuf data) {
        int code = NbdOption.LIST.code();
        if (data.isReadable()) {
            ctx.writeAndFlush(NbdReplies.optionError(ctx.alloc(), code, NbdWire.REP_ERR_INVALID,
                    "NBD_OPT_LIST takes no data"));
            return;
        }
        for (NbdExport export : exports.all()) {
            ctx.write(NbdReplies.server(ctx.alloc(), code, export.name(), export.description()));
        }
        ctx.writeAndFlush(NbdReplies.option(ctx.alloc(), code, NbdWire.REP_ACK));
    }

    void info(ChannelHandlerContext ctx, ByteBuf data) {
        infoOrGo(ctx, data, NbdOption.INFO);
    }

    void go(ChannelHandlerContext ctx, ByteBuf data) {
        infoOrGo(ctx, data, NbdOption.GO);
    }

    /** INFO and GO share their request and reply; GO then enters transmission. */
    private void infoOrGo(ChannelHandlerContext ctx, ByteBuf data, NbdOption which) {
        int code = which.code();
        if (data.readableBytes() < 6) {
            invalid(ctx, code, "option data too short");
            return;
        }
        long nameLength = data.readUnsignedInt();
        if (nameLength > data.readableBytes() - 2) {
            invalid(ctx, code, "name length exceeds the option");
            return;
        }
        String name = data.readCharSequence((int) nameLength, StandardCharsets.UTF_8).toString();
        int requestCount = data.readUnsignedShort();
        if (data.readableBytes() != 2 * requestCount) {
            invalid(ctx, code, "information request count does not match the option length");
            return;
        }
        boolean wantsName = false;
        boolean wantsDescription = false;
        for (int i = 0; i < requestCount; i++) {
            int request = data.readUnsignedShort();
            wantsName |= request == NbdWire.INFO_NAME;
            wantsDescription |= request == NbdWire.INFO_DESCRIPTION;
        }
        Optional<NbdExport> found = exports.find(name);
        if (found.isEmpty()) {
            ctx.writeAndFlush(NbdReplies.optionError(ctx.alloc(), code, NbdWire.REP_ERR_UNKNOWN, "no such export"));
            return;
        }
        NbdExport export = found.get();
        NbdTransmissionHandler handler = null;
        if (which == NbdOption.GO) {
            handler = transmission.create(export, ctx.channel());
            if (!export.attach(handler)) {
                ctx.writeAndFlush(NbdReplies.optionError(ctx.alloc(), code, NbdWire.REP_ERR_UNKNOWN,
                        "no such export"));
                return;
            }
        }
        var device = export.device();
        ctx.write(NbdReplies.infoExport(ctx.alloc(), code, device.sizeBytes()));
        int preferred = Math.max(512, Math.min(device.blockSize(), NbdWire.MAX_PAYLOAD_BYTES));
        ctx.write(NbdReplies.infoBlockSize(ctx.alloc(), code, NbdWire.MIN_BLOCK_BYTES, preferred,
                NbdWire.MAX_PAYLOAD_BYTES));
        if (wantsName) {
            ctx.write(NbdReplies.infoString(ctx.alloc(), code, NbdWire.INFO_NAME, export.name()));
        }
        if (wantsDescription) {
            ctx.write(NbdReplies.infoString(ctx.alloc(), code, NbdWire.INFO_DESCRIPTION, export.description()));
        }
        ctx.writeAndFlush(NbdReplies.option(ctx.alloc(), code, NbdWire.REP_ACK));
        if (handler != null) {
            enterTransmission(ctx, handler);
        }
    }

    private void invalid(ChannelHandlerContext ctx, int code, String message) {
        ctx.writeAndFlush(NbdReplies.optionError(ctx.alloc(), code, NbdWire.REP_ERR_INVALID, message));
    }

    /**
     * Swaps the handshake for the transmission stack. Netty passes the bytes this decoder has not
     * read yet (requests the client sent right behind its GO) to the request decoder.
     */
    private void enterTransmission(ChannelHandlerContext ctx, NbdTransmissionHandler handler) {
        state = State.TRANSMISSION;
        var pipeline = ctx.pipeline();
        if (pipeline.get(NbdServerInitializer.HANDSHAKE_TIMEOUT) != null) {
            pipeline.remove(NbdServerInitializer.HANDSHAKE_TIMEOUT);
        }
        pipeline.addAfter(ctx.name(), NbdServerInitializer.REQUEST_DECODER, new NbdRequestDecoder());
        pipeline.addAfter(NbdServerInitializer.REQUEST_DECODER, NbdServerInitializer.TRANSMISSION, handler);
        pipeline.remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing NBD connection {} during the handshake: {}", ctx.channel().remoteAddress(),
                cause.toString());
        state = State.CLOSED;
        ctx.close();
    }

    private void hardDisconnect(ChannelHandlerContext ctx, ByteBuf in, String reason) {
        log.debug("closing NBD connection {} during the handshake: {}", ctx.channel().remoteAddress(), reason);
        state = State.CLOSED;
        if (in != null) {
            in.skipBytes(in.readableBytes());
        }
        ctx.close();
    }
}

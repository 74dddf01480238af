package dev.coffer.blockstore.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The handshake options this server serves, one constant and one handler each. Every other option
 * (STRUCTURED_REPLY, STARTTLS, the meta-context options, ...) is answered NBD_REP_ERR_UNSUP.
 */
enum NbdOption {
    EXPORT_NAME(1, NbdHandshakeHandler::exportName),
    ABORT(2, NbdHandshakeHandler::abort),
    LIST(3, NbdHandshakeHandler::list),
    INFO(6, NbdHandshakeHandler::info),
    GO(7, NbdHandshakeHandler::go);

    /** Handles one option whose data ({@code data}, a slice the caller releases) was read whole. */
    @FunctionalInterface
    interface Handler {
        void handle(NbdHandshakeHandler handshake, ChannelHandlerContext ctx, ByteBuf data);
    }

    private static final NbdOption[] BY_CODE = new NbdOption[8];

    static {
        for (NbdOption option : values()) {
            BY_CODE[option.code] = option;
        }
    }

    private final int code;
    private final Handler handler;

    NbdOption(int code, Handler handler) {
        this.code = code;
        this.handler = handler;
    }

    /** The option for a wire code, or null for one this server does not serve. */
    static NbdOption of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    int code() {
        return code;
    }

    void handle(NbdHandshakeHandler handshake, ChannelHandlerContext ctx, ByteBuf data) {
        handler.handle(handshake, ctx, data);
    }
}

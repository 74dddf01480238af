package dev.coffer.blockstore.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transmission-phase framing: 28-byte request headers, and a WRITE's payload after its header.
 *
 * <p>A payload is copied straight from the socket's buffers into one heap buffer of the request's
 * length as it arrives, so the decoder's cumulation never holds more than a partial header. A WRITE
 * longer than {@link NbdWire#MAX_PAYLOAD_BYTES} is not buffered: its payload is skipped as it
 * arrives and the request is passed on marked {@code payloadTooLarge} (answered EINVAL) so the
 * connection stays in step. A header with the wrong magic means the stream is out of step, which
 * cannot be recovered: the connection is closed.
 *
 * <p>ByteBuf ownership: emits {@link NbdRequest}s owning their payload; releases a partial payload
 * if the connection ends mid-request.
 */
final class NbdRequestDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(NbdRequestDecoder.class);

    private enum State { HEADER, PAYLOAD, DISCARD_PAYLOAD, CLOSED }

    private State state = State.HEADER;
    /** The WRITE whose payload is being read or skipped. */
    private NbdRequest pending;
    private ByteBuf payload;
    private long discardRemaining;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case HEADER -> {
                    if (in.readableBytes() < NbdWire.REQUEST_HEADER_BYTES) {
                        return;
                    }
                    if (!readHeader(ctx, in, out)) {
                        return;
                    }
                }
                case PAYLOAD -> {
                    int n = Math.min(in.readableBytes(), payload.writableBytes());
                    payload.writeBytes(in, n);
                    if (payload.isWritable()) {
                        return;
                    }
                    out.add(withPayload(pending, payload));
                    pending = null;
                    payload = null;
                    state = State.HEADER;
                }
                case DISCARD_PAYLOAD -> {
                    int n = (int) Math.min(in.readableBytes(), discardRemaining);
                    in.skipBytes(n);
                    discardRemaining -= n;
                    if (discardRemaining > 0) {
                        return;
                    }
                    out.add(pending);
                    pending = null;
                    state = State.HEADER;
                }
                case CLOSED -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    /** Reads one header; false if the connection is being closed. */
    private boolean readHeader(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int magic = in.readInt();
        if (magic != NbdWire.REQUEST_MAGIC) {
            log.debug("closing NBD connection {}: bad request magic", ctx.channel().remoteAddress());
            state = State.CLOSED;
            in.skipBytes(in.readableBytes());
            ctx.close();
            return false;
        }
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long cookie = in.readLong();
        long offset = in.readLong();
        long length = in.readUnsignedInt();
        if (type != NbdCommand.WRITE.type()) {
            out.add(new NbdRequest(flags, type, cookie, offset, length, null, false));
        } else if (length > NbdWire.MAX_PAYLOAD_BYTES) {
            pending = new NbdRequest(flags, type, cookie, offset, length, null, true);
            discardRemaining = length;
            state = State.DISCARD_PAYLOAD;
        } else {
            pending = new NbdRequest(flags, type, cookie, offset, length, null, false);
            payload = ctx.alloc().heapBuffer((int) length, (int) length);
            state = State.PAYLOAD;
        }
        return true;
    }

    private static NbdRequest withPayload(NbdRequest header, ByteBuf payload) {
        return new NbdRequest(header.flags(), header.type(), header.cookie(), header.offset(), header.length(),
                payload, false);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (payload != null) {
            payload.release();
            payload = null;
        }
    }
}

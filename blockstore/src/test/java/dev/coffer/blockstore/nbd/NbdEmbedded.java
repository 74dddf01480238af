package dev.coffer.blockstore.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** Raw-byte helpers for driving the handlers in an {@link EmbeddedChannel}. */
final class NbdEmbedded {
    private NbdEmbedded() {
    }

    /** Every byte the channel has written so far, as one buffer (the caller releases it). */
    static ByteBuf outbound(EmbeddedChannel channel) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf next;
        while ((next = channel.readOutbound()) != null) {
            all.writeBytes(next);
            next.release();
        }
        return all;
    }

    static ByteBuf option(int option, ByteBuf data) {
        ByteBuf buf = Unpooled.buffer().writeLong(NbdWire.IHAVEOPT).writeInt(option).writeInt(data.readableBytes())
                .writeBytes(data);
        data.release();
        return buf;
    }

    static ByteBuf infoOrGoData(String name, int... infoRequests) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuf data = Unpooled.buffer().writeInt(bytes.length).writeBytes(bytes).writeShort(infoRequests.length);
        for (int request : infoRequests) {
            data.writeShort(request);
        }
        return data;
    }

    static ByteBuf request(int flags, int type, long cookie, long offset, long length) {
        return Unpooled.buffer().writeInt(NbdWire.REQUEST_MAGIC).writeShort(flags).writeShort(type).writeLong(cookie)
                .writeLong(offset).writeInt((int) length);
    }
}

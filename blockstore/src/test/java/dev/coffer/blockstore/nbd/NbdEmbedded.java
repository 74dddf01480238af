package dev.coffer.blockstore.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** Raw-byte helpers for driving the handlers in an {@link EmbeddedChannel}. */
final class NbdEmbedded {
    private NbdEmbedded() {
    }

    /**
     * An allocator that counts what is allocated and not yet released, for ending a test with the
     * check that no buffer leaked (inbound test data comes from {@link Unpooled} and is not counted).
     */
    static UnpooledByteBufAllocator countingAllocator() {
        return new UnpooledByteBufAllocator(false);
    }

    static long bytesInUse(UnpooledByteBufAllocator allocator) {
        return allocator.metric().usedHeapMemory() + allocator.metric().usedDirectMemory();
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

package dev.coffer.blockstore.nbd;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** The one place replies are rendered: option replies in the handshake, simple replies in transmission. */
final class NbdReplies {
    private NbdReplies() {
    }

    static ByteBuf greeting(ByteBufAllocator alloc) {
        return alloc.buffer(18).writeLong(NbdWire.NBDMAGIC).writeLong(NbdWire.IHAVEOPT)
                .writeShort(NbdWire.HANDSHAKE_FLAGS);
    }

    /** An option reply with {@code data} (released by this call) as its payload. */
    static ByteBuf option(ByteBufAllocator alloc, int option, int replyType, ByteBuf data) {
        try {
            ByteBuf reply = alloc.buffer(20 + data.readableBytes());
            reply.writeLong(NbdWire.OPTION_REPLY_MAGIC).writeInt(option).writeInt(replyType)
                    .writeInt(data.readableBytes()).writeBytes(data);
            return reply;
        } finally {
            data.release();
        }
    }

    static ByteBuf option(ByteBufAllocator alloc, int option, int replyType) {
        return alloc.buffer(20).writeLong(NbdWire.OPTION_REPLY_MAGIC).writeInt(option).writeInt(replyType)
                .writeInt(0);
    }

    /** An error reply; the message is for a human and must not carry anything secret. */
    static ByteBuf optionError(ByteBufAllocator alloc, int option, int errorType, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(20 + text.length).writeLong(NbdWire.OPTION_REPLY_MAGIC).writeInt(option)
                .writeInt(errorType).writeInt(text.length).writeBytes(text);
    }

    /** NBD_REP_SERVER: the name, then the description for a human (proto.md allows text after the name). */
    static ByteBuf server(ByteBufAllocator alloc, int option, String name, String description) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] descriptionBytes = description.getBytes(StandardCharsets.UTF_8);
        ByteBuf data = alloc.buffer(4 + nameBytes.length + descriptionBytes.length)
                .writeInt(nameBytes.length).writeBytes(nameBytes).writeBytes(descriptionBytes);
        return option(alloc, option, NbdWire.REP_SERVER, data);
    }

    static ByteBuf infoExport(ByteBufAllocator alloc, int option, long sizeBytes) {
        ByteBuf data = alloc.buffer(12).writeShort(NbdWire.INFO_EXPORT).writeLong(sizeBytes)
                .writeShort(NbdWire.TRANSMISSION_FLAGS);
        return option(alloc, option, NbdWire.REP_INFO, data);
    }

    static ByteBuf infoBlockSize(ByteBufAllocator alloc, int option, int minimum, int preferred, int maximum) {
        ByteBuf data = alloc.buffer(14).writeShort(NbdWire.INFO_BLOCK_SIZE).writeInt(minimum).writeInt(preferred)
                .writeInt(maximum);
        return option(alloc, option, NbdWire.REP_INFO, data);
    }

    static ByteBuf infoString(ByteBufAllocator alloc, int option, int infoType, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        ByteBuf data = alloc.buffer(2 + bytes.length).writeShort(infoType).writeBytes(bytes);
        return option(alloc, option, NbdWire.REP_INFO, data);
    }

    /** The reply to NBD_OPT_EXPORT_NAME: size and transmission flags, then 124 zeroes unless NO_ZEROES. */
    static ByteBuf exportName(ByteBufAllocator alloc, long sizeBytes, boolean noZeroes) {
        int zeroes = noZeroes ? 0 : NbdWire.EXPORT_NAME_ZEROES;
        return alloc.buffer(10 + zeroes).writeLong(sizeBytes).writeShort(NbdWire.TRANSMISSION_FLAGS)
                .writeZero(zeroes);
    }

    static ByteBuf simpleReplyHeader(ByteBufAllocator alloc, int errno, long cookie) {
        return alloc.buffer(NbdWire.SIMPLE_REPLY_HEADER_BYTES).writeInt(NbdWire.SIMPLE_REPLY_MAGIC).writeInt(errno)
                .writeLong(cookie);
    }
}

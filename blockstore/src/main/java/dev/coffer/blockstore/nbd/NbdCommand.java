package dev.coffer.blockstore.nbd;

import dev.coffer.blockstore.device.BlockDevice;
import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.blockstore.device.BlockIoException.Errno;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * The transmission commands this server serves: one constant per NBD_CMD, with the command flags it
 * accepts and its handler. Handlers run on a worker thread and may block on the device; they throw
 * {@link BlockIoException} and never render a reply (that is {@link NbdReplies}).
 */
enum NbdCommand {
    READ(0, NbdWire.CMD_FLAG_FUA, NbdCommand::read),
    WRITE(1, NbdWire.CMD_FLAG_FUA, NbdCommand::write),
    /** Handled by the connection itself (no reply: drain, then close), never by a worker. */
    DISC(2, 0xffff, (device, request, alloc) -> null),
    FLUSH(3, NbdWire.CMD_FLAG_FUA, NbdCommand::flush),
    TRIM(4, NbdWire.CMD_FLAG_FUA, NbdCommand::trim),
    WRITE_ZEROES(6, NbdWire.CMD_FLAG_FUA | NbdWire.CMD_FLAG_NO_HOLE, NbdCommand::writeZeroes);

    /** Runs a request against the device; returns a READ's data (owned by the caller) or null. */
    @FunctionalInterface
    interface Handler {
        ByteBuf execute(BlockDevice device, NbdRequest request, ByteBufAllocator alloc) throws BlockIoException;
    }

    private static final NbdCommand[] BY_TYPE = new NbdCommand[8];
    /**
     * The largest READ offered to {@link BlockDevice#tryReadWithoutBlocking} on an event loop: random
     * I/O sizes, where the two thread hand-offs cost more than the read. Larger reads spend long
     * enough in the device (decrypting, copying) that they belong on a worker, off the event loop
     * every other connection of it shares.
     */
    static final int NON_BLOCKING_READ_MAX_BYTES = 64 * 1024;

    static {
        for (NbdCommand command : values()) {
            BY_TYPE[command.type] = command;
        }
    }

    private final int type;
    private final int allowedFlags;
    private final Handler handler;

    NbdCommand(int type, int allowedFlags, Handler handler) {
        this.type = type;
        this.allowedFlags = allowedFlags;
        this.handler = handler;
    }

    /** The command for a wire type, or null for one this server does not serve (answered EINVAL). */
    static NbdCommand of(int type) {
        return type >= 0 && type < BY_TYPE.length ? BY_TYPE[type] : null;
    }

    int type() {
        return type;
    }

    /**
     * Whether the flags are ones this command takes. FUA is taken on every command that could be
     * sent with it, as proto.md requires once SEND_FUA is advertised (clients set it on reads too).
     */
    boolean accepts(int flags) {
        return (flags & ~allowedFlags) == 0;
    }

    ByteBuf execute(BlockDevice device, NbdRequest request, ByteBufAllocator alloc) throws BlockIoException {
        return handler.execute(device, request, alloc);
    }

    /** Whether {@link #tryExecuteWithoutBlocking} would ask the device at all: a small, non-empty READ. */
    boolean mayExecuteWithoutBlocking(NbdRequest request) {
        return this == READ && request.length() > 0 && request.length() <= NON_BLOCKING_READ_MAX_BYTES;
    }

    /**
     * Answers the request on the calling thread if the device can without blocking (a small READ
     * whose blocks are in memory): returns its data (owned by the caller), or null when the request
     * must go to a worker through {@link #execute}. Never blocks and never throws for a device
     * error: declining is always safe, the worker then answers.
     */
    ByteBuf tryExecuteWithoutBlocking(BlockDevice device, NbdRequest request, ByteBufAllocator alloc) {
        if (!mayExecuteWithoutBlocking(request)) {
            return null;
        }
        int length = (int) request.length();
        ByteBuf data = alloc.heapBuffer(length, length);
        boolean served = false;
        try {
            served = device.tryReadWithoutBlocking(request.offset(), data.array(), data.arrayOffset(), length);
        } finally {
            if (!served) {
                data.release();
            }
        }
        return served ? data.writerIndex(length) : null;
    }

    /** Bytes of memory the request holds while in flight (its payload or its read buffer). */
    static long bufferedBytes(NbdRequest request) {
        return request.type() == READ.type || request.type() == WRITE.type ? request.length() : 0;
    }

    private static ByteBuf read(BlockDevice device, NbdRequest request, ByteBufAllocator alloc)
            throws BlockIoException {
        checkRange(device, request);
        int length = (int) request.length();
        if (length == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        // A heap buffer: the device reads into its array, and the reply writes that same buffer.
        ByteBuf data = alloc.heapBuffer(length, length);
        try {
            device.read(request.offset(), data.array(), data.arrayOffset() + data.writerIndex(), length);
            data.writerIndex(length);
            return data;
        } catch (BlockIoException | RuntimeException e) {
            data.release();
            throw e;
        }
    }

    private static ByteBuf write(BlockDevice device, NbdRequest request, ByteBufAllocator alloc)
            throws BlockIoException {
        checkRange(device, request);
        ByteBuf payload = request.payload();
        if (payload.readableBytes() > 0) {
            device.write(request.offset(), payload.array(), payload.arrayOffset() + payload.readerIndex(),
                    payload.readableBytes(), request.hasFlag(NbdWire.CMD_FLAG_FUA));
        }
        return null;
    }

    private static ByteBuf flush(BlockDevice device, NbdRequest request, ByteBufAllocator alloc)
            throws BlockIoException {
        device.flush();
        return null;
    }

    private static ByteBuf trim(BlockDevice device, NbdRequest request, ByteBufAllocator alloc)
            throws BlockIoException {
        checkRange(device, request);
        if (request.length() > 0) {
            device.trim(request.offset(), request.length(), request.hasFlag(NbdWire.CMD_FLAG_FUA));
        }
        return null;
    }

    /**
     * NO_HOLE is accepted and needs nothing: the device reads zeroed ranges as zeros whether or not it
     * stores them, and what it stores is not visible through NBD.
     */
    private static ByteBuf writeZeroes(BlockDevice device, NbdRequest request, ByteBufAllocator alloc)
            throws BlockIoException {
        checkRange(device, request);
        if (request.length() > 0) {
            device.writeZeroes(request.offset(), request.length(), request.hasFlag(NbdWire.CMD_FLAG_FUA));
        }
        return null;
    }

    /** The offset is unsigned on the wire: a "negative" one is past any device. */
    private static void checkRange(BlockDevice device, NbdRequest request) throws BlockIoException {
        long size = device.sizeBytes();
        if (request.offset() < 0 || request.offset() > size || request.length() > size - request.offset()) {
            throw new BlockIoException(Errno.EINVAL, "request outside the device");
        }
    }
}

package dev.coffer.blockstore.nbd;

import static dev.coffer.blockstore.nbd.NbdEmbedded.outbound;
import static dev.coffer.blockstore.nbd.NbdEmbedded.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.blockstore.device.BlockDevice;
import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.blockstore.device.BlockIoException.Errno;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NbdTransmissionHandlerTest {
    private static final int SIZE = 1 << 20;
    private final MemoryBlockDevice device = new MemoryBlockDevice(SIZE, 4096);
    private final UnpooledByteBufAllocator allocator = NbdEmbedded.countingAllocator();
    private EmbeddedChannel channel;

    private EmbeddedChannel open(BlockDevice served, Executor workers, NbdServerConfig config) {
        NbdExport export = new NbdExport("vol-1", "", served);
        channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        NbdTransmissionHandler handler = new NbdTransmissionHandler(export, channel, workers, config);
        assertThat(export.attach(handler)).isTrue();
        channel.pipeline().addLast(new NbdRequestDecoder(), handler);
        return channel;
    }

    private EmbeddedChannel open() {
        return open(device, Runnable::run, NbdServerConfig.defaults());
    }

    @AfterEach
    void noBufferLeaked() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        assertThat(NbdEmbedded.bytesInUse(allocator)).as("bytes the handlers did not release").isZero();
    }

    private record Reply(int error, long cookie, byte[] data) {
    }

    /** Reads one simple reply, with {@code dataLength} bytes of data if it succeeded. */
    private static Reply reply(ByteBuf all, int dataLength) {
        assertThat(all.readInt()).isEqualTo(NbdWire.SIMPLE_REPLY_MAGIC);
        int error = all.readInt();
        long cookie = all.readLong();
        byte[] data = new byte[error == 0 ? dataLength : 0];
        all.readBytes(data);
        return new Reply(error, cookie, data);
    }

    private ByteBuf roundTrip(ByteBuf... inbound) {
        for (ByteBuf buf : inbound) {
            channel.writeInbound(buf);
        }
        channel.runPendingTasks();
        return outbound(channel);
    }

    @Test
    void writeThenReadReturnsTheBytes() {
        open();
        byte[] data = new byte[3000];
        Arrays.fill(data, (byte) 7);
        ByteBuf all = roundTrip(request(NbdWire.CMD_FLAG_FUA, 1, 1, 100, data.length).writeBytes(data),
                request(0, 0, 2, 100, data.length));
        assertThat(reply(all, 0)).extracting(Reply::error, Reply::cookie).containsExactly(0, 1L);
        Reply read = reply(all, data.length);
        assertThat(read.cookie()).isEqualTo(2);
        assertThat(read.data()).isEqualTo(data);
        assertThat(device.fuaWrites.get()).isEqualTo(1);
        all.release();
    }

    @Test
    void aWritePayloadSplitIntoPiecesIsReassembled() {
        open();
        byte[] data = new byte[10_000];
        new java.util.Random(1).nextBytes(data);
        channel.writeInbound(request(0, 1, 9, 0, data.length));
        for (int i = 0; i < data.length; i += 999) {
            channel.writeInbound(Unpooled.wrappedBuffer(data, i, Math.min(999, data.length - i)));
        }
        channel.runPendingTasks();
        ByteBuf all = outbound(channel);
        assertThat(reply(all, 0).error()).isZero();
        assertThat(device.contents(0, data.length)).isEqualTo(data);
        all.release();
    }

    @Test
    void readPastTheEndIsEinvalAndTheNextReadWorks() {
        open();
        ByteBuf all = roundTrip(request(0, 0, 1, SIZE - 512, 1024), request(0, 0, 2, 0, 512),
                request(0, 0, 3, -4096, 512));
        assertThat(reply(all, 0)).extracting(Reply::error, Reply::cookie).containsExactly(22, 1L);
        assertThat(reply(all, 512)).extracting(Reply::error, Reply::cookie).containsExactly(0, 2L);
        assertThat(reply(all, 0)).extracting(Reply::error, Reply::cookie).containsExactly(22, 3L);
        assertThat(all.isReadable()).isFalse();
        all.release();
    }

    @Test
    void writePastTheEndIsEinvalAndItsPayloadIsConsumed() {
        open();
        ByteBuf all = roundTrip(request(0, 1, 1, SIZE - 100, 200).writeZero(200), request(0, 3, 2, 0, 0));
        assertThat(reply(all, 0)).extracting(Reply::error, Reply::cookie).containsExactly(22, 1L);
        assertThat(reply(all, 0)).extracting(Reply::error, Reply::cookie).containsExactly(0, 2L);
        assertThat(device.writes.get()).isZero();
        all.release();
    }

    @Test
    void anOversizedWriteIsDiscardedAsItStreamsAndAnsweredEinval() {
        open();
        long length = NbdWire.MAX_PAYLOAD_BYTES + 1024 * 1024;
        channel.writeInbound(request(0, 1, 1, 0, length));
        ByteBuf chunk = Unpooled.buffer(1 << 20).writeZero(1 << 20);
        for (long sent = 0; sent < length; sent += chunk.readableBytes()) {
            channel.writeInbound(chunk.retainedDuplicate());
            assertThat(NbdEmbedded.bytesInUse(allocator)).as("nothing of the payload is held, at most the reply")
                    .isLessThanOrEqualTo(NbdWire.SIMPLE_REPLY_HEADER_BYTES);
        }
        chunk.release();
        channel.writeInbound(request(0, 0, 2, 0, 16));
        channel.runPendingTasks();
        ByteBuf all = outbound(channel);
        assertThat(reply(all, 0)).extracting(Reply::error, Reply::cookie).containsExactly(22, 1L);
        assertThat(reply(all, 16)).extracting(Reply::error, Reply::cookie).containsExactly(0, 2L);
        assertThat(device.writes.get()).isZero();
        all.release();
    }

    @Test
    void anOversizedReadIsEinval() {
        open();
        ByteBuf all = roundTrip(request(0, 0, 1, 0, NbdWire.MAX_PAYLOAD_BYTES + 1L));
        assertThat(reply(all, 0).error()).isEqualTo(22);
        all.release();
    }

    @Test
    void unknownCommandsAndFlagsAreEinval() {
        open();
        ByteBuf all = roundTrip(request(0, 5, 1, 0, 512), request(0, 7, 2, 0, 512), request(0, 99, 3, 0, 0),
                request(1 << 4, 6, 4, 0, 512), request(NbdWire.CMD_FLAG_NO_HOLE, 0, 5, 0, 512));
        for (long cookie = 1; cookie <= 5; cookie++) {
            assertThat(reply(all, 0)).extracting(Reply::error, Reply::cookie).containsExactly(22, cookie);
        }
        all.release();
    }

    @Test
    void trimAndWriteZeroesPassUint32LengthsToTheDeviceAndFuaIsHonoured() {
        long[] seen = new long[2];
        BlockDevice huge = new ForwardingDevice(new MemoryBlockDevice(4096, 4096)) {
            @Override
            public long sizeBytes() {
                return 8L << 30;
            }

            @Override
            public void trim(long offset, long length, boolean fua) {
                seen[0] = length;
            }

            @Override
            public void writeZeroes(long offset, long length, boolean fua) {
                seen[1] = length;
            }
        };
        open(huge, Runnable::run, NbdServerConfig.defaults());
        ByteBuf all = roundTrip(request(NbdWire.CMD_FLAG_FUA, 4, 1, 0, 0xffffffffL),
                request(NbdWire.CMD_FLAG_NO_HOLE | NbdWire.CMD_FLAG_FUA, 6, 2, 4096, 0xfffff000L));
        assertThat(reply(all, 0).error()).isZero();
        assertThat(reply(all, 0).error()).isZero();
        assertThat(seen).containsExactly(0xffffffffL, 0xfffff000L);
        all.release();
    }

    @Test
    void deviceErrorsMapToTheirErrnoAndOtherFailuresToEio() {
        BlockDevice failing = new ForwardingDevice(device) {
            @Override
            public void flush() throws BlockIoException {
                throw new BlockIoException(Errno.ENOSPC, "full");
            }

            @Override
            public void trim(long offset, long length, boolean fua) {
                throw new IllegalStateException("bug");
            }
        };
        open(failing, Runnable::run, NbdServerConfig.defaults());
        ByteBuf all = roundTrip(request(0, 3, 1, 0, 0), request(0, 4, 2, 0, 4096));
        assertThat(reply(all, 0).error()).isEqualTo(28);
        assertThat(reply(all, 0).error()).isEqualTo(5);
        all.release();
    }

    @Test
    void badMagicClosesTheConnection() {
        open();
        channel.writeInbound(Unpooled.buffer().writeInt(0xdeadbeef).writeZero(24));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void discAnswersWhatIsInFlightThenCloses() {
        Queue<Runnable> queued = new ArrayDeque<>();
        open(device, queued::add, NbdServerConfig.defaults());
        channel.writeInbound(request(0, 0, 1, 0, 512));
        channel.writeInbound(request(0, 2, 2, 0, 0));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("a read is still in flight").isTrue();
        queued.forEach(Runnable::run);
        channel.runPendingTasks();
        ByteBuf all = outbound(channel);
        assertThat(reply(all, 512).cookie()).isEqualTo(1);
        all.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void stopsReadingWhileTooManyRequestsAreInFlight() {
        Queue<Runnable> queued = new ArrayDeque<>();
        var config = new NbdServerConfig(2, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(1), 1);
        open(device, queued::add, config);
        channel.writeInbound(request(0, 0, 1, 0, 512));
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(request(0, 0, 2, 0, 512));
        assertThat(channel.config().isAutoRead()).isFalse();
        queued.poll().run();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        queued.poll().run();
        channel.runPendingTasks();
        outbound(channel).release();
    }

    @Test
    void stopsReadingWhileTooManyBytesAreInFlight() {
        Queue<Runnable> queued = new ArrayDeque<>();
        var config = new NbdServerConfig(64, 4096, Duration.ofSeconds(30), Duration.ofSeconds(1), 1);
        open(device, queued::add, config);
        channel.writeInbound(request(0, 0, 1, 0, 4096));
        assertThat(channel.config().isAutoRead()).isFalse();
        queued.poll().run();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();
        outbound(channel).release();
    }

    @Test
    void aReadTheDeviceAnswersWithoutBlockingIsRepliedOnTheEventLoop() {
        Queue<Runnable> workers = new ArrayDeque<>();
        open(new ForwardingDevice(device) {
            @Override
            public boolean tryReadWithoutBlocking(long offset, byte[] dst, int dstOffset, int length) {
                try {
                    read(offset, dst, dstOffset, length);
                    return true;
                } catch (BlockIoException e) {
                    return false;
                }
            }
        }, workers::add, NbdServerConfig.defaults());
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 9);
        channel.writeInbound(request(0, 1, 1, 8192, data.length).writeBytes(data));
        assertThat(workers).as("a write always goes to a worker").hasSize(1);
        workers.poll().run();
        channel.runPendingTasks();
        ByteBuf all = roundTrip(request(0, 0, 2, 8192, data.length));
        assertThat(workers).as("no worker for the read").isEmpty();
        assertThat(reply(all, 0)).extracting(Reply::error, Reply::cookie).containsExactly(0, 1L);
        Reply read = reply(all, data.length);
        assertThat(read.cookie()).isEqualTo(2);
        assertThat(read.data()).isEqualTo(data);
        all.release();
    }

    @Test
    void aReadTheDeviceDeclinesOrFailsToAnswerWithoutBlockingGoesToAWorker() {
        AtomicInteger offered = new AtomicInteger();
        BlockDevice declining = new ForwardingDevice(device) {
            @Override
            public boolean tryReadWithoutBlocking(long offset, byte[] dst, int dstOffset, int length) {
                offered.incrementAndGet();
                if (offset == 0) {
                    throw new IllegalStateException("a bug in the non-blocking path");
                }
                Arrays.fill(dst, dstOffset, dstOffset + length, (byte) 1);
                return false;
            }
        };
        // Each on a connection of its own, so that the backoff after one miss does not skip the next.
        long[] offsets = {0, 4096, SIZE};
        int[] errors = {0, 0, 22};
        for (int i = 0; i < offsets.length; i++) {
            Queue<Runnable> workers = new ArrayDeque<>();
            open(declining, workers::add, NbdServerConfig.defaults());
            long cookie = i + 1;
            channel.writeInbound(request(0, 0, cookie, offsets[i], 512));
            assertThat(offered).hasValue(i + 1);
            assertThat(workers).hasSize(1);
            workers.poll().run();
            channel.runPendingTasks();
            ByteBuf all = outbound(channel);
            Reply reply = reply(all, 512);
            assertThat(reply).extracting(Reply::error, Reply::cookie).containsExactly(errors[i], cookie);
            if (errors[i] == 0) {
                assertThat(reply.data()).as("the worker's bytes, not the declined attempt's").isEqualTo(new byte[512]);
            }
            all.release();
            channel.finishAndReleaseAll();
        }
        assertThat(device.reads.get()).isEqualTo(2);
    }

    /** A device that answers reads without blocking while {@code inMemory} is set, counting the offers. */
    private BlockDevice answeringWhile(AtomicBoolean inMemory, AtomicInteger offered) {
        return new ForwardingDevice(device) {
            @Override
            public boolean tryReadWithoutBlocking(long offset, byte[] dst, int dstOffset, int length) {
                offered.incrementAndGet();
                if (!inMemory.get()) {
                    return false;
                }
                try {
                    read(offset, dst, dstOffset, length);
                    return true;
                } catch (BlockIoException e) {
                    return false;
                }
            }
        };
    }

    /** Sends one request alone (queue depth 1) and reads its reply; true if it went to a worker. */
    private boolean alone(Queue<Runnable> workers, ByteBuf request, long cookie, int dataLength) {
        channel.writeInbound(request);
        boolean onAWorker = !workers.isEmpty();
        if (onAWorker) {
            workers.poll().run();
            channel.runPendingTasks();
        }
        assertThat(workers).isEmpty();
        ByteBuf all = outbound(channel);
        assertThat(reply(all, dataLength)).extracting(Reply::error, Reply::cookie).containsExactly(0, cookie);
        assertThat(all.isReadable()).isFalse();
        all.release();
        return onAWorker;
    }

    @Test
    void afterEachMissMoreReadsSkipTheEventLoopAndAHitOffersEveryReadAgain() {
        Queue<Runnable> workers = new ArrayDeque<>();
        AtomicBoolean inMemory = new AtomicBoolean(false);
        AtomicInteger offered = new AtomicInteger();
        open(answeringWhile(inMemory, offered), workers::add, NbdServerConfig.defaults());
        List<Long> offeredReads = new ArrayList<>();
        for (long cookie = 1; cookie <= 15; cookie++) {
            int before = offered.get();
            assertThat(alone(workers, request(0, 0, cookie, cookie * 512, 512), cookie, 512)).isTrue();
            if (offered.get() > before) {
                offeredReads.add(cookie);
            }
        }
        assertThat(offeredReads).as("offered, missed, then 1, 3 and 7 reads skipped").containsExactly(1L, 3L, 7L, 15L);

        inMemory.set(true);
        for (long cookie = 16; cookie <= 30; cookie++) {
            assertThat(alone(workers, request(0, 0, cookie, 0, 512), cookie, 512)).as("read %d skipped", cookie).isTrue();
        }
        assertThat(offered).hasValue(4);
        for (long cookie = 31; cookie <= 34; cookie++) {
            assertThat(alone(workers, request(0, 0, cookie, 0, 512), cookie, 512))
                    .as("read %d: the 15 skips are over, then every read hits", cookie).isFalse();
        }
        assertThat(offered).hasValue(8);
    }

    @Test
    void onlyReadsThatMayBeAnsweredOnTheEventLoopCountAgainstTheBackoff() {
        Queue<Runnable> workers = new ArrayDeque<>();
        AtomicBoolean inMemory = new AtomicBoolean(false);
        AtomicInteger offered = new AtomicInteger();
        open(answeringWhile(inMemory, offered), workers::add, NbdServerConfig.defaults());
        assertThat(alone(workers, request(0, 0, 1, 0, 512), 1, 512)).isTrue();
        assertThat(offered).as("missed: the next small read is skipped").hasValue(1);
        inMemory.set(true);
        int large = NbdCommand.NON_BLOCKING_READ_MAX_BYTES + 512;
        assertThat(alone(workers, request(0, 1, 2, 0, 512).writeZero(512), 2, 0)).isTrue();
        assertThat(alone(workers, request(0, 0, 3, 0, large), 3, large)).isTrue();
        assertThat(alone(workers, request(0, 3, 4, 0, 0), 4, 0)).isTrue();
        assertThat(offered).as("a write, a large read and a flush are never offered").hasValue(1);
        assertThat(alone(workers, request(0, 0, 5, 0, 512), 5, 512)).as("the skipped read").isTrue();
        assertThat(alone(workers, request(0, 0, 6, 0, 512), 6, 512)).as("offered again, and a hit").isFalse();
        assertThat(offered).hasValue(2);
    }

    /** A device that answers every read without blocking, counting the offers. */
    private BlockDevice answeringWithoutBlocking(AtomicInteger offered) {
        return new ForwardingDevice(device) {
            @Override
            public boolean tryReadWithoutBlocking(long offset, byte[] dst, int dstOffset, int length) {
                offered.incrementAndGet();
                try {
                    read(offset, dst, dstOffset, length);
                    return true;
                } catch (BlockIoException e) {
                    return false;
                }
            }
        };
    }

    @Test
    void lonelyReadsInSeparateBatchesAreAllAnsweredOnTheEventLoop() {
        Queue<Runnable> workers = new ArrayDeque<>();
        AtomicInteger offered = new AtomicInteger();
        open(answeringWithoutBlocking(offered), workers::add, NbdServerConfig.defaults());
        for (long cookie = 1; cookie <= 3; cookie++) {
            channel.writeInbound(request(0, 0, cookie, cookie * 4096, 512));
            ByteBuf all = outbound(channel);
            assertThat(reply(all, 512)).extracting(Reply::error, Reply::cookie).containsExactly(0, cookie);
            all.release();
        }
        assertThat(workers).isEmpty();
        assertThat(offered).hasValue(3);
    }

    @Test
    void ofSeveralRequestsReadInOneBatchOnlyTheFirstIsAnsweredOnTheEventLoop() {
        Queue<Runnable> workers = new ArrayDeque<>();
        AtomicInteger offered = new AtomicInteger();
        open(answeringWithoutBlocking(offered), workers::add, NbdServerConfig.defaults());
        channel.writeInbound(Unpooled.wrappedBuffer(
                request(0, 0, 1, 0, 512), request(0, 0, 2, 4096, 512), request(0, 0, 3, 8192, 512)));
        ByteBuf first = outbound(channel);
        assertThat(reply(first, 512)).extracting(Reply::error, Reply::cookie).containsExactly(0, 1L);
        assertThat(first.isReadable()).isFalse();
        first.release();
        assertThat(workers).as("the rest of the batch goes to the workers").hasSize(2);
        assertThat(offered).hasValue(1);
        for (long cookie = 2; cookie <= 3; cookie++) {
            workers.poll().run();
            channel.runPendingTasks();
            ByteBuf all = outbound(channel);
            assertThat(reply(all, 512)).extracting(Reply::error, Reply::cookie).containsExactly(0, cookie);
            all.release();
        }

        channel.writeInbound(request(0, 0, 4, 0, 512));
        assertThat(workers).as("the next batch is offered again").isEmpty();
        outbound(channel).release();
    }

    @Test
    void aReadArrivingWhileAnotherRequestIsOnAWorkerGoesToAWorker() {
        Queue<Runnable> workers = new ArrayDeque<>();
        AtomicInteger offered = new AtomicInteger();
        open(answeringWithoutBlocking(offered), workers::add, NbdServerConfig.defaults());
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 7);
        channel.writeInbound(request(0, 1, 1, 0, data.length).writeBytes(data));
        channel.writeInbound(request(0, 0, 2, 0, data.length));
        assertThat(workers).hasSize(2);
        assertThat(offered).as("not offered while the write is on a worker").hasValue(0);
        workers.poll().run();
        workers.poll().run();
        channel.runPendingTasks();
        ByteBuf all = outbound(channel);
        assertThat(reply(all, 0).cookie()).isEqualTo(1);
        assertThat(reply(all, data.length)).extracting(Reply::cookie, Reply::data).containsExactly(2L, data);
        all.release();

        channel.writeInbound(request(0, 0, 3, 0, data.length));
        assertThat(workers).as("nothing in flight: offered again").isEmpty();
        assertThat(offered).hasValue(1);
        ByteBuf again = outbound(channel);
        assertThat(reply(again, data.length)).extracting(Reply::cookie, Reply::data).containsExactly(3L, data);
        again.release();
    }

    /** A device that delegates, for overriding one method. */
    private static class ForwardingDevice implements BlockDevice {
        private final BlockDevice delegate;

        ForwardingDevice(BlockDevice delegate) {
            this.delegate = delegate;
        }

        @Override
        public long sizeBytes() {
            return delegate.sizeBytes();
        }

        @Override
        public int blockSize() {
            return delegate.blockSize();
        }

        @Override
        public void read(long offset, byte[] dst, int dstOffset, int length) throws BlockIoException {
            delegate.read(offset, dst, dstOffset, length);
        }

        @Override
        public void write(long offset, byte[] src, int srcOffset, int length, boolean fua) throws BlockIoException {
            delegate.write(offset, src, srcOffset, length, fua);
        }

        @Override
        public void trim(long offset, long length, boolean fua) throws BlockIoException {
            delegate.trim(offset, length, fua);
        }

        @Override
        public void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
            delegate.writeZeroes(offset, length, fua);
        }

        @Override
        public void flush() throws BlockIoException {
            delegate.flush();
        }

        @Override
        public boolean tryReadWithoutBlocking(long offset, byte[] dst, int dstOffset, int length) {
            return delegate.tryReadWithoutBlocking(offset, dst, dstOffset, length);
        }
    }
}

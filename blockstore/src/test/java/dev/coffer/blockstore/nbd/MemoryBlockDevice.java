package dev.coffer.blockstore.nbd;

import dev.coffer.blockstore.device.BlockDevice;
import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.blockstore.device.BlockIoException.Errno;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A byte-array device that counts what it was asked to do. The NBD server is what the tests exercise;
 * the volume engine has its own tests. {@link #hold()} makes every later request wait until
 * {@link #release()}, to have requests in flight on purpose.
 */
final class MemoryBlockDevice implements BlockDevice {
    private final byte[] bytes;
    private final int blockSize;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger fuaWrites = new AtomicInteger();
    final AtomicInteger trims = new AtomicInteger();
    final AtomicInteger zeroes = new AtomicInteger();
    final AtomicInteger flushes = new AtomicInteger();
    /** Requests that reached the device and are waiting at the gate. */
    final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch gate;

    MemoryBlockDevice(int sizeBytes, int blockSize) {
        this.bytes = new byte[sizeBytes];
        this.blockSize = blockSize;
    }

    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch current = gate;
        gate = null;
        if (current != null) {
            current.countDown();
        }
    }

    synchronized byte[] contents(int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    @Override
    public long sizeBytes() {
        return bytes.length;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws BlockIoException {
        await();
        check(offset, length);
        reads.incrementAndGet();
        synchronized (this) {
            System.arraycopy(bytes, (int) offset, dst, dstOffset, length);
        }
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length, boolean fua) throws BlockIoException {
        await();
        check(offset, length);
        writes.incrementAndGet();
        if (fua) {
            fuaWrites.incrementAndGet();
        }
        synchronized (this) {
            System.arraycopy(src, srcOffset, bytes, (int) offset, length);
        }
    }

    @Override
    public void trim(long offset, long length, boolean fua) throws BlockIoException {
        await();
        check(offset, length);
        trims.incrementAndGet();
        synchronized (this) {
            Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
        }
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
        await();
        check(offset, length);
        zeroes.incrementAndGet();
        synchronized (this) {
            Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
        }
    }

    @Override
    public void flush() throws BlockIoException {
        await();
        flushes.incrementAndGet();
    }

    private void check(long offset, long length) throws BlockIoException {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new BlockIoException(Errno.EINVAL, "outside the device");
        }
    }

    private void await() throws BlockIoException {
        CountDownLatch current = gate;
        if (current == null) {
            return;
        }
        held.incrementAndGet();
        try {
            if (!current.await(30, TimeUnit.SECONDS)) {
                throw new BlockIoException(Errno.EIO, "test gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlockIoException(Errno.EIO, "interrupted");
        } finally {
            held.decrementAndGet();
        }
    }
}

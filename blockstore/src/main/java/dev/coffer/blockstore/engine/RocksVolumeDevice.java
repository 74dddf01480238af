package dev.coffer.blockstore.engine;

import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.blockstore.device.BlockIoException.Errno;
import dev.coffer.crypto.CiphertextRejectedException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * An open volume over the engine's database. Writes go to the space's current epoch, one
 * {@link WriteBatch} per request; partial blocks are read-modify-written under their stripe lock.
 * Every request holds the space's read lock, so a snapshot (which takes the write lock) falls wholly
 * between requests, and closing waits for requests in flight.
 *
 * <p>The device does not own the codec's cipher: whoever opened the device closes the cipher after
 * closing the device.
 */
final class RocksVolumeDevice implements VolumeDevice {
    /** Whole blocks a trim or write-zeroes handles per batch: bounds the decided-bits array (8 KiB) and each batch. */
    private static final int DISCARD_CHUNK_BLOCKS = 1 << 16;
    /**
     * Requests of at most this many blocks first try a point lookup at the current epoch (the usual
     * home of a recently written block); creating a merging iterator costs more than a bloom-filtered
     * get that misses. Longer requests amortise one iterator over the range.
     */
    private static final int POINT_LOOKUP_MAX_BLOCKS = 2;
    /** Blocks whose log records one append writes (about 1 MiB of 4 KiB records): bounds the per-thread buffer. */
    private static final int APPEND_CHUNK_BLOCKS = 256;
    private static final byte[] ZEROS = new byte[64 * 1024];
    private static final byte[] TOMBSTONE = new byte[0];

    private final String volumeId;
    private final EngineDatabase database;
    private final ViewResolver resolver;
    private final Space space;
    private final View head;
    private final BlockCoder coder;
    private final int blockSize;
    private final int shift;
    private final long mask;
    private final StripedLocks blockLocks = new StripedLocks();
    private final Runnable onClose;
    private volatile long sizeBytes;
    private boolean closed;

    RocksVolumeDevice(String volumeId, long sizeBytes, EngineDatabase database, Space space, BlockCoder coder,
                      Runnable onClose) {
        this.volumeId = volumeId;
        this.sizeBytes = sizeBytes;
        this.database = database;
        this.resolver = new ViewResolver(database);
        this.space = space;
        this.head = space.head();
        this.coder = coder;
        this.blockSize = space.blockSize;
        this.shift = Integer.numberOfTrailingZeros(blockSize);
        this.mask = blockSize - 1;
        this.onClose = onClose;
    }

    @Override
    public String volumeId() {
        return volumeId;
    }

    @Override
    public long sizeBytes() {
        return sizeBytes;
    }

    void resized(long newSizeBytes) {
        sizeBytes = newSizeBytes;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws BlockIoException {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        checkRange(offset, length);
        if (length == 0) {
            return;
        }
        Lock shared = space.lock.readLock();
        shared.lock();
        try {
            ensureOpen();
            readHeld(offset, dst, dstOffset, length, Scratch.get(), false);
        } catch (BlockIoException e) {
            // A refused block never leaves bytes behind, nor do the blocks decoded before it.
            Arrays.fill(dst, dstOffset, dstOffset + length, (byte) 0);
            throw e;
        } finally {
            shared.unlock();
        }
    }

    /**
     * Answers a read of at most {@link #POINT_LOOKUP_MAX_BLOCKS} blocks from memory, or declines:
     * the same view and the same lookups as {@link #read} (so a write that has returned is seen, and
     * a snapshot falls wholly before or after), but with RocksDB restricted to memtables and the
     * block cache and the space's lock only tried, never waited for. Any miss, contention, error or
     * closed device declines; {@link #read} then gives the answer, errors included.
     */
    @Override
    public boolean tryReadWithoutBlocking(long offset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        long size = sizeBytes;
        if (length <= 0 || offset < 0 || offset > size || length > size - offset
                || ((offset + length - 1) >>> shift) - (offset >>> shift) >= POINT_LOOKUP_MAX_BLOCKS) {
            return false;
        }
        Lock shared = space.lock.readLock();
        if (!shared.tryLock()) {
            return false;
        }
        try {
            if (closed) {
                return false;
            }
            readHeld(offset, dst, dstOffset, length, Scratch.get(), true);
            return true;
        } catch (NotInMemoryException | BlockIoException e) {
            return false;
        } finally {
            shared.unlock();
        }
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length, boolean fua) throws BlockIoException {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        checkRange(offset, length);
        Lock shared = space.lock.readLock();
        shared.lock();
        try {
            ensureOpen();
            if (length == 0) {
                if (fua) {
                    syncAll();
                }
                return;
            }
            writeHeld(offset, src, srcOffset, length, fua, Scratch.get());
        } finally {
            shared.unlock();
        }
    }

    @Override
    public void trim(long offset, long length, boolean fua) throws BlockIoException {
        discard(offset, length, fua);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) throws BlockIoException {
        discard(offset, length, fua);
    }

    @Override
    public void flush() throws BlockIoException {
        Lock shared = space.lock.readLock();
        shared.lock();
        try {
            ensureOpen();
            syncAll();
        } finally {
            shared.unlock();
        }
    }

    @Override
    public void close() {
        Lock exclusive = space.lock.writeLock();
        exclusive.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            database.syncAll();
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("flush of " + volumeId + " at close", e);
        } catch (IOException e) {
            throw VolumeStoreException.io("flush of " + volumeId + " at close", e);
        } finally {
            exclusive.unlock();
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "RocksVolumeDevice[" + volumeId + ", " + sizeBytes + " B, block " + blockSize + " B]";
    }

    /**
     * @param inMemoryOnly read memtables and the block cache only, throwing {@link NotInMemoryException}
     *     where a table file would be needed
     */
    private void readHeld(long offset, byte[] dst, int dstOffset, int length, Scratch scratch, boolean inMemoryOnly)
            throws BlockIoException {
        long first = offset >>> shift;
        long last = (offset + length - 1) >>> shift;
        int count = (int) (last - first + 1);
        long[] decided = ViewResolver.bitsFor(count);
        // A multi-block read collects its log records and reads them in runs afterwards.
        LogReads logReads = count > 1 && !inMemoryOnly ? scratch.logReads : null;
        if (logReads != null) {
            logReads.clear();
        }
        int found = 0;
        if (count <= POINT_LOOKUP_MAX_BLOCKS) {
            // The space's epoch cannot move while this request holds the space's read lock.
            long epoch = space.epoch();
            byte[] key = scratch.key;
            for (int bit = 0; bit < count; bit++) {
                BlockKeys.write(key, space.id, first + bit, epoch);
                ValueReader lookup = inMemoryOnly
                        ? (into, at, len) -> database.getBlockInMemory(key, into, at, len)
                        : (into, at, len) -> database.getBlock(key, into, at, len);
                if (deliver(first + bit, lookup, offset, dst, dstOffset, length, scratch, inMemoryOnly, logReads)) {
                    decided[bit >>> 6] |= 1L << bit;
                    found++;
                }
            }
        }
        if (found < count) {
            resolver.resolve(head, first, count, decided, scratch.key, inMemoryOnly, (index, record) ->
                    deliver(index, record::value, offset, dst, dstOffset, length, scratch, inMemoryOnly, logReads));
        }
        if (logReads != null && logReads.count > 0) {
            readLogged(logReads, offset, dst, dstOffset, length, scratch);
        }
        for (int bit = 0; bit < count; bit++) {
            if (!ViewResolver.isSet(decided, bit)) {
                long blockStart = (first + bit) << shift;
                long from = Math.max(offset, blockStart);
                long to = Math.min(offset + length, blockStart + blockSize);
                int at = dstOffset + (int) (from - offset);
                Arrays.fill(dst, at, at + (int) (to - from), (byte) 0);
            }
        }
    }

    /** Reads the collected log records in runs of back-to-back records, checks each and decodes it into place. */
    private void readLogged(LogReads reads, long offset, byte[] dst, int dstOffset, int length, Scratch scratch)
            throws BlockIoException {
        int[] order = reads.inLogOrder();
        int valueSize = coder.recordSize();
        int i = 0;
        while (i < reads.count) {
            int start = i;
            long runStart = reads.position[order[i]];
            long runEnd = runStart + reads.length[order[i]];
            i++;
            while (i < reads.count) {
                int e = order[i];
                if (reads.position[e] != runEnd || BlockLog.segmentOf(runStart) != BlockLog.segmentOf(reads.position[e])
                        || runEnd - runStart + reads.length[e] > LogReads.MAX_RUN_BYTES) {
                    break;
                }
                runEnd += reads.length[e];
                i++;
            }
            int runBytes = (int) (runEnd - runStart);
            byte[] run = scratch.run(runBytes);
            long firstIndex = reads.index[order[start]];
            try {
                database.log().read(BlockLog.segmentOf(runStart), BlockLog.offsetOf(runStart), run, 0, runBytes);
            } catch (IOException e) {
                throw new BlockIoException(Errno.EIO, "read of block " + firstIndex + " of " + volumeId
                        + " from the block log failed: " + e.getMessage(), e);
            }
            for (int k = start; k < i; k++) {
                int e = order[k];
                long index = reads.index[e];
                int at = (int) (reads.position[e] - runStart);
                BlockKeys.write(scratch.runKey, reads.spaceId[e], index, reads.epoch[e]);
                if (!LogRecord.isIntact(run, at, scratch.runKey, valueSize)) {
                    throw damaged(index);
                }
                place(index, run, at + LogRecord.HEADER_BYTES, offset, dst, dstOffset, length, scratch);
            }
        }
    }

    /** Decodes the stored value at {@code stored[at]} of block {@code index} into the part of {@code dst} it covers. */
    private void place(long index, byte[] stored, int at, long offset, byte[] dst, int dstOffset, int length,
                       Scratch scratch) throws BlockIoException {
        long blockStart = index << shift;
        long from = Math.max(offset, blockStart);
        long to = Math.min(offset + length, blockStart + blockSize);
        int into = dstOffset + (int) (from - offset);
        try {
            if (to - from == blockSize) {
                coder.decode(index, stored, at, dst, into);
            } else {
                byte[] block = scratch.block(blockSize);
                coder.decode(index, stored, at, block, 0);
                System.arraycopy(block, (int) (from - blockStart), dst, into, (int) (to - from));
            }
        } catch (CiphertextRejectedException e) {
            throw new BlockIoException(Errno.EIO, "block " + index + " of " + volumeId + " failed authentication", e);
        }
    }

    /** Copies a stored value into {@code into[offset, +length)}; returns its full size, or a negative value if there is none. */
    @FunctionalInterface
    private interface ValueReader {
        int read(byte[] into, int offset, int length) throws RocksDBException;
    }

    /**
     * Puts the part of block {@code index} that {@code [offset, +length)} covers into {@code dst};
     * returns false (and writes nothing) if {@code value} finds no record. The record's key is in
     * {@code scratch.key} (where the point lookup and the resolver leave it).
     */
    private boolean deliver(long index, ValueReader value, long offset, byte[] dst, int dstOffset, int length,
                            Scratch scratch, boolean inMemoryOnly, LogReads logReads) throws BlockIoException {
        long blockStart = index << shift;
        long from = Math.max(offset, blockStart);
        long to = Math.min(offset + length, blockStart + blockSize);
        int at = dstOffset + (int) (from - offset);
        int span = (int) (to - from);
        boolean whole = span == blockSize;
        int valueSize = coder.recordSize();
        try {
            if (whole && coder.isPlaintext()) {
                int size = value.read(dst, at, blockSize);
                if (size < 0) {
                    return false;
                }
                if (size == 0) {
                    Arrays.fill(dst, at, at + blockSize, (byte) 0);
                } else if (logReads != null && LogPointer.is(dst, at, size)) {
                    defer(logReads, index, dst, at, scratch.key, valueSize);
                } else if (LogPointer.is(dst, at, size)) {
                    byte[] stored = scratch.record(LogRecord.HEADER_BYTES + valueSize);
                    fetchLogged(index, dst, at, stored, scratch.key, valueSize, inMemoryOnly);
                    System.arraycopy(stored, LogRecord.HEADER_BYTES, dst, at, blockSize);
                } else if (size != blockSize) {
                    throw damaged(index);
                }
                return true;
            }
            // The value sits at HEADER_BYTES, where a log record fetched into the same buffer puts it too.
            byte[] stored = scratch.record(LogRecord.HEADER_BYTES + valueSize);
            int size = value.read(stored, LogRecord.HEADER_BYTES, valueSize);
            if (size < 0) {
                return false;
            }
            if (size == 0) {
                Arrays.fill(dst, at, at + span, (byte) 0);
                return true;
            }
            if (logReads != null && LogPointer.is(stored, LogRecord.HEADER_BYTES, size)) {
                defer(logReads, index, stored, LogRecord.HEADER_BYTES, scratch.key, valueSize);
                return true;
            }
            if (LogPointer.is(stored, LogRecord.HEADER_BYTES, size)) {
                fetchLogged(index, stored, LogRecord.HEADER_BYTES, stored, scratch.key, valueSize, inMemoryOnly);
            } else if (size != valueSize) {
                throw damaged(index);
            }
            place(index, stored, LogRecord.HEADER_BYTES, offset, dst, dstOffset, length, scratch);
            return true;
        } catch (RocksDBException e) {
            throw storageFailed("read", e);
        }
    }

    /** Adds the log record a pointer names to the reads still to do; a pointer with a wrong length is a damaged value. */
    private void defer(LogReads logReads, long index, byte[] pointer, int at, byte[] key, int valueSize)
            throws BlockIoException {
        int recordLength = LogPointer.recordLength(pointer, at);
        if (recordLength != LogRecord.HEADER_BYTES + valueSize) {
            throw damaged(index);
        }
        logReads.add(index, key, LogPointer.position(pointer, at), recordLength);
    }

    /** Reads the log record the pointer at {@code pointer[at]} names into {@code into}, refusing one not written for {@code key}. */
    private void fetchLogged(long index, byte[] pointer, int at, byte[] into, byte[] key, int valueSize,
                             boolean inMemoryOnly) throws BlockIoException {
        try {
            if (!database.readLogged(pointer, at, key, into, valueSize, inMemoryOnly)) {
                if (inMemoryOnly) {
                    // A miss and a failed check alike go to a worker, which reports the latter.
                    throw NotInMemoryException.INSTANCE;
                }
                throw damaged(index);
            }
        } catch (IOException e) {
            throw new BlockIoException(Errno.EIO, "read of block " + index + " of " + volumeId + " from the block log failed: "
                    + e.getMessage(), e);
        }
    }

    private void writeHeld(long offset, byte[] src, int srcOffset, int length, boolean fua, Scratch scratch)
            throws BlockIoException {
        long end = offset + length;
        long first = offset >>> shift;
        long last = (end - 1) >>> shift;
        boolean partialFirst = (offset & mask) != 0 || end < ((first + 1) << shift);
        boolean partialLast = last != first && (end & mask) != 0;
        boolean locked = partialFirst || partialLast;
        long lockA = partialFirst ? first : last;
        long lockB = partialLast ? last : first;
        if (locked) {
            blockLocks.lock(lockA, lockB);
        }
        long epoch = space.epoch();
        ColumnFamilyHandle blocks = database.blocks();
        BlockLog log = database.log();
        int valueSize = coder.recordSize();
        int recordLength = LogRecord.HEADER_BYTES + valueSize;
        try (WriteBatch batch = new WriteBatch()) {
            for (long chunk = first; chunk <= last; chunk += APPEND_CHUNK_BLOCKS) {
                int n = (int) Math.min(APPEND_CHUNK_BLOCKS, last - chunk + 1);
                byte[] records = scratch.records(n * recordLength);
                for (int k = 0; k < n; k++) {
                    long index = chunk + k;
                    long blockStart = index << shift;
                    byte[] plain;
                    int plainOffset;
                    if ((index == first && partialFirst) || (index == last && partialLast)) {
                        plain = scratch.block(blockSize);
                        readHeld(blockStart, plain, 0, blockSize, scratch, false);
                        long from = Math.max(offset, blockStart);
                        long to = Math.min(end, blockStart + blockSize);
                        System.arraycopy(src, srcOffset + (int) (from - offset), plain, (int) (from - blockStart), (int) (to - from));
                        plainOffset = 0;
                    } else {
                        plain = src;
                        plainOffset = srcOffset + (int) (blockStart - offset);
                    }
                    coder.encode(index, plain, plainOffset, records, k * recordLength + LogRecord.HEADER_BYTES);
                    BlockKeys.write(scratch.key, space.id, index, epoch);
                    LogRecord.seal(records, k * recordLength, scratch.key, valueSize);
                }
                long position = log.append(records, 0, n * recordLength);
                for (int k = 0; k < n; k++) {
                    BlockKeys.write(scratch.key, space.id, chunk + k, epoch);
                    LogPointer.write(scratch.pointer, position + (long) k * recordLength, recordLength);
                    batch.put(blocks, scratch.key, scratch.pointer);
                }
            }
            if (fua) {
                log.sync();
            }
            database.write(batch, fua);
        } catch (RocksDBException e) {
            throw storageFailed("write", e);
        } catch (IOException e) {
            throw new BlockIoException(Errno.EIO, "write on " + volumeId + " failed: " + e.getMessage(), e);
        } finally {
            if (locked) {
                blockLocks.unlock(lockA, lockB);
            }
        }
    }

    private void discard(long offset, long length, boolean fua) throws BlockIoException {
        checkRange(offset, length);
        Lock shared = space.lock.readLock();
        shared.lock();
        try {
            ensureOpen();
            if (length == 0) {
                return;
            }
            Scratch scratch = Scratch.get();
            long end = offset + length;
            long wholeFrom = (offset + mask) & ~mask;
            long wholeTo = end & ~mask;
            long headEnd = Math.min(end, wholeFrom);
            if (headEnd > offset) {
                writeHeld(offset, ZEROS, 0, (int) (headEnd - offset), fua, scratch);
            }
            long tailStart = Math.max(wholeTo, headEnd);
            if (tailStart < end) {
                writeHeld(tailStart, ZEROS, 0, (int) (end - tailStart), fua, scratch);
            }
            for (long from = wholeFrom >>> shift, to = wholeTo >>> shift; from < to; from += DISCARD_CHUNK_BLOCKS) {
                dropBlocks(from, (int) Math.min(DISCARD_CHUNK_BLOCKS, to - from), fua, scratch);
            }
        } finally {
            shared.unlock();
        }
    }

    /**
     * Makes whole blocks read as zeros without storing them: this epoch's records in the range go,
     * and where an older epoch or the parent chain would show through (a snapshot or a parent holds
     * the block), a tombstone at this epoch hides it.
     */
    private void dropBlocks(long first, int count, boolean fua, Scratch scratch) throws BlockIoException {
        long epoch = space.epoch();
        ColumnFamilyHandle blocks = database.blocks();
        byte[] key = new byte[BlockKeys.SIZE_BYTES];
        byte[] probe = new byte[1];
        try (WriteBatch batch = new WriteBatch(); RocksIterator it = database.newBlockIterator()) {
            for (it.seek(BlockKeys.of(space.id, first, 0)); it.isValid(); it.next()) {
                it.key(key);
                if (BlockKeys.spaceId(key) != space.id || BlockKeys.blockIndex(key) >= first + count) {
                    break;
                }
                if (BlockKeys.epoch(key) == epoch) {
                    batch.delete(blocks, key);
                }
            }
            it.status();
            long[] decided = ViewResolver.bitsFor(count);
            resolver.resolve(head.withTopBound(epoch - 1), first, count, decided, scratch.key, false, (index, record) -> {
                if (record.value(probe) > 0) {
                    try {
                        batch.put(blocks, BlockKeys.of(space.id, index, epoch), TOMBSTONE);
                    } catch (RocksDBException e) {
                        throw storageFailed("trim", e);
                    }
                }
            });
            if (batch.count() > 0) {
                database.write(batch, fua);
            } else if (fua) {
                database.syncWal();
            }
        } catch (RocksDBException e) {
            throw storageFailed("trim", e);
        }
    }

    private void syncAll() throws BlockIoException {
        try {
            database.syncAll();
        } catch (RocksDBException e) {
            throw storageFailed("flush", e);
        } catch (IOException e) {
            throw new BlockIoException(Errno.EIO, "flush on " + volumeId + " failed: " + e.getMessage(), e);
        }
    }

    private void checkRange(long offset, long length) throws BlockIoException {
        long size = sizeBytes;
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new BlockIoException(Errno.EINVAL, "range [" + offset + ", +" + length + ") is outside the "
                    + size + " B device " + volumeId);
        }
    }

    private void ensureOpen() throws BlockIoException {
        if (closed) {
            throw new BlockIoException(Errno.ESHUTDOWN, "volume " + volumeId + " is closed");
        }
    }

    private BlockIoException damaged(long index) {
        return new BlockIoException(Errno.EIO, "block " + index + " of " + volumeId + " has a damaged record");
    }

    private BlockIoException storageFailed(String operation, RocksDBException e) {
        return new BlockIoException(Errno.EIO, operation + " on " + volumeId + " failed: " + VolumeStoreException.describe(e), e);
    }
}

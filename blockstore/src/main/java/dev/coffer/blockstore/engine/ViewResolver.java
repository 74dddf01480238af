package dev.coffer.blockstore.engine;

import dev.coffer.blockstore.device.BlockIoException;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Finds the record that decides each block of a range in a {@link View}. Each level is walked
 * backwards from the end of the range: going backwards, the first record of an index whose epoch is
 * within the level's bound is the one that decides it, so its value is fetched exactly once and the
 * older versions are skipped. Cost is proportional to the records stored in the range, never to its
 * length, which is what lets a 1 GiB trim run without touching 262,144 keys.
 */
final class ViewResolver {
    /** Receives the deciding record of a block; the iterator is positioned on it (an empty value is a tombstone). */
    @FunctionalInterface
    interface RecordVisitor {
        void visit(long blockIndex, RocksIterator record) throws BlockIoException;
    }

    private final EngineDatabase database;

    ViewResolver(EngineDatabase database) {
        this.database = database;
    }

    /**
     * Visits the deciding record of every block in {@code [first, first + count)} that has one and
     * is not yet marked in {@code decided} (bit {@code index - first}), and marks it. Blocks left
     * unmarked read as zeros.
     *
     * @param inMemoryOnly read memtables and the block cache only; a level that would need a table
     *     file stops the walk with {@link NotInMemoryException} (no block is then known to be absent)
     */
    void resolve(View view, long first, int count, long[] decided, byte[] keyBuffer, boolean inMemoryOnly,
                 RecordVisitor visitor) throws BlockIoException {
        int undecided = count;
        for (long word : decided) {
            undecided -= Long.bitCount(word);
        }
        long last = first + count - 1;
        for (int level = 0; level < view.depth() && undecided > 0; level++) {
            long spaceId = view.spaceIds()[level];
            long bound = view.epochBounds()[level];
            try (RocksIterator it = inMemoryOnly ? database.newInMemoryBlockIterator() : database.newBlockIterator()) {
                BlockKeys.write(keyBuffer, spaceId, last, bound);
                it.seekForPrev(keyBuffer);
                long settled = -1;
                while (it.isValid()) {
                    if (it.key(keyBuffer) != BlockKeys.SIZE_BYTES) {
                        throw new BlockIoException(BlockIoException.Errno.EIO, "malformed block key in space " + spaceId);
                    }
                    long index = BlockKeys.blockIndex(keyBuffer);
                    if (BlockKeys.spaceId(keyBuffer) != spaceId || index < first) {
                        break;
                    }
                    if (index != settled && BlockKeys.epoch(keyBuffer) <= bound) {
                        settled = index;
                        int bit = (int) (index - first);
                        if ((decided[bit >>> 6] & (1L << bit)) == 0) {
                            visitor.visit(index, it);
                            decided[bit >>> 6] |= 1L << bit;
                            undecided--;
                        }
                    }
                    it.prev();
                }
                it.status();
            } catch (RocksDBException e) {
                RocksDBException failure = inMemoryOnly ? EngineDatabase.rethrow(e) : e;
                throw new BlockIoException(BlockIoException.Errno.EIO, "block read failed: "
                        + VolumeStoreException.describe(failure), failure);
            }
        }
    }

    static long[] bitsFor(int count) {
        return new long[(count + 63) >>> 6];
    }

    static boolean isSet(long[] bits, int bit) {
        return (bits[bit >>> 6] & (1L << bit)) != 0;
    }
}

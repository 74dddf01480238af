package dev.coffer.blockstore.engine;

import java.util.NavigableSet;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Deletes the records of a space that no live view can see. A view at epoch {@code v} sees, for
 * each index, the record with the largest epoch at most {@code v}; so record {@code (i, e)} whose
 * next version is {@code (i, e')} (or none: {@code e' = +infinity}) is garbage iff no live view
 * lies in {@code [e, e')}. Deleting only records no view sees never changes what any view reads,
 * so the deletes may be committed in several batches (a crash between them leaves only garbage).
 */
final class GarbageCollector {
    private static final int DELETES_PER_BATCH = 10_000;

    private GarbageCollector() {
    }

    /** Returns how many records were deleted. */
    static long collect(EngineDatabase database, long spaceId, NavigableSet<Long> liveEpochs) throws RocksDBException {
        ColumnFamilyHandle blocks = database.blocks();
        byte[] current = new byte[BlockKeys.SIZE_BYTES];
        byte[] pending = new byte[BlockKeys.SIZE_BYTES];
        boolean havePending = false;
        long deleted = 0;
        WriteBatch batch = new WriteBatch();
        try (RocksIterator it = database.newScanIterator(blocks)) {
            for (it.seek(BlockKeys.spaceStart(spaceId)); it.isValid(); it.next()) {
                it.key(current);
                if (BlockKeys.spaceId(current) != spaceId) {
                    break;
                }
                if (havePending) {
                    long nextEpoch = BlockKeys.blockIndex(current) == BlockKeys.blockIndex(pending)
                            ? BlockKeys.epoch(current) : Long.MAX_VALUE;
                    if (isGarbage(BlockKeys.epoch(pending), nextEpoch, liveEpochs)) {
                        batch.delete(blocks, pending);
                        deleted++;
                        if (batch.count() >= DELETES_PER_BATCH) {
                            database.write(batch, false);
                            batch.clear();
                        }
                    }
                }
                byte[] swap = pending;
                pending = current;
                current = swap;
                havePending = true;
            }
            it.status();
            if (havePending && isGarbage(BlockKeys.epoch(pending), Long.MAX_VALUE, liveEpochs)) {
                batch.delete(blocks, pending);
                deleted++;
            }
            if (batch.count() > 0) {
                database.write(batch, false);
            }
        } finally {
            batch.close();
        }
        return deleted;
    }

    static boolean isGarbage(long epoch, long nextEpoch, NavigableSet<Long> liveEpochs) {
        Long view = liveEpochs.ceiling(epoch);
        return view == null || view >= nextEpoch;
    }
}

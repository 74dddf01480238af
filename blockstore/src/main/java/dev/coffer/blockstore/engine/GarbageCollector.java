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
 *
 * <p>Also dropped: a tombstone that hides nothing, i.e. the oldest surviving record of its index in
 * a space without a parent. Only below the space's current epoch: records of older epochs are never
 * written again, while the current epoch's may be overwritten by a writer at any moment.
 */
final class GarbageCollector {
    private static final int DELETES_PER_BATCH = 10_000;

    private GarbageCollector() {
    }

    /**
     * Returns how many records were deleted.
     *
     * @param rootSpace whether the space has no parent (so nothing shows through below its records)
     * @param mutableEpoch the epoch writers may still write ({@code Long.MAX_VALUE} if none can)
     */
    static long collect(EngineDatabase database, long spaceId, NavigableSet<Long> liveEpochs, boolean rootSpace,
                        long mutableEpoch) throws RocksDBException {
        ColumnFamilyHandle blocks = database.blocks();
        byte[] current = new byte[BlockKeys.SIZE_BYTES];
        byte[] pending = new byte[BlockKeys.SIZE_BYTES];
        byte[] probe = new byte[1];
        boolean havePending = false;
        boolean pendingIsTombstone = false;
        boolean survivorBelowPending = false;
        long deleted = 0;
        try (WriteBatch batch = new WriteBatch(); RocksIterator it = database.newScanIterator(blocks)) {
            for (it.seek(BlockKeys.spaceStart(spaceId)); ; it.next()) {
                boolean valid = it.isValid();
                if (valid) {
                    it.key(current);
                    valid = BlockKeys.spaceId(current) == spaceId;
                }
                if (havePending) {
                    boolean sameIndex = valid && BlockKeys.blockIndex(current) == BlockKeys.blockIndex(pending);
                    long epoch = BlockKeys.epoch(pending);
                    boolean drop = isGarbage(epoch, sameIndex ? BlockKeys.epoch(current) : Long.MAX_VALUE, liveEpochs)
                            || (rootSpace && pendingIsTombstone && !survivorBelowPending && epoch < mutableEpoch);
                    if (drop) {
                        batch.delete(blocks, pending);
                        deleted++;
                        if (batch.count() >= DELETES_PER_BATCH) {
                            database.write(batch, false);
                            batch.clear();
                        }
                    }
                    survivorBelowPending = sameIndex && (survivorBelowPending || !drop);
                }
                if (!valid) {
                    break;
                }
                byte[] swap = pending;
                pending = current;
                current = swap;
                pendingIsTombstone = it.value(probe) == 0;
                havePending = true;
            }
            it.status();
            if (batch.count() > 0) {
                database.write(batch, false);
            }
        }
        return deleted;
    }

    static boolean isGarbage(long epoch, long nextEpoch, NavigableSet<Long> liveEpochs) {
        Long view = liveEpochs.ceiling(epoch);
        return view == null || view >= nextEpoch;
    }
}

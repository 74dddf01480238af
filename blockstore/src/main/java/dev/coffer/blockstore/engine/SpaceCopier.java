package dev.coffer.blockstore.engine;

import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.crypto.CiphertextRejectedException;
import java.util.function.LongConsumer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Streams the blocks a view shows into a new space, opening each with the source coder and
 * re-making it with the target's (CopySnapshot). Works a chunk of blocks at a time, so memory is
 * one chunk's batch whatever the volume size; blocks the view shows as zeros stay unstored.
 */
final class SpaceCopier {
    static final int CHUNK_BLOCKS = 256;

    private final EngineDatabase database;
    private final ViewResolver resolver;

    SpaceCopier(EngineDatabase database) {
        this.database = database;
        this.resolver = new ViewResolver(database);
    }

    /** Copies blocks {@code [0, blockCount)} of {@code source} to {@code (targetSpaceId, targetEpoch)}; not synced. */
    void copy(View source, BlockCoder from, long targetSpaceId, long targetEpoch, BlockCoder to, long blockCount,
              LongConsumer progress) throws BlockIoException, RocksDBException {
        ColumnFamilyHandle blocks = database.blocks();
        byte[] resolverKey = new byte[BlockKeys.SIZE_BYTES];
        byte[] targetKey = new byte[BlockKeys.SIZE_BYTES];
        byte[] stored = new byte[from.recordSize()];
        byte[] plain = new byte[from.blockSize];
        byte[] recoded = new byte[to.recordSize()];
        long reported = -1;
        for (long first = 0; first < blockCount; first += CHUNK_BLOCKS) {
            int count = (int) Math.min(CHUNK_BLOCKS, blockCount - first);
            database.enter();
            try (WriteBatch batch = new WriteBatch()) {
                resolver.resolve(source, first, count, ViewResolver.bitsFor(count), resolverKey, false, (index, record) -> {
                    int size = record.value(stored);
                    if (size == 0) {
                        return;
                    }
                    if (size != stored.length) {
                        throw new BlockIoException(BlockIoException.Errno.EIO, "block " + index + " has a damaged record");
                    }
                    try {
                        from.decode(index, stored, plain, 0);
                    } catch (CiphertextRejectedException e) {
                        throw new BlockIoException(BlockIoException.Errno.EIO, "block " + index + " failed authentication", e);
                    }
                    to.encode(index, plain, 0, recoded);
                    BlockKeys.write(targetKey, targetSpaceId, index, targetEpoch);
                    try {
                        batch.put(blocks, targetKey, recoded);
                    } catch (RocksDBException e) {
                        throw new BlockIoException(BlockIoException.Errno.EIO, "copy batch failed", e);
                    }
                });
                if (batch.count() > 0) {
                    database.write(batch, false);
                }
            } finally {
                database.exit();
            }
            long percent = Math.min(99, (first + count) * 100 / blockCount);
            if (percent != reported) {
                progress.accept(percent);
                reported = percent;
            }
        }
    }
}

package dev.coffer.blockstore.engine;

import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.crypto.CiphertextRejectedException;
import java.io.IOException;
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
              LongConsumer progress) throws BlockIoException, RocksDBException, IOException {
        ColumnFamilyHandle blocks = database.blocks();
        byte[] resolverKey = new byte[BlockKeys.SIZE_BYTES];
        byte[] targetKey = new byte[BlockKeys.SIZE_BYTES];
        byte[] pointer = new byte[LogPointer.SIZE_BYTES];
        int sourceSize = from.recordSize();
        byte[] stored = new byte[LogRecord.HEADER_BYTES + sourceSize];
        byte[] plain = new byte[from.blockSize];
        int targetSize = to.recordSize();
        int recordLength = LogRecord.HEADER_BYTES + targetSize;
        byte[] records = new byte[CHUNK_BLOCKS * recordLength];
        long[] indexes = new long[CHUNK_BLOCKS];
        long reported = -1;
        for (long first = 0; first < blockCount; first += CHUNK_BLOCKS) {
            int count = (int) Math.min(CHUNK_BLOCKS, blockCount - first);
            int[] made = {0};
            database.enter();
            try (WriteBatch batch = new WriteBatch()) {
                resolver.resolve(source, first, count, ViewResolver.bitsFor(count), resolverKey, false, (index, record) -> {
                    int size = record.value(stored, LogRecord.HEADER_BYTES, sourceSize);
                    if (size == 0) {
                        return;
                    }
                    try {
                        if (LogPointer.is(stored, LogRecord.HEADER_BYTES, size)) {
                            if (!database.readLogged(stored, LogRecord.HEADER_BYTES, resolverKey, stored, sourceSize, false)) {
                                throw new BlockIoException(BlockIoException.Errno.EIO, "block " + index + " has a damaged record");
                            }
                        } else if (size != sourceSize) {
                            throw new BlockIoException(BlockIoException.Errno.EIO, "block " + index + " has a damaged record");
                        }
                        from.decode(index, stored, LogRecord.HEADER_BYTES, plain, 0);
                    } catch (CiphertextRejectedException e) {
                        throw new BlockIoException(BlockIoException.Errno.EIO, "block " + index + " failed authentication", e);
                    } catch (IOException e) {
                        throw new BlockIoException(BlockIoException.Errno.EIO, "block " + index + " could not be read: "
                                + e.getMessage(), e);
                    }
                    int k = made[0]++;
                    indexes[k] = index;
                    to.encode(index, plain, 0, records, k * recordLength + LogRecord.HEADER_BYTES);
                    BlockKeys.write(targetKey, targetSpaceId, index, targetEpoch);
                    LogRecord.seal(records, k * recordLength, targetKey, targetSize);
                });
                if (made[0] > 0) {
                    long position = database.log().append(records, 0, made[0] * recordLength);
                    for (int k = 0; k < made[0]; k++) {
                        BlockKeys.write(targetKey, targetSpaceId, indexes[k], targetEpoch);
                        LogPointer.write(pointer, position + (long) k * recordLength, recordLength);
                        batch.put(blocks, targetKey, pointer);
                    }
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

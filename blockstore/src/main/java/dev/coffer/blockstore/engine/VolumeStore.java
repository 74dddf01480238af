package dev.coffer.blockstore.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The volume engine: volumes and snapshots of fixed-size blocks in one RocksDB database under a
 * directory. Thin provisioned (a block never written, trimmed or zeroed is not stored and reads as
 * zeros); snapshots are incremental, O(1) to take and point-in-time consistent while the volume is
 * being written; a volume created from a snapshot shares the snapshot's blocks and is usable at once;
 * deleting a volume or snapshot frees only blocks nothing else references. Ids are the caller's
 * ({@code vol-...}, {@code snap-...}). Thread-safe; every method may block on disk.
 *
 * <p>SKELETON: the signatures are the contract the control plane builds against; the engine work
 * replaces the bodies.
 */
public final class VolumeStore implements AutoCloseable {
    private VolumeStore() {
    }

    /** Opens (creating if needed) the store in {@code directory}. */
    public static VolumeStore open(Path directory) throws IOException {
        throw new UnsupportedOperationException("volume engine not built yet");
    }

    /**
     * Creates an empty volume.
     *
     * @param bindingId empty for a plaintext volume; else the binding id its blocks are sealed under
     */
    public void createVolume(String volumeId, long sizeBytes, int blockSize, Optional<String> bindingId) {
        throw new UnsupportedOperationException();
    }

    /** Creates a volume that shares {@code snapshotId}'s blocks and codec; {@code sizeBytes} is at least the snapshot's. */
    public void createVolumeFromSnapshot(String volumeId, String snapshotId, long sizeBytes) {
        throw new UnsupportedOperationException();
    }

    /** Grows a volume; the new range reads as zeros. */
    public void resizeVolume(String volumeId, long sizeBytes) {
        throw new UnsupportedOperationException();
    }

    /** Deletes a volume (it must not be open); its snapshots and the volumes made from them stay readable. */
    public void deleteVolume(String volumeId) {
        throw new UnsupportedOperationException();
    }

    /** Opens a volume for I/O with its codec; close the device to flush and release it. */
    public VolumeDevice open(String volumeId, BlockCodec codec) {
        throw new UnsupportedOperationException();
    }

    /** Takes a point-in-time snapshot of a volume (open or not), in O(1). */
    public void createSnapshot(String volumeId, String snapshotId) {
        throw new UnsupportedOperationException();
    }

    /**
     * Copies a snapshot into a new snapshot, re-coding every stored block (plaintext to sealed, key A
     * to key B); blocks never written stay unstored. Blocking; {@code progress} receives the
     * percentage done (0-100) as it advances. On failure nothing of the target remains.
     */
    public void copySnapshot(String sourceSnapshotId, BlockCodec source, String targetSnapshotId,
                             Optional<String> targetBindingId, BlockCodec target, LongConsumer progress) {
        throw new UnsupportedOperationException();
    }

    /** As {@link #copySnapshot}, into a new volume of {@code sizeBytes} (at least the snapshot's). */
    public void copySnapshotToVolume(String sourceSnapshotId, BlockCodec source, String volumeId, long sizeBytes,
                                     Optional<String> bindingId, BlockCodec target, LongConsumer progress) {
        throw new UnsupportedOperationException();
    }

    /** Deletes a snapshot; volumes made from it stay readable. */
    public void deleteSnapshot(String snapshotId) {
        throw new UnsupportedOperationException();
    }

    /** The binding id a volume's or snapshot's blocks are sealed under; empty for plaintext; throws if unknown. */
    public Optional<String> bindingId(String volumeOrSnapshotId) {
        throw new UnsupportedOperationException();
    }

    /** The size in bytes of a volume or snapshot. */
    public long sizeBytes(String volumeOrSnapshotId) {
        throw new UnsupportedOperationException();
    }

    /** How many block records are stored in all (tests and metrics: thin provisioning, sharing, freeing). */
    public long storedBlockCount() {
        throw new UnsupportedOperationException();
    }

    /** The control plane's durable records, in the same database. */
    public RecordTable records() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}

package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.engine.BlockCodec;
import dev.coffer.blockstore.engine.RecordTable;
import dev.coffer.blockstore.engine.VolumeDevice;
import dev.coffer.blockstore.engine.VolumeStore;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;

/** The real engine behind the control plane. */
final class VolumeStoreEngine implements VolumeEngine {
    private final VolumeStore store;

    VolumeStoreEngine(VolumeStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void createVolume(String volumeId, long sizeBytes, int blockSize, Optional<String> bindingId) {
        store.createVolume(volumeId, sizeBytes, blockSize, bindingId);
    }

    @Override
    public void createVolumeFromSnapshot(String volumeId, String snapshotId, long sizeBytes) {
        store.createVolumeFromSnapshot(volumeId, snapshotId, sizeBytes);
    }

    @Override
    public void resizeVolume(String volumeId, long sizeBytes) {
        store.resizeVolume(volumeId, sizeBytes);
    }

    @Override
    public void deleteVolume(String volumeId) {
        store.deleteVolume(volumeId);
    }

    @Override
    public VolumeDevice open(String volumeId, BlockCodec codec) {
        return store.open(volumeId, codec);
    }

    @Override
    public void createSnapshot(String volumeId, String snapshotId) {
        store.createSnapshot(volumeId, snapshotId);
    }

    @Override
    public void copySnapshot(String sourceSnapshotId, BlockCodec source, String targetSnapshotId,
                             Optional<String> targetBindingId, BlockCodec target, LongConsumer progress) {
        store.copySnapshot(sourceSnapshotId, source, targetSnapshotId, targetBindingId, target, progress);
    }

    @Override
    public void copySnapshotToVolume(String sourceSnapshotId, BlockCodec source, String volumeId, long sizeBytes,
                                     Optional<String> bindingId, BlockCodec target, LongConsumer progress) {
        store.copySnapshotToVolume(sourceSnapshotId, source, volumeId, sizeBytes, bindingId, target, progress);
    }

    @Override
    public void deleteSnapshot(String snapshotId) {
        store.deleteSnapshot(snapshotId);
    }

    @Override
    public boolean exists(String volumeOrSnapshotId) {
        try {
            store.sizeBytes(volumeOrSnapshotId);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public RecordTable records() {
        return store.records();
    }
}

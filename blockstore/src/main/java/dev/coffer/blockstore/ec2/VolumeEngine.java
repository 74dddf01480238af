package dev.coffer.blockstore.ec2;

import dev.coffer.blockstore.engine.BlockCodec;
import dev.coffer.blockstore.engine.RecordTable;
import dev.coffer.blockstore.engine.VolumeDevice;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * What the control plane needs of the volume engine: exactly {@code engine.VolumeStore}'s contract,
 * as an interface, so that the control plane's tests can run on a small in-memory engine as well
 * as on the real one ({@link VolumeStoreEngine}). Semantics are VolumeStore's.
 */
interface VolumeEngine {
    void createVolume(String volumeId, long sizeBytes, int blockSize, Optional<String> bindingId);

    void createVolumeFromSnapshot(String volumeId, String snapshotId, long sizeBytes);

    void resizeVolume(String volumeId, long sizeBytes);

    void deleteVolume(String volumeId);

    VolumeDevice open(String volumeId, BlockCodec codec);

    void createSnapshot(String volumeId, String snapshotId);

    void copySnapshot(String sourceSnapshotId, BlockCodec source, String targetSnapshotId,
                      Optional<String> targetBindingId, BlockCodec target, LongConsumer progress);

    void copySnapshotToVolume(String sourceSnapshotId, BlockCodec source, String volumeId, long sizeBytes,
                              Optional<String> bindingId, BlockCodec target, LongConsumer progress);

    void deleteSnapshot(String snapshotId);

    /** Whether the engine has this volume or snapshot (recovery after a restart). */
    boolean exists(String volumeOrSnapshotId);

    RecordTable records();
}

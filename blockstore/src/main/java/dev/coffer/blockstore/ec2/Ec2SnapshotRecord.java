package dev.coffer.blockstore.ec2;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot as the control plane stores it (record format {@value #VERSION}, under
 * {@code ec2/snapshot/<id>}). Keys as {@link Ec2VolumeRecord}: a snapshot of an encrypted volume
 * shares the volume's key, data key and binding; a copy has its own data key and binding (its id).
 *
 * @param state {@code pending}, {@code completed} or {@code error}
 * @param progress percent done
 * @param sourceSnapshotId for a CopySnapshot copy, the snapshot it copies; else null
 */
public record Ec2SnapshotRecord(int version, String snapshotId, String ownerId, String volumeId, int volumeSizeGiB,
                                String description, String state, int progress, Instant startTime,
                                Instant completionTime, String statusMessage, boolean encrypted, String kmsKeyArn,
                                byte[] encryptedDataKey, String dataKeyId, String bindingId, List<Ec2Tag> tags,
                                String sourceSnapshotId, int blockSizeBytes) {
    public static final int VERSION = 1;

    public Ec2SnapshotRecord {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(state, "state");
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (encrypted && (kmsKeyArn == null || encryptedDataKey == null || bindingId == null)) {
            throw new IllegalArgumentException("an encrypted snapshot needs its key ARN, encrypted data key and binding id");
        }
    }

    Ec2SnapshotRecord withProgress(String newState, int newProgress, Instant newCompletionTime, String newStatusMessage) {
        return new Ec2SnapshotRecord(version, snapshotId, ownerId, volumeId, volumeSizeGiB, description, newState,
                newProgress, startTime, newCompletionTime, newStatusMessage, encrypted, kmsKeyArn, encryptedDataKey,
                dataKeyId, bindingId, tags, sourceSnapshotId, blockSizeBytes);
    }

    Ec2SnapshotRecord withTags(List<Ec2Tag> newTags) {
        return new Ec2SnapshotRecord(version, snapshotId, ownerId, volumeId, volumeSizeGiB, description, state, progress,
                startTime, completionTime, statusMessage, encrypted, kmsKeyArn, encryptedDataKey, dataKeyId, bindingId,
                newTags, sourceSnapshotId, blockSizeBytes);
    }

    /** Never shows the encrypted data key. */
    @Override
    public String toString() {
        return "Ec2SnapshotRecord[" + snapshotId + " " + state + " " + progress + "% of " + volumeId
                + " encrypted=" + encrypted + (encrypted ? " key=" + kmsKeyArn + " binding=" + bindingId : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ec2SnapshotRecord r && r.identity().equals(identity())
                && java.util.Arrays.equals(r.encryptedDataKey, encryptedDataKey);
    }

    @Override
    public int hashCode() {
        return snapshotId.hashCode();
    }

    private List<Object> identity() {
        return java.util.Arrays.asList(version, snapshotId, ownerId, volumeId, volumeSizeGiB, description, state, progress,
                startTime, completionTime, statusMessage, encrypted, kmsKeyArn, dataKeyId, bindingId, tags, sourceSnapshotId, blockSizeBytes);
    }
}

package dev.coffer.blockstore.ec2;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A volume as the control plane stores it (record format {@value #VERSION}: JSON in the volume
 * store's record table under {@code ec2/volume/<id>}). An encrypted volume keeps its key's ARN, its
 * data key only as the KMS encrypted it (under the encryption context {@code {"aws:ebs:id":
 * bindingId}}), and the binding id its blocks are sealed under; never a plaintext key.
 *
 * @param state {@code creating}, {@code available}, {@code in-use}, {@code deleting} or {@code error}
 * @param snapshotId the snapshot it was made from, or null
 * @param copying whether it is being made by re-coding a snapshot's blocks (creating until done)
 * @param attachment null unless attached (or attaching, detaching)
 * @param blockSizeBytes the engine block size it was created with
 */
public record Ec2VolumeRecord(int version, String volumeId, String ownerId, int sizeGiB, String volumeType,
                              Integer iops, Integer throughput, String availabilityZone, String snapshotId,
                              String state, Instant createTime, boolean encrypted, String kmsKeyArn,
                              byte[] encryptedDataKey, String dataKeyId, String bindingId, List<Ec2Tag> tags,
                              Ec2Attachment attachment, boolean copying, int blockSizeBytes) {
    public static final int VERSION = 1;

    public Ec2VolumeRecord {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(state, "state");
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (encrypted && (kmsKeyArn == null || encryptedDataKey == null || bindingId == null)) {
            throw new IllegalArgumentException("an encrypted volume needs its key ARN, encrypted data key and binding id");
        }
    }

    Ec2VolumeRecord withState(String newState) {
        return new Ec2VolumeRecord(version, volumeId, ownerId, sizeGiB, volumeType, iops, throughput, availabilityZone,
                snapshotId, newState, createTime, encrypted, kmsKeyArn, encryptedDataKey, dataKeyId, bindingId, tags,
                attachment, copying, blockSizeBytes);
    }

    Ec2VolumeRecord withCopyDone(String newState) {
        return new Ec2VolumeRecord(version, volumeId, ownerId, sizeGiB, volumeType, iops, throughput, availabilityZone,
                snapshotId, newState, createTime, encrypted, kmsKeyArn, encryptedDataKey, dataKeyId, bindingId, tags,
                attachment, false, blockSizeBytes);
    }

    Ec2VolumeRecord withAttachment(String newState, Ec2Attachment newAttachment) {
        return new Ec2VolumeRecord(version, volumeId, ownerId, sizeGiB, volumeType, iops, throughput, availabilityZone,
                snapshotId, newState, createTime, encrypted, kmsKeyArn, encryptedDataKey, dataKeyId, bindingId, tags,
                newAttachment, copying, blockSizeBytes);
    }

    Ec2VolumeRecord withTags(List<Ec2Tag> newTags) {
        return new Ec2VolumeRecord(version, volumeId, ownerId, sizeGiB, volumeType, iops, throughput, availabilityZone,
                snapshotId, state, createTime, encrypted, kmsKeyArn, encryptedDataKey, dataKeyId, bindingId, newTags,
                attachment, copying, blockSizeBytes);
    }

    Ec2VolumeRecord withModification(int newSizeGiB, String newType, Integer newIops, Integer newThroughput) {
        return new Ec2VolumeRecord(version, volumeId, ownerId, newSizeGiB, newType, newIops, newThroughput,
                availabilityZone, snapshotId, state, createTime, encrypted, kmsKeyArn, encryptedDataKey, dataKeyId,
                bindingId, tags, attachment, copying, blockSizeBytes);
    }

    /** Never shows the encrypted data key. */
    @Override
    public String toString() {
        return "Ec2VolumeRecord[" + volumeId + " " + state + " " + sizeGiB + "GiB encrypted=" + encrypted
                + (encrypted ? " key=" + kmsKeyArn + " binding=" + bindingId : "")
                + (attachment == null ? "" : " attachment=" + attachment.instanceId() + "/" + attachment.state()) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ec2VolumeRecord r && r.toJsonIdentity().equals(toJsonIdentity())
                && java.util.Arrays.equals(r.encryptedDataKey, encryptedDataKey);
    }

    @Override
    public int hashCode() {
        return volumeId.hashCode();
    }

    private List<Object> toJsonIdentity() {
        return java.util.Arrays.asList(version, volumeId, ownerId, sizeGiB, volumeType, iops, throughput, availabilityZone,
                snapshotId, state, createTime, encrypted, kmsKeyArn, dataKeyId, bindingId, tags, attachment, copying, blockSizeBytes);
    }
}

package dev.coffer.blockstore.engine;

import java.nio.ByteBuffer;

/** A snapshot as stored: a pinned view. Version 1: {@code 0x01 | spaceId u64 | epoch u64 | sizeBytes u64}. */
record SnapshotRecord(String snapshotId, long spaceId, long epoch, long sizeBytes) {
    static final int VERSION = 1;

    byte[] encode() {
        return ByteBuffer.allocate(25).put((byte) VERSION).putLong(spaceId).putLong(epoch).putLong(sizeBytes).array();
    }

    static SnapshotRecord decode(String snapshotId, byte[] value) {
        if (value.length != 25 || (value[0] & 0xff) != VERSION) {
            throw new VolumeStoreException("snapshot " + snapshotId + ": unsupported or damaged metadata");
        }
        ByteBuffer in = ByteBuffer.wrap(value, 1, 24);
        return new SnapshotRecord(snapshotId, in.getLong(), in.getLong(), in.getLong());
    }
}

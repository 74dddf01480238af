package dev.coffer.blockstore.engine;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/** A volume as stored. Version 1: {@code 0x01 | spaceId u64 | sizeBytes u64}; its head is its space's current epoch. */
record VolumeRecord(String volumeId, long spaceId, long sizeBytes) {
    static final int VERSION = 1;

    VolumeRecord withSize(long newSizeBytes) {
        return new VolumeRecord(volumeId, spaceId, newSizeBytes);
    }

    byte[] encode() {
        return ByteBuffer.allocate(17).put((byte) VERSION).putLong(spaceId).putLong(sizeBytes).array();
    }

    static VolumeRecord decode(String volumeId, byte[] value) {
        if (value.length != 17 || (value[0] & 0xff) != VERSION) {
            throw new VolumeStoreException("volume " + volumeId + ": unsupported or damaged metadata");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(value, 1, 16);
            return new VolumeRecord(volumeId, in.getLong(), in.getLong());
        } catch (BufferUnderflowException e) {
            throw new VolumeStoreException("volume " + volumeId + ": truncated metadata", e);
        }
    }
}

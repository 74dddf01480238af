package dev.coffer.blockstore.engine;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A space as stored: the blocks of one lineage segment (a volume's own writes, or a copy). Version 1:
 * {@code 0x01 | blockSize u32 | epoch u64 | parentSpaceId u64 (0 = none) | parentEpoch u64 |
 * bindingIdLength u16 (0 = plaintext) | bindingId UTF-8}.
 */
record SpaceRecord(long spaceId, int blockSize, long epoch, long parentSpaceId, long parentEpoch,
                   Optional<String> bindingId) {
    static final int VERSION = 1;

    boolean hasParent() {
        return parentSpaceId != 0;
    }

    SpaceRecord withEpoch(long newEpoch) {
        return new SpaceRecord(spaceId, blockSize, newEpoch, parentSpaceId, parentEpoch, bindingId);
    }

    byte[] encode() {
        byte[] binding = bindingId.map(b -> b.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        return ByteBuffer.allocate(1 + 4 + 8 + 8 + 8 + 2 + binding.length)
                .put((byte) VERSION).putInt(blockSize).putLong(epoch).putLong(parentSpaceId).putLong(parentEpoch)
                .putShort((short) binding.length).put(binding).array();
    }

    static SpaceRecord decode(long spaceId, byte[] value) {
        try {
            ByteBuffer in = ByteBuffer.wrap(value);
            int version = in.get() & 0xff;
            if (version != VERSION) {
                throw new VolumeStoreException("space " + spaceId + ": unsupported metadata version " + version);
            }
            int blockSize = in.getInt();
            long epoch = in.getLong();
            long parentSpaceId = in.getLong();
            long parentEpoch = in.getLong();
            byte[] binding = new byte[in.getShort() & 0xffff];
            in.get(binding);
            if (in.hasRemaining()) {
                throw new VolumeStoreException("space " + spaceId + ": trailing bytes in metadata");
            }
            return new SpaceRecord(spaceId, blockSize, epoch, parentSpaceId, parentEpoch,
                    binding.length == 0 ? Optional.empty() : Optional.of(new String(binding, StandardCharsets.UTF_8)));
        } catch (BufferUnderflowException e) {
            throw new VolumeStoreException("space " + spaceId + ": truncated metadata", e);
        }
    }
}

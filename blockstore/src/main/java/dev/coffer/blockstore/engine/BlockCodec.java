package dev.coffer.blockstore.engine;

import dev.coffer.crypto.block.VolumeBlockCipher;
import java.util.Objects;

/**
 * How a space's blocks are stored: as plaintext (an unencrypted volume, as EBS stores it), or sealed
 * with block seal format v1 under a volume data key and a binding id (docs/formats/block-seal-v1.md).
 * The engine refuses to open a space with a codec of the other kind or another binding id.
 */
public sealed interface BlockCodec {
    /** Plaintext blocks: an unencrypted volume or snapshot. */
    record Plaintext() implements BlockCodec {}

    /**
     * Sealed blocks.
     *
     * @param bindingId the id every block is bound to (the lineage's {@code aws:ebs:id}); must equal
     *     the one {@code cipher} was made with
     */
    record Sealed(VolumeBlockCipher cipher, String bindingId) implements BlockCodec {
        public Sealed {
            Objects.requireNonNull(cipher, "cipher");
            Objects.requireNonNull(bindingId, "bindingId");
        }
    }

    static BlockCodec plaintext() {
        return new Plaintext();
    }
}

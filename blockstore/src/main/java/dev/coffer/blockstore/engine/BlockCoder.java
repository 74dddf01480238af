package dev.coffer.blockstore.engine;

import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.block.VolumeBlockCipher;

/** How one space's block records are made from plaintext and back: the working half of a {@link BlockCodec}. */
abstract sealed class BlockCoder {
    final int blockSize;

    private BlockCoder(int blockSize) {
        this.blockSize = blockSize;
    }

    /**
     * The coder for a space, after checking the codec fits it.
     *
     * @throws IllegalArgumentException if the codec is of the other kind, has another binding id or block size
     */
    static BlockCoder forSpace(BlockCodec codec, Space space, String what) {
        return switch (codec) {
            case BlockCodec.Plaintext p -> {
                if (space.bindingId.isPresent()) {
                    throw new IllegalArgumentException(what + " is encrypted; a plaintext codec cannot open it");
                }
                yield new Plain(space.blockSize);
            }
            case BlockCodec.Sealed s -> {
                if (space.bindingId.isEmpty()) {
                    throw new IllegalArgumentException(what + " is not encrypted; a sealed codec cannot open it");
                }
                if (!space.bindingId.get().equals(s.bindingId())) {
                    throw new IllegalArgumentException(what + " is bound to another binding id than the codec's");
                }
                if (s.cipher().blockSizeBytes() != space.blockSize) {
                    throw new IllegalArgumentException(what + " has " + space.blockSize + " B blocks, the cipher "
                            + s.cipher().blockSizeBytes() + " B");
                }
                yield new Sealed(s.cipher());
            }
        };
    }

    /** Bytes of one stored (non-tombstone) record. */
    abstract int recordSize();

    abstract boolean isPlaintext();

    /** Makes the record of {@code plaintext[offset, +blockSize)} into {@code record[recordOffset, +recordSize())}. */
    abstract void encode(long blockIndex, byte[] plaintext, int offset, byte[] record, int recordOffset);

    /** Opens the record at {@code record[recordOffset, +recordSize())} into {@code plaintext[offset, +blockSize)}; nothing is written there if it fails. */
    abstract void decode(long blockIndex, byte[] record, int recordOffset, byte[] plaintext, int offset)
            throws CiphertextRejectedException;

    static final class Plain extends BlockCoder {
        Plain(int blockSize) {
            super(blockSize);
        }

        @Override
        int recordSize() {
            return blockSize;
        }

        @Override
        boolean isPlaintext() {
            return true;
        }

        @Override
        void encode(long blockIndex, byte[] plaintext, int offset, byte[] record, int recordOffset) {
            System.arraycopy(plaintext, offset, record, recordOffset, blockSize);
        }

        @Override
        void decode(long blockIndex, byte[] record, int recordOffset, byte[] plaintext, int offset) {
            System.arraycopy(record, recordOffset, plaintext, offset, blockSize);
        }
    }

    static final class Sealed extends BlockCoder {
        private final VolumeBlockCipher cipher;

        Sealed(VolumeBlockCipher cipher) {
            super(cipher.blockSizeBytes());
            this.cipher = cipher;
        }

        @Override
        int recordSize() {
            return cipher.sealedSizeBytes();
        }

        @Override
        boolean isPlaintext() {
            return false;
        }

        @Override
        void encode(long blockIndex, byte[] plaintext, int offset, byte[] record, int recordOffset) {
            cipher.seal(blockIndex, plaintext, offset, record, recordOffset);
        }

        @Override
        void decode(long blockIndex, byte[] record, int recordOffset, byte[] plaintext, int offset)
                throws CiphertextRejectedException {
            cipher.open(blockIndex, record, recordOffset, plaintext, offset);
        }
    }
}

package dev.coffer.crypto.block;

/**
 * Validated parameters of a sealed volume: the plaintext size of every block.
 *
 * @param blockSizeBytes a power of two from {@value #MIN_BLOCK_SIZE_BYTES} to {@value #MAX_BLOCK_SIZE_BYTES}
 */
public record BlockSealParameters(int blockSizeBytes) {
    public static final int MIN_BLOCK_SIZE_BYTES = 512;
    public static final int MAX_BLOCK_SIZE_BYTES = 64 * 1024;
    public static final int DEFAULT_BLOCK_SIZE_BYTES = 4096;

    public BlockSealParameters {
        if (blockSizeBytes < MIN_BLOCK_SIZE_BYTES || blockSizeBytes > MAX_BLOCK_SIZE_BYTES
                || Integer.bitCount(blockSizeBytes) != 1) {
            throw new IllegalArgumentException("blockSizeBytes must be a power of two from " + MIN_BLOCK_SIZE_BYTES
                    + " to " + MAX_BLOCK_SIZE_BYTES + ", got " + blockSizeBytes);
        }
    }

    /** 4 KiB blocks. */
    public static BlockSealParameters defaults() {
        return new BlockSealParameters(DEFAULT_BLOCK_SIZE_BYTES);
    }

    /** Bytes one sealed block takes in storage. */
    public int sealedSizeBytes() {
        return BlockSealV1.sealedSize(blockSizeBytes);
    }
}

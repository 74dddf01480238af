package dev.coffer.s3.engine;

/**
 * Settings of the embedded engine, validated once. {@code inlineThresholdBytes}: data up to this
 * size is kept in RocksDB with its record (one group-committed WAL sync, no file fsync); larger
 * data goes to its own file. It is also the most a writer buffers in memory.
 */
public record EngineOptions(int inlineThresholdBytes) {
    public static final int DEFAULT_INLINE_THRESHOLD_BYTES = 128 * 1024;
    /** RocksDB handles values of a few hundred KiB well; beyond that files are the better home. */
    public static final int MAX_INLINE_THRESHOLD_BYTES = 4 * 1024 * 1024;

    public EngineOptions {
        if (inlineThresholdBytes < 0 || inlineThresholdBytes > MAX_INLINE_THRESHOLD_BYTES) {
            throw new IllegalArgumentException("coffer.s3.engine.inline-threshold-bytes must be between 0 and "
                    + MAX_INLINE_THRESHOLD_BYTES + ", was " + inlineThresholdBytes);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(DEFAULT_INLINE_THRESHOLD_BYTES);
    }
}

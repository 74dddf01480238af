package dev.coffer.blockstore.engine;

/**
 * The volume engine's settings, validated once.
 *
 * @param blockCacheSizeBytes RocksDB's block cache, shared by every volume of the store. It caches
 *     the block table (about 40 bytes per stored 4 KiB block: the default covers the pointers of
 *     ~12 GiB of written blocks; the blocks are in the page cache). Small reads at queue depth 1 are
 *     answered on the NBD event loop only when their pointers are in memory (a memtable or this
 *     cache) and their records in the page cache (docs/VOLUMES.md, "Memory"); size it with
 *     {@code coffer serve --block-cache-size} (docs/CONFIGURATION.md)
 * @param logSegmentBytes the size past which the block log starts a new segment file; the cleaner
 *     reclaims space a segment at a time (small segments are for tests)
 */
public record VolumeStoreConfig(long blockCacheSizeBytes, long logSegmentBytes) {
    public static final long DEFAULT_BLOCK_CACHE_SIZE_BYTES = 128L << 20;
    /** The block log starts a new segment file past this size; the cleaner reclaims whole segments. */
    public static final long DEFAULT_LOG_SEGMENT_BYTES = 256L << 20;
    /** Offsets in a log pointer are 32 bits; a segment may overrun its target by one append (about 1 MiB). */
    static final long MAX_LOG_SEGMENT_BYTES = 1L << 30;
    /** One 16 KiB table block per cache shard at least; RocksDB would accept less and cache nothing useful. */
    public static final long MIN_BLOCK_CACHE_SIZE_BYTES = 1L << 20;

    public VolumeStoreConfig {
        if (blockCacheSizeBytes < MIN_BLOCK_CACHE_SIZE_BYTES) {
            throw new IllegalArgumentException("blockCacheSizeBytes must be at least "
                    + MIN_BLOCK_CACHE_SIZE_BYTES + ", was " + blockCacheSizeBytes);
        }
        if (logSegmentBytes < 1 || logSegmentBytes > MAX_LOG_SEGMENT_BYTES) {
            throw new IllegalArgumentException("logSegmentBytes must be in [1, " + MAX_LOG_SEGMENT_BYTES + "], was "
                    + logSegmentBytes);
        }
    }

    /** The given block cache with the default log segment size. */
    public VolumeStoreConfig(long blockCacheSizeBytes) {
        this(blockCacheSizeBytes, DEFAULT_LOG_SEGMENT_BYTES);
    }

    public static VolumeStoreConfig defaults() {
        return new VolumeStoreConfig(DEFAULT_BLOCK_CACHE_SIZE_BYTES, DEFAULT_LOG_SEGMENT_BYTES);
    }
}

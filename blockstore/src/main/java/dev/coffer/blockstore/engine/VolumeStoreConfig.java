package dev.coffer.blockstore.engine;

/**
 * The volume engine's settings, validated once.
 *
 * @param blockCacheSizeBytes RocksDB's block cache, shared by every volume of the store. Small reads
 *     at queue depth 1 are answered on the NBD event loop only when their blocks are in memory (a
 *     memtable or this cache), and a cache hit also spares a worker's read the table file read; so
 *     a cache that holds the attached volumes' hot set roughly doubles QD1 4 KiB reads
 *     (docs/PERFORMANCE.md). The default stays 128 MiB: the cache comes on top of the page cache,
 *     which holds the same table files, and the hot set is the deployment's to size with
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

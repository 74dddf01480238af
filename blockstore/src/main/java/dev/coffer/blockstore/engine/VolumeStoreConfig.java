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
 */
public record VolumeStoreConfig(long blockCacheSizeBytes) {
    public static final long DEFAULT_BLOCK_CACHE_SIZE_BYTES = 128L << 20;
    /** One 16 KiB table block per cache shard at least; RocksDB would accept less and cache nothing useful. */
    public static final long MIN_BLOCK_CACHE_SIZE_BYTES = 1L << 20;

    public VolumeStoreConfig {
        if (blockCacheSizeBytes < MIN_BLOCK_CACHE_SIZE_BYTES) {
            throw new IllegalArgumentException("blockCacheSizeBytes must be at least "
                    + MIN_BLOCK_CACHE_SIZE_BYTES + ", was " + blockCacheSizeBytes);
        }
    }

    public static VolumeStoreConfig defaults() {
        return new VolumeStoreConfig(DEFAULT_BLOCK_CACHE_SIZE_BYTES);
    }
}

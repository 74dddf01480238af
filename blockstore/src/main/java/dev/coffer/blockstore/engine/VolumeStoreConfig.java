package dev.coffer.blockstore.engine;

/**
 * The volume engine's settings, validated once.
 *
 * @param blockCacheSizeBytes {@code coffer.blockstore.blockCacheSizeBytes}: RocksDB's block cache,
 *     shared by every volume of the store. Small reads are answered on the NBD event loop only when
 *     their blocks are in memory (a memtable or this cache), so a cache that holds the volumes' hot
 *     set saves each of those reads two thread hand-offs; it comes on top of the page cache, which
 *     holds the same table files
 */
public record VolumeStoreConfig(long blockCacheSizeBytes) {
    public static final long DEFAULT_BLOCK_CACHE_SIZE_BYTES = 128L << 20;
    /** One 16 KiB table block per cache shard at least; RocksDB would accept less and cache nothing useful. */
    static final long MIN_BLOCK_CACHE_SIZE_BYTES = 1L << 20;

    public VolumeStoreConfig {
        if (blockCacheSizeBytes < MIN_BLOCK_CACHE_SIZE_BYTES) {
            throw new IllegalArgumentException("coffer.blockstore.blockCacheSizeBytes must be at least "
                    + MIN_BLOCK_CACHE_SIZE_BYTES + ", was " + blockCacheSizeBytes);
        }
    }

    public static VolumeStoreConfig defaults() {
        return new VolumeStoreConfig(DEFAULT_BLOCK_CACHE_SIZE_BYTES);
    }
}

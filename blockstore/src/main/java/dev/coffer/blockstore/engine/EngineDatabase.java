package dev.coffer.blockstore.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Holder;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.ReadTier;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The engine's storage: the RocksDB database with the column families {@code blocks}, {@code meta}
 * and {@code records}, and the {@link BlockLog} the {@code blocks} family points into
 * (volume-engine-v2.md), with every native object owned here and closed once.
 *
 * <p>The {@code blocks} family holds 13-byte log pointers (and, in stores upgraded from version 1,
 * 4 KiB inline values): no compression (pointers and ciphertext do not compress), 16 KiB table
 * blocks, whole-key bloom filters in tables and memtables (small reads first try a point lookup at
 * the current epoch, which the filters make cheap when it misses), and the WAL always on. The
 * write buffers (six of 64 MiB, eight background jobs) were sized for version 1's inline 4 KiB
 * values, where smaller ones stalled sequential writes; with pointers they fill about a hundred
 * times slower and cost memory only as they fill.
 */
final class EngineDatabase implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    static final String BLOCKS = "blocks";
    static final String META = "meta";
    static final String RECORDS = "records";

    private final RocksDB db;
    private final BlockLog log;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> columnOptions;
    private final LRUCache blockCache;
    private final BloomFilter bloomFilter;
    private final List<ColumnFamilyHandle> handles;
    private final WriteOptions unsynced = new WriteOptions();
    private final WriteOptions synced = new WriteOptions().setSync(true);
    private final ReadOptions reads = new ReadOptions();
    private final ReadOptions scans = new ReadOptions().setFillCache(false);
    /** Memtables and block cache only: RocksDB answers Incomplete instead of reading a table file. */
    private final ReadOptions inMemory = new ReadOptions().setReadTier(ReadTier.BLOCK_CACHE_TIER);
    /** Calls that run outside the store's monitor hold the read side, so closing never frees native objects under them. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private EngineDatabase(RocksDB db, BlockLog log, DBOptions dbOptions, List<ColumnFamilyOptions> columnOptions,
                           LRUCache blockCache, BloomFilter bloomFilter, List<ColumnFamilyHandle> handles) {
        this.bloomFilter = bloomFilter;
        this.db = db;
        this.log = log;
        this.dbOptions = dbOptions;
        this.columnOptions = columnOptions;
        this.blockCache = blockCache;
        this.handles = handles;
    }

    static EngineDatabase open(Path directory, VolumeStoreConfig config) throws IOException {
        Files.createDirectories(directory);
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL).setKeepLogFileNum(4)
                .setMaxBackgroundJobs(8).setBytesPerSync(1 << 20).setWalBytesPerSync(0);
        LRUCache blockCache = new LRUCache(config.blockCacheSizeBytes());
        BloomFilter bloomFilter = new BloomFilter(10);
        ColumnFamilyOptions blockOptions = new ColumnFamilyOptions()
                .setWriteBufferSize(64L << 20).setMaxWriteBufferNumber(6).setMinWriteBufferNumberToMerge(1)
                .setTargetFileSizeBase(64L << 20).setMaxBytesForLevelBase(512L << 20)
                .setLevelCompactionDynamicLevelBytes(true)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setMemtablePrefixBloomSizeRatio(0.02).setMemtableWholeKeyFiltering(true)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache).setBlockSize(16 * 1024)
                        .setFilterPolicy(bloomFilter).setWholeKeyFiltering(true).setCacheIndexAndFilterBlocks(false));
        ColumnFamilyOptions smallOptions = new ColumnFamilyOptions();
        ColumnFamilyOptions defaultOptions = new ColumnFamilyOptions();
        List<ColumnFamilyOptions> columnOptions = List.of(defaultOptions, blockOptions, smallOptions);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultOptions),
                new ColumnFamilyDescriptor(BLOCKS.getBytes(StandardCharsets.US_ASCII), blockOptions),
                new ColumnFamilyDescriptor(META.getBytes(StandardCharsets.US_ASCII), smallOptions),
                new ColumnFamilyDescriptor(RECORDS.getBytes(StandardCharsets.US_ASCII), smallOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        BlockLog log = null;
        try {
            // RocksDB first: its LOCK file keeps a second process out before the log starts a segment.
            RocksDB db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
            try {
                log = BlockLog.open(directory.resolve(BlockLog.DIRECTORY), config.logSegmentBytes());
            } catch (IOException | RuntimeException e) {
                handles.forEach(ColumnFamilyHandle::close);
                db.close();
                throw e;
            }
            return new EngineDatabase(db, log, dbOptions, columnOptions, blockCache, bloomFilter, handles);
        } catch (RocksDBException e) {
            closeAfterFailedOpen(log, columnOptions, blockCache, bloomFilter, dbOptions);
            throw new IOException("cannot open volume store in " + directory + ": " + VolumeStoreException.describe(e), e);
        } catch (IOException | RuntimeException e) {
            closeAfterFailedOpen(log, columnOptions, blockCache, bloomFilter, dbOptions);
            throw e;
        }
    }

    private static void closeAfterFailedOpen(BlockLog log, List<ColumnFamilyOptions> columnOptions, LRUCache blockCache,
                                             BloomFilter bloomFilter, DBOptions dbOptions) {
        if (log != null) {
            log.close();
        }
        columnOptions.forEach(ColumnFamilyOptions::close);
        blockCache.close();
        bloomFilter.close();
        dbOptions.close();
    }

    RocksDB db() {
        return db;
    }

    ColumnFamilyHandle blocks() {
        return handles.get(1);
    }

    ColumnFamilyHandle meta() {
        return handles.get(2);
    }

    ColumnFamilyHandle records() {
        return handles.get(3);
    }

    /** The block log the {@code blocks} family's pointers point into. */
    BlockLog log() {
        return log;
    }

    /**
     * Reads the log record that the {@link LogPointer} at {@code pointer[at]} names into
     * {@code into[0, HEADER_BYTES + valueSize)}; returns false if it is not an intact record of
     * {@code valueSize} bytes written for {@code key} (the value is then not to be used).
     *
     * @param cachedOnly read only what the page cache holds, never waiting for the disk; a miss is
     *     false too (and no IOException is thrown)
     */
    boolean readLogged(byte[] pointer, int at, byte[] key, byte[] into, int valueSize, boolean cachedOnly)
            throws IOException {
        int recordLength = LogPointer.recordLength(pointer, at);
        if (recordLength != LogRecord.HEADER_BYTES + valueSize || into.length < recordLength) {
            return false;
        }
        long position = LogPointer.position(pointer, at);
        int segment = BlockLog.segmentOf(position);
        if (cachedOnly) {
            if (!log.readWithoutWaiting(segment, BlockLog.offsetOf(position), into, 0, recordLength)) {
                return false;
            }
        } else {
            log.read(segment, BlockLog.offsetOf(position), into, 0, recordLength);
        }
        return LogRecord.isIntact(into, 0, key, valueSize);
    }

    RocksIterator newBlockIterator() {
        return db.newIterator(blocks(), reads);
    }

    /**
     * A block iterator that never reads a table file: where it would have to, it stops with status
     * Incomplete, which {@link #rethrow} turns into {@link NotInMemoryException}.
     */
    RocksIterator newInMemoryBlockIterator() {
        return db.newIterator(blocks(), inMemory);
    }

    /** An iterator for whole-space walks (GC, counting) that does not evict the hot blocks from the cache. */
    RocksIterator newScanIterator(ColumnFamilyHandle family) {
        return db.newIterator(family, scans);
    }

    /** The block cache's capacity in bytes, as RocksDB reports it. */
    long blockCacheCapacityBytes() throws RocksDBException {
        return db.getLongProperty(blocks(), "rocksdb.block-cache-capacity");
    }

    /**
     * Point lookup of one block record into {@code value[offset, +length)}; returns the record's size,
     * or {@link RocksDB#NOT_FOUND}.
     */
    int getBlock(byte[] key, byte[] value, int offset, int length) throws RocksDBException {
        return db.get(blocks(), reads, key, 0, key.length, value, offset, length);
    }

    /**
     * {@link #getBlock} from memtables and block cache only: never reads a table file. Uses
     * {@code KeyMayExist}, which answers without building an exception on a miss: "absent" is a
     * definite answer for this key only (RocksDB also says it for errors, so callers treat it as
     * "look further", never as "the block is zeros"); "may exist" without a value is a miss.
     *
     * @throws NotInMemoryException if the answer is in a table block that is not cached
     */
    int getBlockInMemory(byte[] key, byte[] value, int offset, int length) {
        Holder<byte[]> found = new Holder<>();
        if (!db.keyMayExist(blocks(), inMemory, key, 0, key.length, found)) {
            return RocksDB.NOT_FOUND;
        }
        byte[] record = found.getValue();
        if (record == null) {
            throw NotInMemoryException.INSTANCE;
        }
        System.arraycopy(record, 0, value, offset, Math.min(record.length, length));
        return record.length;
    }

    /** Turns an in-memory read's Incomplete status into {@link NotInMemoryException}; returns other failures. */
    static RocksDBException rethrow(RocksDBException e) {
        Status status = e.getStatus();
        if (status != null && status.getCode() == Status.Code.Incomplete) {
            throw NotInMemoryException.INSTANCE;
        }
        return e;
    }

    void write(WriteBatch batch, boolean sync) throws RocksDBException {
        db.write(sync ? synced : unsynced, batch);
    }

    /** Makes every metadata and pointer write so far durable: one fsync of the WAL, whichever device or connection wrote. */
    void syncWal() throws RocksDBException {
        db.syncWal();
    }

    /**
     * Makes every block write so far durable: the block log first, then the WAL, so a durable
     * pointer never names log bytes that are not.
     */
    void syncAll() throws IOException, RocksDBException {
        log.sync();
        db.syncWal();
    }

    byte[] getMeta(byte[] key) throws RocksDBException {
        return db.get(meta(), key);
    }

    /** Enters a call that uses the database; pair with {@link #exit()}. */
    void enter() {
        lifecycle.readLock().lock();
        if (closed) {
            lifecycle.readLock().unlock();
            throw new IllegalStateException("volume store is closed");
        }
    }

    void exit() {
        lifecycle.readLock().unlock();
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeNative();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void closeNative() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        log.close();
        columnOptions.forEach(ColumnFamilyOptions::close);
        blockCache.close();
        bloomFilter.close();
        dbOptions.close();
        unsynced.close();
        synced.close();
        reads.close();
        scans.close();
        inMemory.close();
    }
}

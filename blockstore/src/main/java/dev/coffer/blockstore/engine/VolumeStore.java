package dev.coffer.blockstore.engine;

import dev.coffer.blockstore.device.BlockIoException;
import dev.coffer.crypto.block.BlockSealParameters;
import dev.coffer.crypto.block.BlockSealV1;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The volume engine: volumes and snapshots of fixed-size blocks under a directory (an append-only
 * block log of their records, and one RocksDB database mapping blocks to records). Thin
 * provisioned (a block never written, trimmed or zeroed is not stored and reads as zeros);
 * snapshots are incremental, O(1) to take and point-in-time consistent while the volume is being
 * written; a volume created from a snapshot shares the snapshot's blocks and is usable at once;
 * deleting a volume or snapshot frees only blocks nothing else references. Ids are the caller's
 * ({@code vol-...}, {@code snap-...}). Thread-safe; every method may block on disk.
 *
 * <p>Design (docs/formats/volume-engine-v2.md): blocks live in <em>spaces</em>, keyed (space, index,
 * epoch). A volume writes to its space's current epoch; a snapshot pins that epoch and bumps it; a
 * volume made from a snapshot gets a new space whose misses fall through to the snapshot's view.
 * Deleting a view collects the records no remaining view sees, and a space nothing sees any more is
 * dropped with one range delete; the {@link BlockLogCleaner} then reclaims log segments that are
 * mostly dead. Metadata changes are one synced {@link WriteBatch} each, made under this object's
 * monitor; block I/O never takes it.
 *
 * <p>Unknown ids are {@link NoSuchVolumeException} / {@link NoSuchSnapshotException}; an id in use,
 * or a volume that is open when it must not be, is {@link IllegalStateException}; storage failures
 * are {@link VolumeStoreException}.
 */
public final class VolumeStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(VolumeStore.class.getName());
    private static final long FIRST_EPOCH = 1;
    /**
     * A pass after a segment fills waits until this long after the previous pass: a pass walks the
     * whole block table (about 1 % of the stored bytes), which at every 256 MiB segment of a fast
     * overwriting workload cost a tenth of the server's CPU.
     */
    private static final long CLEANING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final EngineDatabase database;
    private final RocksRecordTable records;
    private final Map<String, VolumeRecord> volumes = new HashMap<>();
    private final Map<String, SnapshotRecord> snapshots = new HashMap<>();
    private final Map<Long, Space> spaces = new HashMap<>();
    private final Set<Long> pendingGc = new TreeSet<>();
    private final Map<String, RocksVolumeDevice> openDevices = new HashMap<>();
    /** Ids of copies under way (not yet in the maps), and snapshots being copied from (not deletable meanwhile). */
    private final Set<String> reservedIds = new HashSet<>();
    private final Map<String, Integer> copySources = new HashMap<>();
    /** Runs block log cleaning passes, one at a time, off the threads that fill segments. */
    private final ScheduledExecutorService cleaning = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("coffer-blocklog-cleaner").daemon().factory());
    /**
     * A pass after a roll is already scheduled. Not guarded by this: a roll happens on a writer,
     * which holds its space's read lock, while a pass holds this monitor and waits for every space's
     * write lock, so a writer must never wait for this monitor.
     */
    private final AtomicBoolean rollPassScheduled = new AtomicBoolean();
    /** When the last pass started ({@link System#nanoTime}). */
    private volatile long lastPassNanos = System.nanoTime() - CLEANING_INTERVAL_NANOS;
    private long nextSpaceId;
    private boolean closed;

    private VolumeStore(EngineDatabase database) {
        this.database = database;
        this.records = new RocksRecordTable(database);
    }

    /** Opens (creating if needed) the store in {@code directory}, with the default settings. */
    public static VolumeStore open(Path directory) throws IOException {
        return open(directory, VolumeStoreConfig.defaults());
    }

    /** Opens (creating if needed) the store in {@code directory}. */
    public static VolumeStore open(Path directory, VolumeStoreConfig config) throws IOException {
        EngineDatabase database = EngineDatabase.open(directory, config);
        try {
            VolumeStore store = new VolumeStore(database);
            synchronized (store) {
                store.checkFormat();
                List<Long> deadCopies = store.load();
                store.recover(deadCopies);
            }
            database.log().onRoll(store::scheduleCleaningAfterRoll);
            store.scheduleLogCleaning();
            return store;
        } catch (RocksDBException e) {
            database.close();
            throw new IOException("cannot open volume store in " + directory + ": " + VolumeStoreException.describe(e), e);
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Creates an empty volume.
     *
     * @param bindingId empty for a plaintext volume; else the binding id its blocks are sealed under
     */
    public synchronized void createVolume(String volumeId, long sizeBytes, int blockSize, Optional<String> bindingId) {
        ensureOpen();
        ensureIdFree(volumeId);
        new BlockSealParameters(blockSize);
        checkSize(sizeBytes, blockSize, 0);
        bindingId.ifPresent(BlockSealV1::bindingIdBytes);
        long spaceId = nextSpaceId;
        SpaceRecord space = new SpaceRecord(spaceId, blockSize, FIRST_EPOCH, 0, 0, bindingId);
        VolumeRecord volume = new VolumeRecord(volumeId, spaceId, sizeBytes);
        commit(batch -> {
            putSpace(batch, space);
            batch.put(database.meta(), MetadataKeys.volume(volumeId), volume.encode());
        });
        nextSpaceId++;
        spaces.put(spaceId, new Space(space, null));
        volumes.put(volumeId, volume);
    }

    /** Creates a volume that shares {@code snapshotId}'s blocks and codec; {@code sizeBytes} is at least the snapshot's. */
    public synchronized void createVolumeFromSnapshot(String volumeId, String snapshotId, long sizeBytes) {
        ensureOpen();
        SnapshotRecord snapshot = snapshot(snapshotId);
        ensureIdFree(volumeId);
        Space parent = spaces.get(snapshot.spaceId());
        checkSize(sizeBytes, parent.blockSize, snapshot.sizeBytes());
        long spaceId = nextSpaceId;
        SpaceRecord space = new SpaceRecord(spaceId, parent.blockSize, FIRST_EPOCH, parent.id, snapshot.epoch(),
                parent.bindingId);
        VolumeRecord volume = new VolumeRecord(volumeId, spaceId, sizeBytes);
        commit(batch -> {
            putSpace(batch, space);
            batch.put(database.meta(), MetadataKeys.volume(volumeId), volume.encode());
        });
        nextSpaceId++;
        spaces.put(spaceId, new Space(space, parent));
        volumes.put(volumeId, volume);
    }

    /** Grows a volume; the new range reads as zeros. Shrinking is refused ({@link IllegalArgumentException}). */
    public synchronized void resizeVolume(String volumeId, long sizeBytes) {
        ensureOpen();
        VolumeRecord volume = volume(volumeId);
        checkSize(sizeBytes, spaces.get(volume.spaceId()).blockSize, volume.sizeBytes());
        VolumeRecord resized = volume.withSize(sizeBytes);
        commit(batch -> batch.put(database.meta(), MetadataKeys.volume(volumeId), resized.encode()));
        volumes.put(volumeId, resized);
        RocksVolumeDevice device = openDevices.get(volumeId);
        if (device != null) {
            device.resized(sizeBytes);
        }
    }

    /** Deletes a volume (it must not be open); its snapshots and the volumes made from them stay readable. */
    public synchronized void deleteVolume(String volumeId) {
        ensureOpen();
        VolumeRecord volume = volume(volumeId);
        if (openDevices.containsKey(volumeId)) {
            throw new IllegalStateException("volume " + volumeId + " is open");
        }
        commit(batch -> {
            batch.delete(database.meta(), MetadataKeys.volume(volumeId));
            batch.put(database.meta(), MetadataKeys.pendingGc(volume.spaceId()), new byte[0]);
        });
        volumes.remove(volumeId);
        pendingGc.add(volume.spaceId());
        collectGarbage();
        scheduleLogCleaning();
    }

    /**
     * Opens a volume for I/O with its codec; close the device to flush and release it. A volume is
     * open at most once at a time (share the device between connections). Pass a sealed codec with a
     * new {@link dev.coffer.crypto.block.VolumeBlockCipher} for each open (a new cipher session, so
     * nonces never repeat across opens of one lineage); the device does not close the cipher, the
     * caller does after closing the device.
     *
     * @throws IllegalArgumentException if the codec is of the wrong kind, binding id or block size
     * @throws IllegalStateException if the volume is already open
     */
    public synchronized VolumeDevice open(String volumeId, BlockCodec codec) {
        ensureOpen();
        VolumeRecord volume = volume(volumeId);
        Objects.requireNonNull(codec, "codec");
        if (openDevices.containsKey(volumeId)) {
            throw new IllegalStateException("volume " + volumeId + " is already open");
        }
        Space space = spaces.get(volume.spaceId());
        BlockCoder coder = BlockCoder.forSpace(codec, space, "volume " + volumeId);
        RocksVolumeDevice[] self = new RocksVolumeDevice[1];
        self[0] = new RocksVolumeDevice(volumeId, volume.sizeBytes(), database, space, coder,
                () -> deviceClosed(volumeId, self[0]));
        openDevices.put(volumeId, self[0]);
        return self[0];
    }

    /** Takes a point-in-time snapshot of a volume (open or not), in O(1). */
    public synchronized void createSnapshot(String volumeId, String snapshotId) {
        ensureOpen();
        VolumeRecord volume = volume(volumeId);
        ensureIdFree(snapshotId);
        Space space = spaces.get(volume.spaceId());
        space.lock.writeLock().lock();
        try {
            long pinned = space.epoch();
            SnapshotRecord snapshot = new SnapshotRecord(snapshotId, space.id, pinned, volume.sizeBytes());
            commit(batch -> {
                batch.put(database.meta(), MetadataKeys.snapshot(snapshotId), snapshot.encode());
                putSpace(batch, space.record().withEpoch(pinned + 1));
            });
            space.epoch(pinned + 1);
            snapshots.put(snapshotId, snapshot);
        } finally {
            space.lock.writeLock().unlock();
        }
    }

    /**
     * Copies a snapshot into a new snapshot, re-coding every stored block (plaintext to sealed, key A
     * to key B); blocks never written stay unstored. Blocking; {@code progress} receives the
     * percentage done (0-100) as it advances. On failure nothing of the target remains.
     */
    public void copySnapshot(String sourceSnapshotId, BlockCodec source, String targetSnapshotId,
                             Optional<String> targetBindingId, BlockCodec target, LongConsumer progress) {
        copy(sourceSnapshotId, source, targetSnapshotId, Optional.empty(), targetBindingId, target, progress);
    }

    /** As {@link #copySnapshot}, into a new volume of {@code sizeBytes} (at least the snapshot's). */
    public void copySnapshotToVolume(String sourceSnapshotId, BlockCodec source, String volumeId, long sizeBytes,
                                     Optional<String> bindingId, BlockCodec target, LongConsumer progress) {
        copy(sourceSnapshotId, source, volumeId, Optional.of(sizeBytes), bindingId, target, progress);
    }

    /** Deletes a snapshot; volumes made from it stay readable. A snapshot being copied cannot be deleted (IllegalStateException). */
    public synchronized void deleteSnapshot(String snapshotId) {
        ensureOpen();
        SnapshotRecord snapshot = snapshot(snapshotId);
        if (copySources.containsKey(snapshotId)) {
            throw new IllegalStateException("snapshot " + snapshotId + " is being copied");
        }
        commit(batch -> {
            batch.delete(database.meta(), MetadataKeys.snapshot(snapshotId));
            batch.put(database.meta(), MetadataKeys.pendingGc(snapshot.spaceId()), new byte[0]);
        });
        snapshots.remove(snapshotId);
        pendingGc.add(snapshot.spaceId());
        collectGarbage();
        scheduleLogCleaning();
    }

    /** The binding id a volume's or snapshot's blocks are sealed under; empty for plaintext; throws if unknown. */
    public synchronized Optional<String> bindingId(String volumeOrSnapshotId) {
        ensureOpen();
        return spaces.get(spaceOf(volumeOrSnapshotId)).bindingId;
    }

    /** The size in bytes of a volume or snapshot. */
    public synchronized long sizeBytes(String volumeOrSnapshotId) {
        ensureOpen();
        VolumeRecord volume = volumes.get(volumeOrSnapshotId);
        if (volume != null) {
            return volume.sizeBytes();
        }
        spaceOf(volumeOrSnapshotId);
        return snapshots.get(volumeOrSnapshotId).sizeBytes();
    }

    /**
     * How many block records are stored in all (tests and metrics: thin provisioning, sharing,
     * freeing). Tombstones (the empty records that hide an older version from a newer epoch) are not
     * counted. Walks the whole block table: for tests and occasional metrics, not a hot path.
     */
    public long storedBlockCount() {
        database.enter();
        try (RocksIterator it = database.newScanIterator(database.blocks())) {
            byte[] probe = new byte[1];
            long count = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (it.value(probe) > 0) {
                    count++;
                }
            }
            it.status();
            return count;
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("count blocks", e);
        } finally {
            database.exit();
        }
    }

    /**
     * The block cache's capacity in bytes, as RocksDB reports it: what
     * {@link VolumeStoreConfig#blockCacheSizeBytes()} became.
     */
    public long blockCacheCapacityBytes() {
        database.enter();
        try {
            return database.blockCacheCapacityBytes();
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("read the block cache capacity", e);
        } finally {
            database.exit();
        }
    }

    /** The control plane's durable records, in the same database. */
    public RecordTable records() {
        return records;
    }

    /**
     * Runs a block log cleaning pass now (volume-engine-v2.md, "Cleaning"), unless a copy is under
     * way (copies read the log without space locks; the pass is then skipped). Blocks other control
     * calls meanwhile, never block I/O for longer than one chunk of moves.
     */
    synchronized BlockLogCleaner.Result cleanLog() {
        ensureOpen();
        if (!copySources.isEmpty()) {
            return new BlockLogCleaner.Result(0, 0, 0);
        }
        lastPassNanos = System.nanoTime();
        database.enter();
        try {
            return BlockLogCleaner.clean(database, spaces.values());
        } catch (IOException e) {
            throw VolumeStoreException.io("cleaning of the block log", e);
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("cleaning of the block log", e);
        } finally {
            database.exit();
        }
    }

    /** Schedules a cleaning pass now (after deletes, and at open: space freed should show soon). */
    private void scheduleLogCleaning() {
        scheduleCleaning(0, false);
    }

    /**
     * Schedules a pass for a segment that filled, at most one pending, at least
     * {@link #CLEANING_INTERVAL_NANOS} after the last. Runs on a writer: takes no lock.
     */
    private void scheduleCleaningAfterRoll() {
        if (!rollPassScheduled.compareAndSet(false, true)) {
            return;
        }
        long due = lastPassNanos + CLEANING_INTERVAL_NANOS - System.nanoTime();
        scheduleCleaning(Math.max(0, due), true);
    }

    private void scheduleCleaning(long delayNanos, boolean afterRoll) {
        try {
            cleaning.schedule(() -> {
                synchronized (this) {
                    if (afterRoll) {
                        rollPassScheduled.set(false);
                    }
                    if (closed) {
                        return;
                    }
                    try {
                        cleanLog();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING,
                                "block log cleaning failed; the next pass tries again: " + e.getMessage());
                    }
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing: nothing to clean any more
        }
    }

    /** Closes every open device (flushing it), then the database. Copies under way fail. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cleaning.shutdownNow();
        RuntimeException failure = null;
        for (RocksVolumeDevice device : new ArrayList<>(openDevices.values())) {
            try {
                device.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        database.close();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "VolumeStore[" + volumes.size() + " volumes, " + snapshots.size() + " snapshots]";
    }

    // ---- copies ----

    private void copy(String sourceSnapshotId, BlockCodec sourceCodec, String targetId, Optional<Long> volumeSize,
                      Optional<String> targetBindingId, BlockCodec targetCodec, LongConsumer progress) {
        Objects.requireNonNull(progress, "progress");
        SnapshotRecord source;
        View sourceView;
        BlockCoder from;
        BlockCoder to;
        SpaceRecord targetSpace;
        synchronized (this) {
            ensureOpen();
            source = snapshot(sourceSnapshotId);
            ensureIdFree(targetId);
            Space sourceSpace = spaces.get(source.spaceId());
            volumeSize.ifPresent(size -> checkSize(size, sourceSpace.blockSize, source.sizeBytes()));
            targetBindingId.ifPresent(BlockSealV1::bindingIdBytes);
            from = BlockCoder.forSpace(sourceCodec, sourceSpace, "snapshot " + sourceSnapshotId);
            long spaceId = nextSpaceId;
            // A copied snapshot pins epoch 1 and its space moves on to 2; a copied volume writes on at 1.
            targetSpace = new SpaceRecord(spaceId, sourceSpace.blockSize,
                    volumeSize.isPresent() ? FIRST_EPOCH : FIRST_EPOCH + 1, 0, 0, targetBindingId);
            to = BlockCoder.forSpace(targetCodec, new Space(targetSpace, null), "copy " + targetId);
            commit(batch -> {
                batch.put(database.meta(), MetadataKeys.NEXT_SPACE_ID, MetadataKeys.uint64(spaceId + 1));
                batch.put(database.meta(), MetadataKeys.pendingCopy(spaceId), new byte[0]);
            });
            nextSpaceId++;
            sourceView = sourceSpace.at(source.epoch());
            reservedIds.add(targetId);
            copySources.merge(sourceSnapshotId, 1, Integer::sum);
        }
        long spaceId = targetSpace.spaceId();
        boolean done = false;
        try {
            progress.accept(0);
            new SpaceCopier(database).copy(sourceView, from, spaceId, FIRST_EPOCH, to,
                    source.sizeBytes() / from.blockSize, progress);
            database.enter();
            try {
                database.syncAll();
            } finally {
                database.exit();
            }
            synchronized (this) {
                ensureOpen();
                commit(batch -> {
                    putSpace(batch, targetSpace);
                    batch.delete(database.meta(), MetadataKeys.pendingCopy(spaceId));
                    if (volumeSize.isPresent()) {
                        batch.put(database.meta(), MetadataKeys.volume(targetId),
                                new VolumeRecord(targetId, spaceId, volumeSize.get()).encode());
                    } else {
                        batch.put(database.meta(), MetadataKeys.snapshot(targetId),
                                new SnapshotRecord(targetId, spaceId, FIRST_EPOCH, source.sizeBytes()).encode());
                    }
                });
                spaces.put(spaceId, new Space(targetSpace, null));
                if (volumeSize.isPresent()) {
                    volumes.put(targetId, new VolumeRecord(targetId, spaceId, volumeSize.get()));
                } else {
                    snapshots.put(targetId, new SnapshotRecord(targetId, spaceId, FIRST_EPOCH, source.sizeBytes()));
                }
                done = true;
            }
            progress.accept(100);
        } catch (BlockIoException e) {
            throw new VolumeStoreException("copy of " + sourceSnapshotId + " to " + targetId + " failed: " + e.getMessage(), e);
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("copy of " + sourceSnapshotId + " to " + targetId, e);
        } catch (IOException e) {
            throw VolumeStoreException.io("copy of " + sourceSnapshotId + " to " + targetId, e);
        } finally {
            synchronized (this) {
                reservedIds.remove(targetId);
                copySources.computeIfPresent(sourceSnapshotId, (id, n) -> n == 1 ? null : n - 1);
                if (!done && !closed) {
                    // Best effort: if this fails too, the pending-copy marker makes the next open drop the space.
                    try {
                        dropDeadCopy(spaceId);
                    } catch (RuntimeException ignored) {
                        // the original failure is what the caller needs to see
                    }
                }
            }
        }
    }

    private void dropDeadCopy(long spaceId) {
        commit(batch -> {
            batch.deleteRange(database.blocks(), BlockKeys.spaceStart(spaceId), BlockKeys.spaceEnd(spaceId));
            batch.delete(database.meta(), MetadataKeys.pendingCopy(spaceId));
        });
    }

    // ---- garbage collection ----

    /** Runs every pending collection; a space no view sees any more goes, and its parent is collected next. */
    private void collectGarbage() {
        while (!pendingGc.isEmpty()) {
            long spaceId = pendingGc.iterator().next();
            Space space = spaces.get(spaceId);
            if (space == null) {
                commit(batch -> batch.delete(database.meta(), MetadataKeys.pendingGc(spaceId)));
                pendingGc.remove(spaceId);
                continue;
            }
            TreeSet<Long> views = liveViews(space);
            if (views.isEmpty()) {
                commit(batch -> {
                    batch.deleteRange(database.blocks(), BlockKeys.spaceStart(spaceId), BlockKeys.spaceEnd(spaceId));
                    batch.delete(database.meta(), MetadataKeys.space(spaceId));
                    batch.delete(database.meta(), MetadataKeys.pendingGc(spaceId));
                    if (space.parent != null) {
                        batch.put(database.meta(), MetadataKeys.pendingGc(space.parent.id), new byte[0]);
                    }
                });
                spaces.remove(spaceId);
                pendingGc.remove(spaceId);
                if (space.parent != null) {
                    pendingGc.add(space.parent.id);
                }
            } else {
                try {
                    boolean hasHead = volumes.values().stream().anyMatch(v -> v.spaceId() == spaceId);
                    GarbageCollector.collect(database, spaceId, views, space.parent == null,
                            hasHead ? space.epoch() : Long.MAX_VALUE);
                } catch (RocksDBException e) {
                    throw VolumeStoreException.of("garbage collection of space " + spaceId, e);
                }
                commit(batch -> batch.delete(database.meta(), MetadataKeys.pendingGc(spaceId)));
                pendingGc.remove(spaceId);
            }
        }
    }

    /** The epochs of a space something still reads: its volume's head, its snapshots, and the views child spaces fall back to. */
    private TreeSet<Long> liveViews(Space space) {
        TreeSet<Long> views = new TreeSet<>();
        for (VolumeRecord v : volumes.values()) {
            if (v.spaceId() == space.id) {
                views.add(space.epoch());
            }
        }
        for (SnapshotRecord s : snapshots.values()) {
            if (s.spaceId() == space.id) {
                views.add(s.epoch());
            }
        }
        for (Space child : spaces.values()) {
            if (child.parent == space) {
                views.add(child.parentEpoch);
            }
        }
        return views;
    }

    // ---- loading ----

    private void checkFormat() throws RocksDBException, IOException {
        byte[] format = database.getMeta(MetadataKeys.FORMAT);
        if (format == null) {
            try (RocksIterator it = database.newScanIterator(database.meta())) {
                it.seekToFirst();
                if (it.isValid()) {
                    throw new IOException("volume store has metadata but no format version; refusing to open it");
                }
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(database.meta(), MetadataKeys.FORMAT, new byte[] {(byte) MetadataKeys.FORMAT_VERSION});
                batch.put(database.meta(), MetadataKeys.NEXT_SPACE_ID, MetadataKeys.uint64(1));
                database.write(batch, true);
            }
        } else if (format.length == 1 && format[0] == MetadataKeys.FORMAT_VERSION_INLINE_ONLY) {
            // Version 1 values stay readable as they are; from now on new blocks go to the log, which
            // builds that read version 1 only would misread, hence the new version.
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(database.meta(), MetadataKeys.FORMAT, new byte[] {(byte) MetadataKeys.FORMAT_VERSION});
                database.write(batch, true);
            }
        } else if (format.length != 1 || format[0] != MetadataKeys.FORMAT_VERSION) {
            throw new IOException("unsupported volume store format " + (format.length == 1 ? format[0] & 0xff : -1)
                    + " (this build reads version " + MetadataKeys.FORMAT_VERSION + ")");
        }
    }

    /** Reads all metadata into memory; returns the spaces of copies that died with the process. */
    private List<Long> load() throws RocksDBException {
        TreeMap<Long, SpaceRecord> spaceRecords = new TreeMap<>();
        List<Long> deadCopies = new ArrayList<>();
        try (RocksIterator it = database.newScanIterator(database.meta())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                switch (key[0]) {
                    case MetadataKeys.SPACE -> {
                        long id = MetadataKeys.idOf(key);
                        spaceRecords.put(id, SpaceRecord.decode(id, it.value()));
                    }
                    case MetadataKeys.VOLUME -> {
                        String id = MetadataKeys.nameOf(key);
                        volumes.put(id, VolumeRecord.decode(id, it.value()));
                    }
                    case MetadataKeys.SNAPSHOT -> {
                        String id = MetadataKeys.nameOf(key);
                        snapshots.put(id, SnapshotRecord.decode(id, it.value()));
                    }
                    case MetadataKeys.PENDING_GC -> pendingGc.add(MetadataKeys.idOf(key));
                    case MetadataKeys.PENDING_COPY -> deadCopies.add(MetadataKeys.idOf(key));
                    case '!' -> {
                        if (java.util.Arrays.equals(key, MetadataKeys.NEXT_SPACE_ID)) {
                            nextSpaceId = java.nio.ByteBuffer.wrap(it.value()).getLong();
                        }
                    }
                    default -> throw new VolumeStoreException("unknown metadata record kind " + (key[0] & 0xff));
                }
            }
            it.status();
        }
        // A child is always created after its parent, so ascending ids meet parents first.
        for (SpaceRecord record : spaceRecords.values()) {
            Space parent = null;
            if (record.hasParent()) {
                parent = spaces.get(record.parentSpaceId());
                if (parent == null) {
                    throw new VolumeStoreException("space " + record.spaceId() + " names a missing parent space");
                }
            }
            spaces.put(record.spaceId(), new Space(record, parent));
        }
        for (VolumeRecord v : volumes.values()) {
            requireSpace(v.spaceId(), "volume " + v.volumeId());
        }
        for (SnapshotRecord s : snapshots.values()) {
            requireSpace(s.spaceId(), "snapshot " + s.snapshotId());
        }
        return deadCopies;
    }

    private void recover(List<Long> deadCopies) {
        for (long spaceId : deadCopies) {
            dropDeadCopy(spaceId);
        }
        collectGarbage();
    }

    private void requireSpace(long spaceId, String what) {
        if (!spaces.containsKey(spaceId)) {
            throw new VolumeStoreException(what + " names a missing space " + spaceId);
        }
    }

    // ---- helpers ----

    @FunctionalInterface
    private interface BatchBody {
        void fill(WriteBatch batch) throws RocksDBException;
    }

    /** One atomic, synced metadata change. */
    private void commit(BatchBody body) {
        try (WriteBatch batch = new WriteBatch()) {
            body.fill(batch);
            database.write(batch, true);
        } catch (RocksDBException e) {
            throw VolumeStoreException.of("metadata write", e);
        }
    }

    /** Puts a space's record, and for a new space advances the id counter in the same batch. */
    private void putSpace(WriteBatch batch, SpaceRecord space) throws RocksDBException {
        batch.put(database.meta(), MetadataKeys.space(space.spaceId()), space.encode());
        if (space.spaceId() >= nextSpaceId) {
            batch.put(database.meta(), MetadataKeys.NEXT_SPACE_ID, MetadataKeys.uint64(space.spaceId() + 1));
        }
    }

    private synchronized void deviceClosed(String volumeId, RocksVolumeDevice device) {
        openDevices.remove(volumeId, device);
    }

    private VolumeRecord volume(String volumeId) {
        VolumeRecord volume = volumes.get(Objects.requireNonNull(volumeId, "volumeId"));
        if (volume == null) {
            throw new NoSuchVolumeException(volumeId);
        }
        return volume;
    }

    private SnapshotRecord snapshot(String snapshotId) {
        SnapshotRecord snapshot = snapshots.get(Objects.requireNonNull(snapshotId, "snapshotId"));
        if (snapshot == null) {
            throw new NoSuchSnapshotException(snapshotId);
        }
        return snapshot;
    }

    private long spaceOf(String volumeOrSnapshotId) {
        VolumeRecord volume = volumes.get(volumeOrSnapshotId);
        if (volume != null) {
            return volume.spaceId();
        }
        SnapshotRecord snapshot = snapshots.get(volumeOrSnapshotId);
        if (snapshot != null) {
            return snapshot.spaceId();
        }
        throw volumeOrSnapshotId.startsWith("snap-") ? new NoSuchSnapshotException(volumeOrSnapshotId)
                : new NoSuchVolumeException(volumeOrSnapshotId);
    }

    private void ensureIdFree(String id) {
        if (Objects.requireNonNull(id, "id").isEmpty()) {
            throw new IllegalArgumentException("empty id");
        }
        if (volumes.containsKey(id) || snapshots.containsKey(id) || reservedIds.contains(id)) {
            throw new IllegalStateException(id + " already exists");
        }
    }

    private static void checkSize(long sizeBytes, int blockSize, long atLeastBytes) {
        if (sizeBytes <= 0 || sizeBytes % blockSize != 0) {
            throw new IllegalArgumentException("size must be a positive multiple of the " + blockSize
                    + " B block size, got " + sizeBytes);
        }
        if (sizeBytes < atLeastBytes) {
            throw new IllegalArgumentException("size " + sizeBytes + " B is smaller than " + atLeastBytes + " B");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("volume store is closed");
        }
    }
}

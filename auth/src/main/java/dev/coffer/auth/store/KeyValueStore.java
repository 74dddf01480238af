package dev.coffer.auth.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * An embedded RocksDB metadata store with declared tables. Every write is synced to disk before it
 * returns (an acknowledged change survives a crash), and {@link #write} applies several changes
 * atomically. Native objects are owned here and closed deterministically. Thread-safe.
 */
public final class KeyValueStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions columnOptions;
    private final WriteOptions syncWrites;
    private final List<ColumnFamilyHandle> handles;
    private final Map<String, ColumnFamilyHandle> byName = new HashMap<>();
    private final ReadWriteLock closeLock = new ReentrantReadWriteLock();
    /** Where virtual threads' synced writes run (see {@link #writeOnPlatformThread}); threads come and go with demand. */
    private final ExecutorService syncWriters = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("coffer-rocksdb-sync-", 0).daemon(true).factory());
    private boolean closed;

    private KeyValueStore(RocksDB db, DBOptions dbOptions, ColumnFamilyOptions columnOptions, List<ColumnFamilyHandle> handles,
                          List<Table<?, ?>> tables) {
        this.db = db;
        this.dbOptions = dbOptions;
        this.columnOptions = columnOptions;
        this.handles = handles;
        this.syncWrites = new WriteOptions().setSync(true);
        for (int i = 0; i < tables.size(); i++) {
            byName.put(tables.get(i).name(), handles.get(i + 1));
        }
    }

    /** Opens (creating if needed) the store in {@code directory} with exactly these tables. */
    public static KeyValueStore open(Path directory, List<Table<?, ?>> tables) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.IO, "cannot create " + directory + ": " + e.getMessage(), e);
        }
        DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setKeepLogFileNum(4).setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
        ColumnFamilyOptions columnOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions));
        for (Table<?, ?> t : tables) {
            descriptors.add(new ColumnFamilyDescriptor(t.name().getBytes(StandardCharsets.UTF_8), columnOptions));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
            return new KeyValueStore(db, dbOptions, columnOptions, handles, tables);
        } catch (RocksDBException e) {
            columnOptions.close();
            dbOptions.close();
            throw translate("open " + directory, e);
        }
    }

    public <K, V> Optional<V> get(Table<K, V> table, K key) {
        readLocked();
        try {
            byte[] value = db.get(handle(table), table.keyCodec().encode(key));
            return value == null ? Optional.empty() : Optional.of(table.valueCodec().decode(value));
        } catch (RocksDBException e) {
            throw translate("get from " + table.name(), e);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    public <K, V> void put(Table<K, V> table, K key, V value) {
        write(batch -> batch.put(table, key, value));
    }

    public <K, V> void delete(Table<K, V> table, K key) {
        write(batch -> batch.delete(table, key));
    }

    /**
     * Applies every change the body makes to the batch atomically, synced to disk. Concurrent
     * writers share one WAL sync (RocksDB's group commit).
     */
    public void write(BatchBody body) {
        readLocked();
        try (WriteBatch batch = new WriteBatch()) {
            body.fill(new Batch(batch));
            if (Thread.currentThread().isVirtual()) {
                writeOnPlatformThread(batch);
            } else {
                db.write(syncWrites, batch);
            }
        } catch (RocksDBException e) {
            throw translate("write", e);
        } finally {
            closeLock.readLock().unlock();
        }
    }

    /**
     * A synced write waits for fsync inside JNI, which pins a virtual thread to its carrier; with
     * one carrier per core, at most that many writers could then meet in a group commit, and every
     * other virtual thread would stall behind them. So virtual threads hand the write to a
     * platform thread and wait unpinned.
     */
    private void writeOnPlatformThread(WriteBatch batch) throws RocksDBException {
        Future<?> written = syncWriters.submit(() -> {
            db.write(syncWrites, batch);
            return null;
        });
        try {
            written.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RocksDBException rocks) {
                throw rocks;
            }
            throw new StoreException(StoreException.Kind.IO, "write failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // The write may still complete; the caller cannot know, exactly as after a crash.
            throw new StoreException(StoreException.Kind.IO, "interrupted while waiting for a write", e);
        }
    }

    /**
     * Entries whose key starts with {@code prefix}, in key order, starting after {@code afterKey}
     * (exclusive; null to start at the prefix), at most {@code limit}.
     */
    public <K, V> List<Map.Entry<K, V>> scan(Table<K, V> table, K prefix, K afterKey, int limit) {
        readLocked();
        byte[] prefixBytes = table.keyCodec().encode(prefix);
        List<Map.Entry<K, V>> out = new ArrayList<>();
        try (ReadOptions options = new ReadOptions(); RocksIterator it = db.newIterator(handle(table), options)) {
            if (afterKey == null) {
                it.seek(prefixBytes);
            } else {
                byte[] after = table.keyCodec().encode(afterKey);
                it.seek(after);
                if (it.isValid() && Arrays.equals(it.key(), after)) {
                    it.next();
                }
            }
            while (it.isValid() && out.size() < limit) {
                byte[] key = it.key();
                if (!startsWith(key, prefixBytes)) {
                    break;
                }
                out.add(Map.entry(table.keyCodec().decode(key), table.valueCodec().decode(it.value())));
                it.next();
            }
            it.status();
        } catch (RocksDBException e) {
            throw translate("scan " + table.name(), e);
        } finally {
            closeLock.readLock().unlock();
        }
        return out;
    }

    /**
     * Runs the body with a cursor over the table and returns its result. The cursor sees one
     * consistent view of the table (the state when it was created) and is valid only inside the
     * body, which is what lets callers seek past whole key ranges instead of scanning them.
     */
    public <K, V, R> R read(Table<K, V> table, Function<Cursor<K, V>, R> body) {
        readLocked();
        try (ReadOptions options = new ReadOptions(); RocksIterator it = db.newIterator(handle(table), options)) {
            return body.apply(new Cursor<>(table, it));
        } finally {
            closeLock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            syncWriters.shutdown();
            handles.forEach(ColumnFamilyHandle::close);
            db.close();
            syncWrites.close();
            columnOptions.close();
            dbOptions.close();
        } finally {
            closeLock.writeLock().unlock();
        }
    }

    private void readLocked() {
        closeLock.readLock().lock();
        if (closed) {
            closeLock.readLock().unlock();
            throw new StoreException(StoreException.Kind.CLOSED, "store is closed");
        }
    }

    private ColumnFamilyHandle handle(Table<?, ?> table) {
        ColumnFamilyHandle h = byName.get(table.name());
        if (h == null) {
            throw new IllegalArgumentException("table " + table.name() + " was not declared when the store was opened");
        }
        return h;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static StoreException translate(String what, RocksDBException e) {
        Status status = e.getStatus();
        Status.Code code = status == null ? Status.Code.IOError : status.getCode();
        StoreException.Kind kind = switch (code) {
            case Corruption -> StoreException.Kind.CORRUPT;
            case Busy, TryAgain -> StoreException.Kind.BUSY;
            default -> e.getMessage() != null && e.getMessage().contains("lock") ? StoreException.Kind.BUSY : StoreException.Kind.IO;
        };
        return new StoreException(kind, "metadata store: " + what + " failed (" + code + "): " + e.getMessage(), e);
    }

    /** A position in a table, in key byte order; obtained from {@link #read} and valid only there. */
    public static final class Cursor<K, V> {
        private final Table<K, V> table;
        private final RocksIterator it;

        private Cursor(Table<K, V> table, RocksIterator it) {
            this.table = table;
            this.it = it;
        }

        /** Moves to the first entry whose key is at or after {@code key}. */
        public void seek(K key) {
            it.seek(table.keyCodec().encode(key));
        }

        /** Moves to the first entry of the table. */
        public void seekToFirst() {
            it.seekToFirst();
        }

        /** Whether the cursor is at an entry; false at the end, or fails if the iteration failed. */
        public boolean valid() {
            if (it.isValid()) {
                return true;
            }
            try {
                it.status();
            } catch (RocksDBException e) {
                throw translate("iterate " + table.name(), e);
            }
            return false;
        }

        public K key() {
            return table.keyCodec().decode(it.key());
        }

        public V value() {
            return table.valueCodec().decode(it.value());
        }

        public void next() {
            it.next();
        }
    }

    /** The changes of one atomic write. */
    @FunctionalInterface
    public interface BatchBody {
        void fill(Batch batch);
    }

    /** Typed puts and deletes collected into one atomic write. */
    public final class Batch {
        private final WriteBatch batch;

        private Batch(WriteBatch batch) {
            this.batch = batch;
        }

        public <K, V> Batch put(Table<K, V> table, K key, V value) {
            try {
                batch.put(handle(table), table.keyCodec().encode(key), table.valueCodec().encode(value));
            } catch (RocksDBException e) {
                throw translate("batch put into " + table.name(), e);
            }
            return this;
        }

        public <K, V> Batch delete(Table<K, V> table, K key) {
            try {
                batch.delete(handle(table), table.keyCodec().encode(key));
            } catch (RocksDBException e) {
                throw translate("batch delete from " + table.name(), e);
            }
            return this;
        }
    }
}

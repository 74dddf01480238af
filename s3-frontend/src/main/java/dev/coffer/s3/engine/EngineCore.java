package dev.coffer.s3.engine;

import dev.coffer.auth.store.KeyValueStore;
import dev.coffer.auth.store.StoreException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/** What the engine's operations share: the metadata store, the data files, the locks and the lookups they all need. */
final class EngineCore {
    private static final System.Logger LOG = System.getLogger(EngineCore.class.getName());

    final KeyValueStore meta;
    final DataFiles files;
    final StripedLocks locks = new StripedLocks();
    final EngineOptions options;

    EngineCore(KeyValueStore meta, DataFiles files, EngineOptions options) {
        this.meta = meta;
        this.files = files;
        this.options = options;
    }

    /** Runs an operation with the metadata store's failures translated into the engine's one exception. */
    static <T> T guarded(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (StoreException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(StoreException e) {
        return switch (e.kind()) {
            case CORRUPT -> new EngineException(EngineException.Kind.CORRUPT, "metadata store is corrupt", e);
            case CLOSED -> new IllegalStateException("object store is closed", e);
            case IO, BUSY -> new EngineException(EngineException.Kind.IO, "metadata store failed", e);
        };
    }

    /** For changes that replace a key's object record or end one of its uploads. */
    <T> T exclusiveKey(String bucket, String key, Supplier<T> body) {
        return guarded(() -> locked(locks.bucket(bucket).readLock(), () -> locked(locks.key(bucket, key).writeLock(), body)));
    }

    /** For changes inside a bucket that need no key lock. */
    <T> T sharedBucket(String bucket, Supplier<T> body) {
        return guarded(() -> locked(locks.bucket(bucket).readLock(), body));
    }

    /** For creating, deleting or reconfiguring the bucket itself. */
    <T> T exclusiveBucket(String bucket, Supplier<T> body) {
        StorageKeys.bucket(bucket);
        return guarded(() -> locked(locks.bucket(bucket).writeLock(), body));
    }

    static <T> T locked(Lock lock, Supplier<T> body) {
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The object record a change is about to replace or delete. An unreadable one is replaced all
     * the same (reads of it fail closed, but an overwrite or delete is how an operator gets rid of
     * it); its data cannot be freed now: its file is an orphan removed at the next open, and an
     * inline blob stays unreferenced (at most the inline threshold).
     */
    Optional<StoredObject> replacedObject(byte[] entry) {
        try {
            return meta.get(EngineTables.OBJECTS, entry);
        } catch (EngineException e) {
            if (e.kind() != EngineException.Kind.CORRUPT) {
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "replacing an unreadable object record; its data is freed at next open", e);
            return Optional.empty();
        }
    }

    /** Whether an object entry exists, without decoding it. */
    boolean objectExists(byte[] entry) {
        return meta.read(EngineTables.OBJECTS, cursor -> {
            cursor.seek(entry);
            return cursor.valid() && Arrays.equals(cursor.key(), entry);
        });
    }

    StoredBucket requireBucket(String bucket) {
        return meta.get(EngineTables.BUCKETS, StorageKeys.bucket(bucket))
                .orElseThrow(() -> new EngineException(EngineException.Kind.NO_SUCH_BUCKET, "no such bucket: " + bucket));
    }

    StoredUpload requireUpload(String bucket, String key, String uploadId) {
        StoredUpload upload = UploadIds.isWellFormed(uploadId)
                ? meta.get(EngineTables.UPLOADS, StorageKeys.upload(bucket, key, uploadId)).orElse(null)
                : null;
        if (upload == null) {
            requireBucket(bucket);
            throw new EngineException(EngineException.Kind.NO_SUCH_UPLOAD, "no such upload of " + bucket + "/" + key);
        }
        return upload;
    }

    /** The upload's parts by number, from one consistent view. */
    SortedMap<Integer, StoredPart> parts(String uploadId) {
        byte[] prefix = StorageKeys.partsPrefix(uploadId);
        return meta.read(EngineTables.PARTS, cursor -> {
            SortedMap<Integer, StoredPart> parts = new TreeMap<>();
            for (cursor.seek(prefix); cursor.valid() && StorageKeys.startsWith(cursor.key(), prefix); cursor.next()) {
                parts.put(StorageKeys.partNumber(cursor.key()), cursor.value());
            }
            return parts;
        });
    }

    /** Adds to the batch the removal of the inline blobs among {@code refs}; their files go after the commit. */
    static void dropInline(KeyValueStore.Batch batch, Collection<DataRef> refs) {
        for (DataRef ref : refs) {
            if (ref.location() == DataRef.Location.INLINE) {
                batch.delete(EngineTables.BLOBS, ref.id());
            }
        }
    }

    /** Unlinks the files among {@code refs}, which a committed batch has just stopped referring to. */
    void unlinkFiles(Collection<DataRef> refs) {
        for (DataRef ref : refs) {
            if (ref.location() == DataRef.Location.FILE) {
                files.delete(ref.id());
            }
        }
    }

    static void putSealed(KeyValueStore.Batch batch, SpillingObjectWriter.Sealed sealed) {
        if (sealed.inlineBytes() != null) {
            batch.put(EngineTables.BLOBS, sealed.ref().id(), sealed.inlineBytes());
        }
    }

    SpillingObjectWriter own(ObjectWriter data, String bucket) {
        if (!(data instanceof SpillingObjectWriter writer) || !writer.belongsTo(files, bucket)) {
            throw new IllegalArgumentException("the writer must come from newData(bucket) of this store, for this bucket");
        }
        return writer;
    }

    /** Names of the data files that committed object and part records refer to. */
    Set<String> referencedFileNames() {
        Set<String> names = new HashSet<>();
        meta.read(EngineTables.OBJECTS, cursor -> {
            for (cursor.seekToFirst(); cursor.valid(); cursor.next()) {
                addFileNames(names, cursor.value().data());
            }
            return null;
        });
        meta.read(EngineTables.PARTS, cursor -> {
            for (cursor.seekToFirst(); cursor.valid(); cursor.next()) {
                addFileNames(names, List.of(cursor.value().data()));
            }
            return null;
        });
        return names;
    }

    private static void addFileNames(Set<String> names, List<DataRef> refs) {
        for (DataRef ref : refs) {
            if (ref.location() == DataRef.Location.FILE) {
                names.add(ref.fileName());
            }
        }
    }

    static List<DataRef> refsOf(Collection<StoredPart> parts) {
        List<DataRef> refs = new ArrayList<>(parts.size());
        parts.forEach(p -> refs.add(p.data()));
        return refs;
    }
}

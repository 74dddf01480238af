package dev.coffer.s3.engine;

import dev.coffer.auth.store.KeyValueStore;
import dev.coffer.auth.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded engine: RocksDB ({@code <directory>/meta}) for records and small data, one file
 * per large object or part ({@code <directory>/data}). Every change is one synced RocksDB batch,
 * written after the data it refers to is durable; files it stops referring to are unlinked after
 * it commits. Format and crash-recovery argument: docs/formats/s3-engine-v1.md.
 */
public final class EmbeddedObjectStore implements ObjectStore {
    private static final System.Logger LOG = System.getLogger(EmbeddedObjectStore.class.getName());

    private final EngineCore core;
    private final MultipartUploads uploads;
    /** Bucket records by name, as read (absent names are not cached); see {@link #bucket}. */
    private final ConcurrentHashMap<String, BucketRecord> bucketCache = new ConcurrentHashMap<>();

    private EmbeddedObjectStore(EngineCore core) {
        this.core = core;
        this.uploads = new MultipartUploads(core);
    }

    /**
     * Opens (creating if needed) the store in {@code directory} and removes data files that no
     * record refers to: what crashed writes and interrupted unlinks left behind.
     */
    public static EmbeddedObjectStore open(Path directory, EngineOptions options) {
        Objects.requireNonNull(options, "options");
        KeyValueStore meta;
        try {
            Files.createDirectories(directory);
            // RocksDB's lock on meta/ is what keeps a second process out of data/ too.
            meta = KeyValueStore.open(directory.resolve("meta"), EngineTables.ALL);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.IO, "cannot create " + directory, e);
        } catch (StoreException e) {
            throw EngineCore.translate(e);
        }
        try {
            EngineCore core = new EngineCore(meta, DataFiles.open(directory.resolve("data")), options);
            removeOrphans(core);
            return new EmbeddedObjectStore(core);
        } catch (IOException e) {
            meta.close();
            throw new EngineException(EngineException.Kind.IO, "cannot open " + directory, e);
        } catch (StoreException e) {
            meta.close();
            throw EngineCore.translate(e);
        } catch (RuntimeException e) {
            meta.close();
            throw e;
        }
    }

    private static void removeOrphans(EngineCore core) throws IOException {
        Set<String> referenced;
        try {
            referenced = core.referencedFileNames();
        } catch (EngineException e) {
            if (e.kind() != EngineException.Kind.CORRUPT) {
                throw e;
            }
            // A record we cannot read may refer to any file: deleting none is the only safe choice.
            LOG.log(System.Logger.Level.WARNING, "a metadata record is corrupt; unreferenced data files are kept", e);
            return;
        }
        int removed = core.files.deleteUnreferenced(referenced);
        if (removed > 0) {
            LOG.log(System.Logger.Level.INFO, "removed {0} unreferenced data files left by interrupted writes", removed);
        }
    }

    @Override
    public BucketRecord createBucket(String name, String ownerAccountId, String region, Instant createdAt) {
        BucketRecord created = new BucketRecord(name, ownerAccountId, region, createdAt, Map.of());
        byte[] key = StorageKeys.bucket(name);
        return core.exclusiveBucket(name, () -> {
            core.meta.get(EngineTables.BUCKETS, key).ifPresent(existing -> {
                throw EngineException.bucketAlreadyExists(name, existing.ownerAccountId());
            });
            core.meta.put(EngineTables.BUCKETS, key, new StoredBucket(ownerAccountId, region, createdAt, Map.of()));
            bucketCache.remove(name);
            return created;
        });
    }

    /**
     * Every S3 request looks its bucket up; bucket records change rarely. A writer drops the entry
     * after its write, and since a reader loads inside computeIfAbsent (holding the entry's bin), a
     * drop waits for a load in flight: no stale record outlives a change.
     */
    @Override
    public Optional<BucketRecord> bucket(String name) {
        return Optional.ofNullable(bucketCache.computeIfAbsent(name, n -> EngineCore.guarded(() ->
                core.meta.get(EngineTables.BUCKETS, StorageKeys.bucket(n)).map(b -> b.toRecord(n))).orElse(null)));
    }

    @Override
    public List<BucketRecord> buckets() {
        return EngineCore.guarded(() -> core.meta.read(EngineTables.BUCKETS, cursor -> {
            List<BucketRecord> all = new ArrayList<>();
            for (cursor.seekToFirst(); cursor.valid(); cursor.next()) {
                all.add(cursor.value().toRecord(StorageKeys.string(cursor.key())));
            }
            return all;
        }));
    }

    @Override
    public void deleteBucket(String name) {
        core.exclusiveBucket(name, () -> {
            core.requireBucket(name);
            byte[] prefix = StorageKeys.bucketPrefix(name);
            boolean hasObjects = core.meta.read(EngineTables.OBJECTS, cursor -> {
                cursor.seek(prefix);
                return cursor.valid() && StorageKeys.startsWith(cursor.key(), prefix);
            });
            if (hasObjects) {
                throw new EngineException(EngineException.Kind.BUCKET_NOT_EMPTY, "bucket " + name + " is not empty");
            }
            List<byte[]> uploadKeys = new ArrayList<>();
            List<String> uploadIds = new ArrayList<>();
            core.meta.read(EngineTables.UPLOADS, cursor -> {
                for (cursor.seek(prefix); cursor.valid() && StorageKeys.startsWith(cursor.key(), prefix); cursor.next()) {
                    uploadKeys.add(cursor.key());
                    uploadIds.add(StorageKeys.splitUpload(StorageKeys.tail(cursor.key(), prefix.length))[1]);
                }
                return null;
            });
            Map<String, Map<Integer, StoredPart>> parts = new LinkedHashMap<>();
            uploadIds.forEach(id -> parts.put(id, core.parts(id)));
            List<DataRef> freed = new ArrayList<>();
            parts.values().forEach(p -> freed.addAll(EngineCore.refsOf(p.values())));
            core.meta.write(batch -> {
                uploadKeys.forEach(k -> batch.delete(EngineTables.UPLOADS, k));
                parts.forEach((id, numbered) -> numbered.keySet().forEach(n -> batch.delete(EngineTables.PARTS, StorageKeys.part(id, n))));
                EngineCore.dropInline(batch, freed);
                batch.delete(EngineTables.BUCKETS, StorageKeys.bucket(name));
            });
            bucketCache.remove(name);
            core.unlinkFiles(freed);
            return null;
        });
    }

    @Override
    public BucketRecord setBucketConfiguration(String bucket, String kind, Optional<String> value) {
        Objects.requireNonNull(kind, "kind");
        return core.exclusiveBucket(bucket, () -> {
            StoredBucket current = core.requireBucket(bucket);
            Map<String, String> configurations = new LinkedHashMap<>(current.configurations());
            value.ifPresentOrElse(v -> configurations.put(kind, v), () -> configurations.remove(kind));
            StoredBucket updated = new StoredBucket(current.ownerAccountId(), current.region(), current.createdAt(), configurations);
            core.meta.put(EngineTables.BUCKETS, StorageKeys.bucket(bucket), updated);
            bucketCache.remove(bucket);
            return updated.toRecord(bucket);
        });
    }

    @Override
    public ObjectWriter newData(String bucket) {
        EngineCore.guarded(() -> core.requireBucket(bucket));
        return new SpillingObjectWriter(core.files, bucket, core.options.inlineThresholdBytes());
    }

    @Override
    public ObjectRecord putObject(String bucket, String key, String etag, ObjectAttributes attributes, Instant lastModified,
                                  ObjectWriter data, long size) {
        SpillingObjectWriter writer = core.own(data, bucket);
        byte[] entry = StorageKeys.object(bucket, key);
        requireFields(etag, attributes, lastModified);
        // Durable data first, outside the locks: the file fsync is the slow part and needs no lock.
        SpillingObjectWriter.Sealed sealed = writer.seal();
        StoredObject object = new StoredObject(size, etag, lastModified, attributes, List.of(), List.of(sealed.ref()));
        return core.exclusiveKey(bucket, key, () -> {
            core.requireBucket(bucket);
            Optional<StoredObject> previous = core.replacedObject(entry);
            writer.handOver();
            core.meta.write(batch -> {
                batch.put(EngineTables.OBJECTS, entry, object);
                EngineCore.putSealed(batch, sealed);
                previous.ifPresent(p -> EngineCore.dropInline(batch, p.data()));
            });
            previous.ifPresent(p -> core.unlinkFiles(p.data()));
            return object.toRecord(bucket, key);
        });
    }

    @Override
    public Optional<ObjectRecord> head(String bucket, String key) {
        return EngineCore.guarded(() -> {
            Optional<StoredObject> object = core.meta.get(EngineTables.OBJECTS, StorageKeys.object(bucket, key));
            if (object.isEmpty()) {
                core.requireBucket(bucket);
            }
            return object.map(o -> o.toRecord(bucket, key));
        });
    }

    @Override
    public Optional<ObjectHandle> open(String bucket, String key) {
        ReentrantReadWriteLock.ReadLock shared = core.locks.key(bucket, key).readLock();
        return EngineCore.guarded(() -> {
            shared.lock();
            try {
                Optional<StoredObject> object = core.meta.get(EngineTables.OBJECTS, StorageKeys.object(bucket, key));
                if (object.isEmpty()) {
                    core.requireBucket(bucket);
                    return Optional.empty();
                }
                return Optional.of(new EmbeddedObjectHandle(object.get().toRecord(bucket, key), openExtents(object.get().data())));
            } finally {
                shared.unlock();
            }
        });
    }

    /** Called with the key's lock held, so no file here can be unlinked before it is open. */
    private List<DataExtent> openExtents(List<DataRef> refs) {
        List<DataExtent> extents = new ArrayList<>(refs.size());
        try {
            for (DataRef ref : refs) {
                extents.add(switch (ref.location()) {
                    case INLINE -> new DataExtent.Inline(inlineBytes(ref));
                    case FILE -> new DataExtent.FileExtent(core.files.openForRead(ref), 0, ref.length());
                });
            }
            return extents;
        } catch (RuntimeException e) {
            EmbeddedObjectHandle.closeAll(extents);
            throw e;
        }
    }

    private byte[] inlineBytes(DataRef ref) {
        byte[] bytes = core.meta.get(EngineTables.BLOBS, ref.id())
                .orElseThrow(() -> new EngineException(EngineException.Kind.CORRUPT, "inline data " + ref + " is missing"));
        if (bytes.length != ref.length()) {
            throw new EngineException(EngineException.Kind.CORRUPT, "inline data " + ref + " holds " + bytes.length + " bytes");
        }
        return bytes;
    }

    @Override
    public boolean deleteObject(String bucket, String key) {
        byte[] entry = StorageKeys.object(bucket, key);
        return core.exclusiveKey(bucket, key, () -> {
            core.requireBucket(bucket);
            if (!core.objectExists(entry)) {
                return false;
            }
            Optional<StoredObject> previous = core.replacedObject(entry);
            core.meta.write(batch -> {
                batch.delete(EngineTables.OBJECTS, entry);
                previous.ifPresent(p -> EngineCore.dropInline(batch, p.data()));
            });
            previous.ifPresent(p -> core.unlinkFiles(p.data()));
            return true;
        });
    }

    @Override
    public ListPage listObjects(String bucket, String prefix, String delimiter, String startAfter, int maxKeys) {
        return EngineCore.guarded(() -> {
            core.requireBucket(bucket);
            return ObjectListing.list(core.meta, bucket, prefix, delimiter, startAfter, maxKeys);
        });
    }

    @Override
    public UploadRecord createUpload(String bucket, String key, ObjectAttributes attributes, Instant initiated) {
        return uploads.create(bucket, key, attributes, initiated);
    }

    @Override
    public Optional<UploadRecord> upload(String bucket, String key, String uploadId) {
        return uploads.find(bucket, key, uploadId);
    }

    @Override
    public PartRecord putPart(String bucket, String key, String uploadId, int partNumber, String etag,
                              Map<String, String> checksums, Instant lastModified, ObjectWriter data, long size) {
        return uploads.putPart(bucket, key, uploadId, partNumber, etag, checksums, lastModified, data, size);
    }

    @Override
    public List<PartRecord> parts(String bucket, String key, String uploadId) {
        return uploads.parts(bucket, key, uploadId);
    }

    @Override
    public ObjectRecord completeUpload(String bucket, String key, String uploadId, List<Integer> partNumbers, String etag,
                                       ObjectAttributes attributes, Instant lastModified) {
        return uploads.complete(bucket, key, uploadId, partNumbers, etag, attributes, lastModified);
    }

    @Override
    public void abortUpload(String bucket, String key, String uploadId) {
        uploads.abort(bucket, key, uploadId);
    }

    @Override
    public UploadsPage listUploads(String bucket, String prefix, String delimiter, String keyMarker, String uploadIdMarker,
                                   int maxUploads) {
        return EngineCore.guarded(() -> {
            core.requireBucket(bucket);
            return UploadListing.list(core.meta, bucket, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
        });
    }

    /** Handles already open stay readable; writers not yet committed can only be closed. */
    @Override
    public void close() {
        core.meta.close();
    }

    /** Names of the data files records refer to (for tests that check no orphan is left). */
    Set<String> referencedFileNames() {
        return EngineCore.guarded(core::referencedFileNames);
    }

    /** Checked before the data is sealed, so a bad call cannot leave a sealed file behind. */
    static void requireFields(String etag, ObjectAttributes attributes, Instant lastModified) {
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}

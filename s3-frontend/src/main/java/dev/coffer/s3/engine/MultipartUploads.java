package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Multipart uploads. Parts are stored like objects (inline or a file each); completing an upload
 * moves the chosen parts' data references into the object record in the same batch that deletes
 * the upload, so no byte is copied and no part is ever referenced twice.
 */
final class MultipartUploads {
    private final EngineCore core;

    MultipartUploads(EngineCore core) {
        this.core = core;
    }

    UploadRecord create(String bucket, String key, ObjectAttributes attributes, Instant initiated) {
        String uploadId = UploadIds.newId(initiated);
        UploadRecord record = new UploadRecord(bucket, key, uploadId, initiated, attributes);
        byte[] entry = StorageKeys.upload(bucket, key, uploadId);
        // Shared bucket lock: deleting the bucket cannot slip between the check and the write.
        return core.sharedBucket(bucket, () -> {
            core.requireBucket(bucket);
            core.meta.put(EngineTables.UPLOADS, entry, new StoredUpload(initiated, attributes));
            return record;
        });
    }

    Optional<UploadRecord> find(String bucket, String key, String uploadId) {
        return EngineCore.guarded(() -> {
            Optional<StoredUpload> upload = UploadIds.isWellFormed(uploadId)
                    ? core.meta.get(EngineTables.UPLOADS, StorageKeys.upload(bucket, key, uploadId))
                    : Optional.empty();
            if (upload.isEmpty()) {
                core.requireBucket(bucket);
            }
            return upload.map(u -> u.toRecord(bucket, key, uploadId));
        });
    }

    PartRecord putPart(String bucket, String key, String uploadId, int partNumber, String etag, Map<String, String> checksums,
                       Instant lastModified, ObjectWriter data, long size) {
        SpillingObjectWriter writer = core.own(data, bucket);
        StorageKeys.part(uploadId, partNumber); // rejects a bad part number before any data is sealed
        EmbeddedObjectStore.requireFields(etag, ObjectAttributes.empty(), lastModified);
        SpillingObjectWriter.Sealed sealed = writer.seal();
        StoredPart part = new StoredPart(size, etag, lastModified, checksums, sealed.ref());
        // Shared key lock: parts of one upload commit concurrently (their batches group-commit in
        // RocksDB); completing or aborting takes it exclusively. The part lock orders uploads of
        // the same part number.
        ReentrantReadWriteLock.ReadLock keyShared = core.locks.key(bucket, key).readLock();
        ReentrantLock samePart = core.locks.part(uploadId, partNumber);
        return core.sharedBucket(bucket, () -> EngineCore.locked(keyShared, () -> EngineCore.locked(samePart,
                () -> commitPart(bucket, key, uploadId, partNumber, part, writer))));
    }

    private PartRecord commitPart(String bucket, String key, String uploadId, int partNumber, StoredPart part,
                                  SpillingObjectWriter writer) {
        core.requireUpload(bucket, key, uploadId);
        byte[] entry = StorageKeys.part(uploadId, partNumber);
        Optional<StoredPart> previous = core.meta.get(EngineTables.PARTS, entry);
        SpillingObjectWriter.Sealed sealed = writer.seal();
        writer.handOver();
        core.meta.write(batch -> {
            batch.put(EngineTables.PARTS, entry, part);
            EngineCore.putSealed(batch, sealed);
            previous.ifPresent(p -> EngineCore.dropInline(batch, List.of(p.data())));
        });
        previous.ifPresent(p -> core.unlinkFiles(List.of(p.data())));
        return part.toRecord(partNumber);
    }

    List<PartRecord> parts(String bucket, String key, String uploadId) {
        return EngineCore.guarded(() -> {
            core.requireUpload(bucket, key, uploadId);
            List<PartRecord> out = new ArrayList<>();
            core.parts(uploadId).forEach((n, p) -> out.add(p.toRecord(n)));
            return out;
        });
    }

    ObjectRecord complete(String bucket, String key, String uploadId, List<Integer> partNumbers, String etag,
                          ObjectAttributes attributes, Instant lastModified) {
        if (partNumbers.isEmpty() || new HashSet<>(partNumbers).size() != partNumbers.size()) {
            throw new IllegalArgumentException("completing an upload needs at least one part and distinct part numbers");
        }
        EmbeddedObjectStore.requireFields(etag, attributes, lastModified);
        byte[] objectEntry = StorageKeys.object(bucket, key);
        return core.exclusiveKey(bucket, key, () -> {
            core.requireUpload(bucket, key, uploadId);
            SortedMap<Integer, StoredPart> uploaded = core.parts(uploadId);
            List<PartInfo> infos = new ArrayList<>();
            List<DataRef> data = new ArrayList<>();
            long size = 0;
            for (int n : partNumbers) {
                StoredPart part = uploaded.get(n);
                if (part == null) {
                    throw new EngineException(EngineException.Kind.INVALID_PART, "part " + n + " of the upload was never uploaded");
                }
                infos.add(part.toInfo(n));
                data.add(part.data());
                size += part.size();
            }
            StoredObject object = new StoredObject(size, etag, lastModified, attributes, infos, data);
            Set<Integer> listed = new HashSet<>(partNumbers);
            List<DataRef> freed = new ArrayList<>();
            uploaded.forEach((n, p) -> {
                if (!listed.contains(n)) {
                    freed.add(p.data());
                }
            });
            core.replacedObject(objectEntry).ifPresent(previous -> freed.addAll(previous.data()));
            core.meta.write(batch -> {
                batch.put(EngineTables.OBJECTS, objectEntry, object);
                batch.delete(EngineTables.UPLOADS, StorageKeys.upload(bucket, key, uploadId));
                uploaded.keySet().forEach(n -> batch.delete(EngineTables.PARTS, StorageKeys.part(uploadId, n)));
                EngineCore.dropInline(batch, freed);
            });
            core.unlinkFiles(freed);
            return object.toRecord(bucket, key);
        });
    }

    void abort(String bucket, String key, String uploadId) {
        core.exclusiveKey(bucket, key, () -> {
            core.requireUpload(bucket, key, uploadId);
            SortedMap<Integer, StoredPart> uploaded = core.parts(uploadId);
            List<DataRef> freed = EngineCore.refsOf(uploaded.values());
            core.meta.write(batch -> {
                batch.delete(EngineTables.UPLOADS, StorageKeys.upload(bucket, key, uploadId));
                uploaded.keySet().forEach(n -> batch.delete(EngineTables.PARTS, StorageKeys.part(uploadId, n)));
                EngineCore.dropInline(batch, freed);
            });
            core.unlinkFiles(freed);
            return null;
        });
    }
}

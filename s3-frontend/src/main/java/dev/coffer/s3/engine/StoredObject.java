package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.List;

/**
 * The value of an object entry: the record's fields and where its bytes are (one reference for a
 * single PUT, one per part, in order, for a completed upload).
 */
record StoredObject(long size, String etag, Instant lastModified, ObjectAttributes attributes, List<PartInfo> parts,
                    List<DataRef> data) {
    StoredObject {
        parts = List.copyOf(parts);
        data = List.copyOf(data);
        long total = data.stream().mapToLong(DataRef::length).sum();
        boolean shapeFits = parts.isEmpty() ? data.size() == 1 : data.size() == parts.size();
        if (!shapeFits || total != size) {
            throw new EngineException(EngineException.Kind.CORRUPT, "object record's data references do not add up to its size");
        }
    }

    ObjectRecord toRecord(String bucket, String key) {
        return new ObjectRecord(bucket, key, size, etag, lastModified, attributes, parts);
    }

    ObjectSummary toSummary(String key) {
        return new ObjectSummary(key, size, etag, lastModified, attributes.ownerAccountId(),
                List.copyOf(attributes.checksums().keySet()));
    }
}

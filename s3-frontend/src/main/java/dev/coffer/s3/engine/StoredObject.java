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
        boolean shapeFits = parts.isEmpty() ? data.size() == 1 : data.size() == parts.size();
        if (!shapeFits || !sizesFit(size, attributes, parts, data)) {
            throw new EngineException(EngineException.Kind.CORRUPT, "object record's data references do not add up to its size");
        }
    }

    /**
     * Plain objects store exactly their bytes; encrypted ones (an envelope) store more than they
     * hold (stream headers and tags), part by part.
     */
    private static boolean sizesFit(long size, ObjectAttributes attributes, List<PartInfo> parts, List<DataRef> data) {
        boolean encrypted = attributes.envelope() != null;
        long stored = data.stream().mapToLong(DataRef::length).sum();
        if (parts.isEmpty()) {
            return encrypted ? size <= stored : size == stored;
        }
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            long partSize = parts.get(i).size();
            long partStored = data.get(i).length();
            if (encrypted ? partSize > partStored : partSize != partStored) {
                return false;
            }
            total += partSize;
        }
        return total == size;
    }

    ObjectRecord toRecord(String bucket, String key) {
        return new ObjectRecord(bucket, key, size, etag, lastModified, attributes, parts);
    }

    ObjectSummary toSummary(String key) {
        return new ObjectSummary(key, size, etag, lastModified, attributes.ownerAccountId(),
                List.copyOf(attributes.checksums().keySet()));
    }
}

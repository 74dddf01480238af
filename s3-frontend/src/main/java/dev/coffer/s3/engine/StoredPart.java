package dev.coffer.s3.engine;

import java.time.Instant;
import java.util.Map;

/** The value of a part entry: the part's fields and where its bytes are. */
record StoredPart(long size, String etag, Instant lastModified, Map<String, String> checksums, DataRef data) {
    StoredPart {
        checksums = Copies.orderedMap(checksums, "checksum");
        // An encrypted part stores more than it holds (stream header and tags); a plain one exactly that.
        if (size < 0 || data.length() < size) {
            throw new EngineException(EngineException.Kind.CORRUPT, "part record's data reference does not match its size");
        }
    }

    PartRecord toRecord(int partNumber) {
        return new PartRecord(partNumber, size, etag, lastModified, checksums);
    }

    PartInfo toInfo(int partNumber) {
        return new PartInfo(partNumber, size, etag, checksums);
    }
}

package dev.coffer.s3.engine;

import java.time.Instant;

/** The value of an upload entry (bucket, key and upload id are the key). */
record StoredUpload(Instant initiated, ObjectAttributes attributes) {
    UploadRecord toRecord(String bucket, String key, String uploadId) {
        return new UploadRecord(bucket, key, uploadId, initiated, attributes);
    }
}

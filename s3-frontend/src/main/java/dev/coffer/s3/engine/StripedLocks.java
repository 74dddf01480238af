package dev.coffer.s3.engine;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The engine's locks, striped so memory stays fixed however many keys there are. Order, always:
 * bucket, then key, then part. Bucket: shared by every change inside the bucket, exclusive to
 * create, delete or reconfigure it (so a bucket cannot be deleted under a write). Key: shared by
 * readers opening an object and by part uploads, exclusive to whatever swaps the object record or
 * ends an upload, so a reader has opened its files before they can be unlinked. Part: serialises
 * two uploads of the same part number.
 */
final class StripedLocks {
    private static final int STRIPES = 1024;

    private final ReentrantReadWriteLock[] buckets = readWriteLocks();
    private final ReentrantReadWriteLock[] keys = readWriteLocks();
    private final ReentrantLock[] parts = new ReentrantLock[STRIPES];

    StripedLocks() {
        for (int i = 0; i < STRIPES; i++) {
            parts[i] = new ReentrantLock();
        }
    }

    ReentrantReadWriteLock bucket(String bucket) {
        return buckets[index(bucket.hashCode())];
    }

    ReentrantReadWriteLock key(String bucket, String key) {
        return keys[index(bucket.hashCode() * 31 + key.hashCode())];
    }

    ReentrantLock part(String uploadId, int partNumber) {
        return parts[index(uploadId.hashCode() * 31 + partNumber)];
    }

    private static int index(int hash) {
        int spread = hash ^ (hash >>> 16);
        return Math.floorMod(spread * 0x9E3779B9, STRIPES);
    }

    private static ReentrantReadWriteLock[] readWriteLocks() {
        ReentrantReadWriteLock[] locks = new ReentrantReadWriteLock[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantReadWriteLock();
        }
        return locks;
    }
}

package dev.coffer.blockstore.engine;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A space in memory: its stored record, its current epoch, and the lock that makes a snapshot
 * point-in-time. Writers hold the read lock from choosing the epoch until their batch is written; a
 * snapshot (and closing a device) holds the write lock while it pins the epoch and bumps it, so
 * every write lands wholly before or wholly after it.
 */
final class Space {
    final long id;
    final int blockSize;
    final Optional<String> bindingId;
    /** The view this space falls back to for blocks it has no record of; null for a root space. */
    final Space parent;
    final long parentEpoch;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile long epoch;

    Space(SpaceRecord record, Space parent) {
        this.id = record.spaceId();
        this.blockSize = record.blockSize();
        this.bindingId = record.bindingId();
        this.parent = parent;
        this.parentEpoch = record.parentEpoch();
        this.epoch = record.epoch();
    }

    long epoch() {
        return epoch;
    }

    void epoch(long newEpoch) {
        epoch = newEpoch;
    }

    SpaceRecord record() {
        return new SpaceRecord(id, blockSize, epoch, parent == null ? 0 : parent.id, parentEpoch, bindingId);
    }

    /** The view of the live volume: every record of this space (whatever the epoch), then the parent chain. */
    View head() {
        return at(Long.MAX_VALUE);
    }

    /** The view at {@code bound}: this space's records of epoch at most {@code bound}, then the parent chain. */
    View at(long bound) {
        int depth = 0;
        for (Space s = this; s != null; s = s.parent) {
            depth++;
        }
        long[] spaces = new long[depth];
        long[] bounds = new long[depth];
        long b = bound;
        int i = 0;
        for (Space s = this; s != null; s = s.parent) {
            spaces[i] = s.id;
            bounds[i] = b;
            b = s.parentEpoch;
            i++;
        }
        return new View(spaces, bounds);
    }
}

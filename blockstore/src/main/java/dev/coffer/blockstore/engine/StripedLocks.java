package dev.coffer.blockstore.engine;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-block locks for read-modify-write of partial blocks, striped so memory stays fixed. Two
 * writers of different bytes of one block (on two NBD connections) serialise on its stripe, so
 * neither overwrites the other's bytes with stale ones.
 */
final class StripedLocks {
    private static final int STRIPES = 1024;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    StripedLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    int stripe(long blockIndex) {
        long h = blockIndex * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 54);
    }

    /** Locks the stripes of two blocks (the same block twice is fine) in a fixed order so two callers never deadlock. */
    void lock(long a, long b) {
        int sa = stripe(a);
        int sb = stripe(b);
        locks[Math.min(sa, sb)].lock();
        if (sa != sb) {
            locks[Math.max(sa, sb)].lock();
        }
    }

    void unlock(long a, long b) {
        int sa = stripe(a);
        int sb = stripe(b);
        if (sa != sb) {
            locks[Math.max(sa, sb)].unlock();
        }
        locks[Math.min(sa, sb)].unlock();
    }
}

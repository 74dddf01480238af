package dev.coffer.s3.engine;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for directory fsyncs. A new file's name is durable only once its directory has been
 * synced by an fsync that started after the file was created. Concurrent writers share syncs: a
 * caller waits for the next sync to start after its call (joining one already queued by others) and
 * runs it itself only if nobody is running one, so N concurrent commits cost about two fsyncs of
 * latency and far fewer than N fsyncs.
 */
final class DirectorySync {
    /** The fsync itself; a fake in tests. */
    @FunctionalInterface
    interface Syncer {
        void sync() throws IOException;
    }

    private final Syncer syncer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private long started;
    private long completed;
    private boolean running;

    DirectorySync(Syncer syncer) {
        this.syncer = syncer;
    }

    /**
     * Returns once a sync that started after this call has completed. Call it after creating (and
     * forcing) the file. A failed sync fails the caller that ran it; waiters then run another.
     */
    void awaitSyncStartedAfterNow() throws IOException {
        lock.lock();
        try {
            long needed = started + 1;
            while (completed < needed) {
                if (running) {
                    finished.awaitUninterruptibly();
                    continue;
                }
                running = true;
                long mine = ++started;
                boolean ok = false;
                lock.unlock();
                try {
                    syncer.sync();
                    ok = true;
                } finally {
                    lock.lock();
                    running = false;
                    if (ok) {
                        completed = mine;
                    }
                    finished.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}

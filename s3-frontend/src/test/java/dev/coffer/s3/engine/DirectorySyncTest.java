package dev.coffer.s3.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DirectorySyncTest {
    /** A directory fsync that blocks until the test lets it finish, and counts how often it ran. */
    static final class GatedSyncer implements DirectorySync.Syncer {
        final Semaphore release = new Semaphore(0);
        final Semaphore entered = new Semaphore(0);
        final AtomicInteger runs = new AtomicInteger();
        volatile boolean failNext;

        @Override
        public void sync() throws IOException {
            runs.incrementAndGet();
            entered.release();
            release.acquireUninterruptibly();
            if (failNext) {
                failNext = false;
                throw new IOException("disk said no");
            }
        }
    }

    @Test
    void callersThatArriveDuringASyncShareTheNextOne() throws Exception {
        GatedSyncer syncer = new GatedSyncer();
        DirectorySync sync = new DirectorySync(syncer);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> first = executor.submit(() -> call(sync));
            assertThat(syncer.entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> later = new ArrayList<>();
            CountDownLatch submitted = new CountDownLatch(8);
            for (int i = 0; i < 8; i++) {
                later.add(executor.submit(() -> {
                    submitted.countDown();
                    call(sync);
                }));
            }
            submitted.await();
            Thread.sleep(100);
            syncer.release.release();
            first.get(10, TimeUnit.SECONDS);
            assertThat(syncer.entered.tryAcquire(10, TimeUnit.SECONDS)).as("one second sync starts").isTrue();
            Thread.sleep(100);
            assertThat(later).as("a sync that started before them does not count").noneMatch(Future::isDone);
            syncer.release.release();
            for (Future<?> f : later) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(syncer.runs).hasValue(2);
    }

    @Test
    void aFailedSyncFailsItsRunnerAndTheOthersRunAnother() throws Exception {
        GatedSyncer syncer = new GatedSyncer();
        DirectorySync sync = new DirectorySync(syncer);
        syncer.failNext = true;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> failing = executor.submit(() -> {
                sync.awaitSyncStartedAfterNow();
                return null;
            });
            assertThat(syncer.entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            syncer.release.release(2);
            assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
            Future<?> next = executor.submit(() -> call(sync));
            next.get(10, TimeUnit.SECONDS);
        }
        assertThat(syncer.runs).hasValue(2);
    }

    private static void call(DirectorySync sync) {
        try {
            sync.awaitSyncStartedAfterNow();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

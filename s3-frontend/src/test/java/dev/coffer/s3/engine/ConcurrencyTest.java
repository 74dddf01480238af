package dev.coffer.s3.engine;

import static dev.coffer.s3.engine.EngineFixture.T0;
import static dev.coffer.s3.engine.EngineFixture.THRESHOLD;
import static dev.coffer.s3.engine.EngineFixture.content;
import static dev.coffer.s3.engine.EngineFixture.dataFiles;
import static dev.coffer.s3.engine.EngineFixture.put;
import static dev.coffer.s3.engine.EngineFixture.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many virtual threads on one store, as the S3 handlers will call it. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ConcurrencyTest {
    @TempDir
    Path dir;
    EmbeddedObjectStore store;
    ExecutorService executor;

    @BeforeEach
    void open() {
        store = EngineFixture.open(dir);
        store.createBucket("b", "1", "us-east-1", T0);
        executor = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterEach
    void close() {
        executor.close();
        store.close();
    }

    /** Version v is v's low byte repeated; the size alternates across the inline threshold. */
    private static byte[] version(int v) {
        byte[] bytes = new byte[v % 2 == 0 ? THRESHOLD / 2 + v : 3 * THRESHOLD + v];
        Arrays.fill(bytes, (byte) v);
        return bytes;
    }

    @Test
    void readersSeeOneWholeVersionWhileWritersOverwrite() throws Exception {
        AtomicInteger nextVersion = new AtomicInteger(0);
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        Runnable writeNextVersion = () -> {
            int v = nextVersion.getAndIncrement();
            byte[] bytes = version(v);
            try (ObjectWriter writer = store.newData("b")) {
                writer.write(bytes, 0, bytes.length / 2);
                writer.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
                store.putObject("b", "hot", "v" + v, ObjectAttributes.empty(), T0, writer);
            }
        };
        writeNextVersion.run();
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            writers.add(executor.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    writeNextVersion.run();
                }
            }));
        }
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            readers.add(executor.submit(() -> {
                while (writing.get()) {
                    try (ObjectHandle handle = store.open("b", "hot").orElseThrow()) {
                        int v = Integer.parseInt(handle.record().etag().substring(1));
                        byte[] seen = handle.openStream(0, handle.record().size()).readAllBytes();
                        if (!Arrays.equals(seen, version(v))) {
                            problems.add("read of version " + v + " returned other bytes");
                        }
                        reads.incrementAndGet();
                    } catch (Exception e) {
                        problems.add(e.toString());
                        return;
                    }
                    // Virtual threads are not time-sliced: a reader that never blocks would keep
                    // the writers off this machine's two carriers (real handlers block on the network).
                    Thread.yield();
                }
            }));
        }
        try {
            for (Future<?> f : writers) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
        }
        for (Future<?> f : readers) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(problems).isEmpty();
        assertThat(reads.get()).isPositive();
        int last = Integer.parseInt(store.head("b", "hot").orElseThrow().etag().substring(1));
        assertThat(read(store, "b", "hot")).isEqualTo(version(last));
        assertThat(dataFiles(dir)).as("every replaced version's file is freed").hasSizeLessThanOrEqualTo(1);
        assertThat(dataFiles(dir)).isEqualTo(store.referencedFileNames());
    }

    @Test
    void concurrentPutsToManyKeysAllLand() throws Exception {
        List<Future<?>> tasks = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            tasks.add(executor.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    put(store, "b", "t" + thread + "/k" + i, content(i * 500, thread * 100L + i));
                }
            }));
        }
        for (Future<?> f : tasks) {
            f.get(120, TimeUnit.SECONDS);
        }
        ListPage page = store.listObjects("b", null, null, null, 1000);
        assertThat(page.objects()).hasSize(160);
        for (int t = 0; t < 16; t++) {
            for (int i = 0; i < 10; i++) {
                assertThat(read(store, "b", "t" + t + "/k" + i)).isEqualTo(content(i * 500, t * 100L + i));
            }
        }
    }

    @Test
    void partsOfOneUploadArriveConcurrently() throws Exception {
        UploadRecord upload = store.createUpload("b", "big", ObjectAttributes.empty(), T0);
        List<Future<?>> tasks = new ArrayList<>();
        for (int n = 1; n <= 12; n++) {
            int part = n;
            tasks.add(executor.submit(() -> EngineFixture.putPart(store, "b", "big", upload.uploadId(), part,
                    content(part * 400, part))));
            tasks.add(executor.submit(() -> EngineFixture.putPart(store, "b", "big", upload.uploadId(), part,
                    content(part * 400, part))));
        }
        for (Future<?> f : tasks) {
            f.get(120, TimeUnit.SECONDS);
        }
        List<Integer> numbers = new ArrayList<>();
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (int n = 1; n <= 12; n++) {
            numbers.add(n);
            expected.writeBytes(content(n * 400, n));
        }
        assertThat(store.parts("b", "big", upload.uploadId())).hasSize(12);
        store.completeUpload("b", "big", upload.uploadId(), numbers, "e-12", ObjectAttributes.empty(), T0);
        assertThat(read(store, "b", "big")).isEqualTo(expected.toByteArray());
        assertThat(dataFiles(dir)).as("each re-sent part freed its twin").isEqualTo(store.referencedFileNames());
    }

    @Test
    void aBucketIsNeverDeletedUnderAWrite() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger deletions = new AtomicInteger();
        Future<?> deleter = executor.submit(() -> {
            while (running.get()) {
                try {
                    store.deleteBucket("b");
                    deletions.incrementAndGet();
                    store.createBucket("b", "1", "us-east-1", T0);
                } catch (EngineException e) {
                    assertThat(e.kind()).isIn(EngineException.Kind.BUCKET_NOT_EMPTY, EngineException.Kind.NO_SUCH_BUCKET);
                }
            }
        });
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            writers.add(executor.submit(() -> {
                for (int i = 0; i < 30; i++) {
                    try {
                        put(store, "b", "k" + thread, content(2000, i));
                        store.deleteObject("b", "k" + thread);
                    } catch (EngineException e) {
                        assertThat(e.kind()).isEqualTo(EngineException.Kind.NO_SUCH_BUCKET);
                    }
                }
            }));
        }
        try {
            for (Future<?> f : writers) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
        }
        deleter.get(60, TimeUnit.SECONDS);
        if (store.bucket("b").isEmpty()) {
            store.createBucket("b", "1", "us-east-1", T0);
        }
        assertThat(store.listObjects("b", null, null, null, 100).objects()).as("no object outlived its bucket").isEmpty();
        assertThat(dataFiles(dir)).isEmpty();
    }
}

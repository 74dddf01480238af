package dev.coffer.s3.engine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The child process of {@link CrashRecoveryTest}: writes objects (single PUTs across the inline
 * threshold, and multipart uploads that leave a part out) in a loop on several threads and prints
 * {@code ACK <key> <generation>} once each write has returned, until it is killed. Every generation
 * determines its content, so the parent can check what survived.
 */
final class CrashingWriter {
    static final String BUCKET = "crash";
    private static final int[] SIZES = {0, 100, EngineFixture.THRESHOLD, EngineFixture.THRESHOLD + 1, 5000, 70_000};

    private CrashingWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int round = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        EmbeddedObjectStore store = EngineFixture.open(dir);
        if (store.bucket(BUCKET).isEmpty()) {
            store.createBucket(BUCKET, "1", "us-east-1", EngineFixture.T0);
        }
        PrintStream out = System.out;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                for (long i = 0; ; i++) {
                    long generation = round * 1_000_000_000L + thread * 10_000_000L + i;
                    String key = "t" + thread + "/k" + (i % 5);
                    write(store, key, generation);
                    synchronized (out) {
                        out.println("ACK " + key + " " + generation);
                        out.flush();
                    }
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
    }

    static boolean isMultipart(long generation) {
        return generation % 4 == 3;
    }

    static byte[] partContent(long generation, int partNumber) {
        return EngineFixture.content(SIZES[(int) ((generation + partNumber) % SIZES.length)], generation * 10 + partNumber);
    }

    /** What generation {@code g} wrote: one PUT, or parts 1 and 3 of an upload that also had part 2. */
    static byte[] expected(long generation) {
        if (!isMultipart(generation)) {
            return EngineFixture.content(SIZES[(int) (generation % SIZES.length)], generation);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(partContent(generation, 1));
        out.writeBytes(partContent(generation, 3));
        return out.toByteArray();
    }

    private static void write(EmbeddedObjectStore store, String key, long generation) {
        ObjectAttributes attributes = new ObjectAttributes(null, null, Map.of("generation", Long.toString(generation)), null, null,
                null, null);
        String etag = EngineFixture.md5(expected(generation));
        if (!isMultipart(generation)) {
            EngineFixture.put(store, BUCKET, key, expected(generation), attributes);
            return;
        }
        UploadRecord upload = store.createUpload(BUCKET, key, attributes, EngineFixture.T0);
        for (int part = 1; part <= 3; part++) {
            EngineFixture.putPart(store, BUCKET, key, upload.uploadId(), part, partContent(generation, part));
        }
        store.completeUpload(BUCKET, key, upload.uploadId(), List.of(1, 3), etag, attributes, EngineFixture.T0);
    }
}

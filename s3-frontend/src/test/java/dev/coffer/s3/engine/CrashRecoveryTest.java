package dev.coffer.s3.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of writing: every acknowledged write is there, intact, after reopening;
 * nothing half-written is visible; no unreferenced data file is left. The child is killed at a
 * random moment, three times over the same directory, so recovery also runs on recovered state.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CrashRecoveryTest {
    private static final int ROUNDS = 3;

    @TempDir
    Path temp;
    private Path dir;

    @Test
    void acknowledgedWritesSurviveKillNine() throws Exception {
        dir = temp.resolve("store");
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Random random = new Random();
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 40 + random.nextInt(120);
            runAndKill(round, killAfter, random.nextInt(20), acknowledged);
            verify(acknowledged);
        }
    }

    private void runAndKill(int round, int killAfterAcks, int extraMillis, Map<String, Long> acknowledged) throws Exception {
        Path stderr = temp.resolve("child-" + round + ".err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), dir.toString(),
                Integer.toString(round), "3")
                .redirectError(stderr.toFile())
                .start();
        AtomicInteger acks = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    String[] f = line.split(" ");
                    if (f.length == 3 && f[0].equals("ACK")) {
                        acknowledged.merge(f[1], Long.parseLong(f[2]), Math::max);
                        acks.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // The stream ends with the child; lines read before that are all that counts.
            }
        });
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (acks.get() < killAfterAcks) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                child.destroyForcibly();
                fail("child stopped or stalled after " + acks.get() + " acknowledgements: " + Files.readString(stderr));
            }
            Thread.sleep(1);
        }
        Thread.sleep(extraMillis);
        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join();
        assertThat(child.exitValue()).as("killed, not exited").isNotZero();
    }

    private void verify(Map<String, Long> acknowledged) throws IOException {
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            for (var entry : acknowledged.entrySet()) {
                ObjectRecord record = store.head(CrashingWriter.BUCKET, entry.getKey())
                        .orElseThrow(() -> new AssertionError("acknowledged " + entry + " is gone"));
                long generation = Long.parseLong(record.attributes().userMetadata().get("generation"));
                assertThat(generation).as("%s: not older than acknowledged", entry.getKey()).isGreaterThanOrEqualTo(entry.getValue());
            }
            for (ObjectSummary summary : store.listObjects(CrashingWriter.BUCKET, null, null, null, 1000).objects()) {
                ObjectRecord record = store.head(CrashingWriter.BUCKET, summary.key()).orElseThrow();
                long generation = Long.parseLong(record.attributes().userMetadata().get("generation"));
                byte[] expected = CrashingWriter.expected(generation);
                assertThat(EngineFixture.read(store, CrashingWriter.BUCKET, summary.key())).as("%s bytes", summary.key())
                        .isEqualTo(expected);
                assertThat(record.etag()).isEqualTo(EngineFixture.md5(expected));
                assertThat(record.parts()).hasSize(CrashingWriter.isMultipart(generation) ? 2 : 0);
            }
            assertThat(EngineFixture.dataFiles(dir)).as("no unreferenced or temporary files")
                    .isEqualTo(store.referencedFileNames());
            UploadsPage abandoned = store.listUploads(CrashingWriter.BUCKET, null, null, null, null, 1000);
            for (UploadRecord upload : abandoned.uploads()) {
                List<PartRecord> parts = store.parts(CrashingWriter.BUCKET, upload.key(), upload.uploadId());
                assertThat(parts).extracting(PartRecord::partNumber).isSubsetOf(1, 2, 3);
                store.abortUpload(CrashingWriter.BUCKET, upload.key(), upload.uploadId());
            }
        }
    }
}

package dev.coffer.s3.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Helpers the engine tests share: deterministic content, MD5 ETags, one-call put and read, the data directory's files. */
final class EngineFixture {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    /** Small, so tests cross the inline/file boundary with small arrays. */
    static final int THRESHOLD = 1024;

    private EngineFixture() {
    }

    static EmbeddedObjectStore open(Path dir) {
        return EmbeddedObjectStore.open(dir, new EngineOptions(THRESHOLD));
    }

    static byte[] content(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static ObjectRecord put(ObjectStore store, String bucket, String key, byte[] bytes) {
        return put(store, bucket, key, bytes, ObjectAttributes.empty());
    }

    static ObjectRecord put(ObjectStore store, String bucket, String key, byte[] bytes, ObjectAttributes attributes) {
        try (ObjectWriter writer = store.newData(bucket)) {
            writer.write(bytes);
            return store.putObject(bucket, key, md5(bytes), attributes, T0, writer);
        }
    }

    static PartRecord putPart(ObjectStore store, String bucket, String key, String uploadId, int partNumber, byte[] bytes) {
        try (ObjectWriter writer = store.newData(bucket)) {
            writer.write(bytes);
            return store.putPart(bucket, key, uploadId, partNumber, md5(bytes), java.util.Map.of(), T0, writer);
        }
    }

    static byte[] read(ObjectStore store, String bucket, String key) {
        try (ObjectHandle handle = store.open(bucket, key).orElseThrow()) {
            return handle.openStream(0, handle.record().size()).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file in the data directory, by name. */
    static Set<String> dataFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir.resolve("data"))) {
            return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertFails(EngineException.Kind kind, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EngineException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.kind()).isEqualTo(kind));
    }
}

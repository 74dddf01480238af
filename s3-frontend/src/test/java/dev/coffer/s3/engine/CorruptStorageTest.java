package dev.coffer.s3.engine;

import static dev.coffer.s3.engine.EngineFixture.T0;
import static dev.coffer.s3.engine.EngineFixture.assertFails;
import static dev.coffer.s3.engine.EngineFixture.content;
import static dev.coffer.s3.engine.EngineFixture.dataFiles;
import static dev.coffer.s3.engine.EngineFixture.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.auth.store.Codec;
import dev.coffer.auth.store.KeyValueStore;
import dev.coffer.auth.store.Table;
import dev.coffer.s3.engine.EngineException.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tampered or damaged storage fails closed: CORRUPT, never wrong bytes and never a silent success. */
class CorruptStorageTest {
    private static final Table<byte[], byte[]> RAW_OBJECTS = raw("objects");
    private static final Table<byte[], byte[]> RAW_BLOBS = raw("blobs");
    private static final List<Table<?, ?>> RAW_TABLES =
            List.of(raw("buckets"), RAW_OBJECTS, raw("uploads"), raw("parts"), RAW_BLOBS);

    @TempDir
    Path dir;

    private static Table<byte[], byte[]> raw(String name) {
        return new Table<>(name, Codec.bytes(), Codec.bytes());
    }

    /** Changes stored bytes behind the engine's back, with the engine closed. */
    private void tamper(Table<byte[], byte[]> table, byte[] key, UnaryOperator<byte[]> change) {
        try (KeyValueStore meta = KeyValueStore.open(dir.resolve("meta"), RAW_TABLES)) {
            byte[] value = meta.get(table, key).orElseThrow();
            byte[] changed = change.apply(value);
            if (changed == null) {
                meta.delete(table, key);
            } else {
                meta.put(table, key, changed);
            }
        }
    }

    private void storeWith(String key, byte[] bytes) {
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            store.bucket("b").ifPresentOrElse(b -> { }, () -> store.createBucket("b", "1", "us-east-1", T0));
            put(store, "b", key, bytes);
        }
    }

    @Test
    void aRecordWithAFlippedByteIsCorruptOnEveryReadPath() {
        storeWith("k", content(100, 1));
        tamper(RAW_OBJECTS, StorageKeys.object("b", "k"), v -> {
            v[v.length / 2] ^= 0x10;
            return v;
        });
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            assertFails(Kind.CORRUPT, () -> store.head("b", "k"));
            assertFails(Kind.CORRUPT, () -> store.open("b", "k"));
            assertFails(Kind.CORRUPT, () -> store.listObjects("b", null, null, null, 10));
        }
    }

    @Test
    void anUnreadableObjectCanStillBeOverwrittenOrDeleted() {
        storeWith("over", content(5000, 1));
        storeWith("gone", content(6000, 2));
        tamper(RAW_OBJECTS, StorageKeys.object("b", "over"), v -> new byte[] {1});
        tamper(RAW_OBJECTS, StorageKeys.object("b", "gone"), v -> new byte[] {2});
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            put(store, "b", "over", content(10, 3));
            assertThat(EngineFixture.read(store, "b", "over")).isEqualTo(content(10, 3));
            assertThat(store.deleteObject("b", "gone")).isTrue();
            assertThat(store.head("b", "gone")).isEmpty();
            assertThat(dataFiles(dir)).as("their files could not be freed yet").hasSize(2);
        }
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            assertThat(dataFiles(dir)).as("the next open removes them").isEmpty();
        }
    }

    @Test
    void anUnreadableRecordKeepsEveryDataFileAtOpen() throws IOException {
        storeWith("large", content(5000, 1));
        storeWith("k", content(10, 2));
        Files.write(dir.resolve("data").resolve("00000000000000000000000000000000.data"), new byte[3]);
        tamper(RAW_OBJECTS, StorageKeys.object("b", "k"), v -> new byte[] {1, 2, 3});
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            assertThat(dataFiles(dir)).as("the unreadable record might refer to any of them").hasSize(2);
            assertThat(EngineFixture.read(store, "b", "large")).isEqualTo(content(5000, 1));
        }
    }

    @Test
    void aMissingDataFileIsCorrupt() throws IOException {
        storeWith("k", content(5000, 1));
        Files.delete(dir.resolve("data").resolve(dataFiles(dir).iterator().next()));
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            assertThat(store.head("b", "k")).isPresent();
            assertFails(Kind.CORRUPT, () -> store.open("b", "k"));
        }
    }

    @Test
    void aDataFileOfTheWrongLengthIsCorrupt() throws IOException {
        storeWith("short", content(5000, 1));
        Path file = dir.resolve("data").resolve(dataFiles(dir).iterator().next());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(4999);
        }
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            assertFails(Kind.CORRUPT, () -> store.open("b", "short"));
        }
        Files.write(file, new byte[5001]);
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            assertFails(Kind.CORRUPT, () -> store.open("b", "short"));
        }
    }

    @Test
    void missingOrResizedInlineDataIsCorrupt() {
        storeWith("k", content(10, 1));
        byte[][] blobKey = new byte[1][];
        try (KeyValueStore meta = KeyValueStore.open(dir.resolve("meta"), RAW_TABLES)) {
            meta.read(RAW_BLOBS, cursor -> {
                cursor.seekToFirst();
                blobKey[0] = cursor.key();
                return null;
            });
        }
        tamper(RAW_BLOBS, blobKey[0], v -> new byte[9]);
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            assertFails(Kind.CORRUPT, () -> store.open("b", "k"));
        }
        tamper(RAW_BLOBS, blobKey[0], v -> null);
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            assertFails(Kind.CORRUPT, () -> store.open("b", "k"));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFailsWithoutTouchingIt() {
        try (EmbeddedObjectStore store = EngineFixture.open(dir)) {
            store.createBucket("b", "1", "us-east-1", T0);
            put(store, "b", "k", content(5000, 1));
            assertFails(Kind.IO, () -> EngineFixture.open(dir));
            assertThat(dataFiles(dir)).hasSize(1);
        }
    }
}

package dev.coffer.s3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.engine.EmbeddedObjectStore;
import dev.coffer.s3.engine.EngineOptions;
import dev.coffer.s3.engine.ObjectAttributes;
import dev.coffer.s3.engine.ObjectHandle;
import dev.coffer.s3.engine.ObjectRecord;
import dev.coffer.s3.engine.ObjectWriter;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted objects in the real engine: sealed on the way in (EncryptingWriter), and any range read
 * back across parts and segments (ObjectPlaintext), with sizes recorded as plaintext sizes.
 */
class ObjectPlaintextTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int SEGMENT = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    java.nio.file.Path dir;
    EmbeddedObjectStore store;
    final SecretBytes dataKey = SecretBytes.random(32, RANDOM);
    final byte[] envelope = SseEnvelope.customerKey(SEGMENT, new byte[32], new byte[32]).encode();

    @BeforeEach
    void open() {
        store = EmbeddedObjectStore.open(dir, new EngineOptions(4096));
        store.createBucket("b", "1", "us-east-1", T0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private ObjectWriter sealed(String key, int partNumber, byte[] plaintext) {
        ObjectWriter writer = store.newData("b");
        try (EncryptingWriter enc = new EncryptingWriter(writer, dataKey, ObjectKeys.associatedData("b", key, partNumber),
                plaintext.length, SEGMENT, RANDOM)) {
            for (int off = 0; off < plaintext.length; off += 777) {
                enc.write(plaintext, off, Math.min(777, plaintext.length - off));
            }
            enc.finish();
        }
        return writer;
    }

    private byte[] read(String key, long first, long length) throws IOException {
        try (ObjectHandle handle = store.open("b", key).orElseThrow();
             InputStream in = ObjectPlaintext.open(handle, dataKey, first, length)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aSinglePutObjectReadsWholeAndInAnyRange() throws IOException {
        for (int size : new int[] {0, 1, SEGMENT - 1, SEGMENT, 3000, 10_000}) {
            byte[] data = content(size, size);
            String key = "k" + size;
            try (ObjectWriter w = sealed(key, 0, data)) {
                ObjectRecord r = store.putObject("b", key, "e", ObjectAttributes.empty().withEnvelope(envelope), T0, w, size);
                assertThat(r.size()).isEqualTo(size);
                assertThat(w.bytesWritten()).isGreaterThan(size);
            }
            assertThat(read(key, 0, size)).isEqualTo(data);
            if (size > 10) {
                assertThat(read(key, 3, size - 7)).isEqualTo(Arrays.copyOfRange(data, 3, size - 4));
            }
        }
    }

    @Test
    void aMultipartObjectReadsAcrossPartBoundaries() throws IOException {
        String id = store.createUpload("b", "mp", ObjectAttributes.empty().withEnvelope(envelope), T0).uploadId();
        byte[][] parts = {content(5000, 1), content(100, 2), content(2048, 3)};
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            int number = i * 2 + 1;
            numbers.add(number);
            try (ObjectWriter w = sealed("mp", number, parts[i])) {
                store.putPart("b", "mp", id, number, "e" + i, Map.of(), T0, w, parts[i].length);
            }
        }
        ObjectRecord done = store.completeUpload("b", "mp", id, numbers, "e-3", ObjectAttributes.empty().withEnvelope(envelope), T0);
        byte[] all = new byte[5000 + 100 + 2048];
        System.arraycopy(parts[0], 0, all, 0, 5000);
        System.arraycopy(parts[1], 0, all, 5000, 100);
        System.arraycopy(parts[2], 0, all, 5100, 2048);
        assertThat(done.size()).isEqualTo(all.length);
        assertThat(read("mp", 0, all.length)).isEqualTo(all);
        assertThat(read("mp", 4990, 200)).isEqualTo(Arrays.copyOfRange(all, 4990, 5190));
        assertThat(read("mp", 5000, 100)).isEqualTo(parts[1]);
    }

    @Test
    void aPartBoundToAnotherKeyOrNumberDoesNotDecrypt() {
        byte[] data = content(2000, 9);
        try (ObjectWriter w = sealed("other-key", 0, data)) {
            store.putObject("b", "k", "e", ObjectAttributes.empty().withEnvelope(envelope), T0, w, data.length);
        }
        assertThatThrownBy(() -> read("k", 0, data.length)).isInstanceOf(IOException.class);
    }

    @Test
    void aStoredStreamWhoseSizeDisagreesWithTheRecordIsRefused() {
        byte[] data = content(2000, 9);
        try (ObjectWriter w = sealed("k", 0, data)) {
            store.putObject("b", "k", "e", ObjectAttributes.empty().withEnvelope(envelope), T0, w, data.length - 1);
        }
        assertThatThrownBy(() -> read("k", 0, data.length - 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("record says");
    }
}

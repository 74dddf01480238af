package dev.coffer.crypto.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.stream.ObjectStreamTamperKit.ValidStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStreamReaderTest {

    @Test
    void rangesOutsideThePlaintextAreRefused() throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(5000);
        try (ObjectStreamReader reader = open(stream, stream.ciphertext())) {
            assertThatThrownBy(() -> reader.openRange(-1, 10)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> reader.openRange(0, 5001)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> reader.openRange(20, 10)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(reader.openRange(5000, 5000).read()).isEqualTo(-1);
        }
    }

    @Test
    void closedRangeStreamRefusesFurtherReads() throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(5000);
        try (ObjectStreamReader reader = open(stream, stream.ciphertext())) {
            InputStream in = reader.openRange(0, 5000);
            assertThat(in.read()).isEqualTo(stream.plaintext()[0] & 0xff);
            in.close();
            assertThatThrownBy(in::read).isInstanceOf(IOException.class);
        }
    }

    /**
     * Random access cannot see a truncation at a segment boundary after the range it reads (the
     * class documents this); the stored plaintext size is what exposes it, and any read that
     * reaches the new end is refused.
     */
    @Test
    void truncationAtASegmentBoundaryShowsAsAShorterPlaintextAndFailsAtTheNewEnd() throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(3072);
        byte[] truncated = Arrays.copyOf(stream.ciphertext(), stream.segmentEnd(1));
        try (ObjectStreamReader reader = open(stream, truncated)) {
            assertThat(reader.plaintextSize()).isEqualTo(2048).isNotEqualTo(stream.plaintext().length);
            assertThat(reader.openRange(0, 1024).readAllBytes()).isEqualTo(Arrays.copyOf(stream.plaintext(), 1024));
            assertThatThrownBy(() -> reader.openRange(1024, 2048).readAllBytes())
                    .isInstanceOf(CiphertextRejectedException.class);
        }
    }

    @Test
    void readsRangesFromAFileWithoutMovingTheChannelPosition(@TempDir Path dir) throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(5000);
        Path file = dir.resolve("object");
        Files.write(file, stream.ciphertext());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             ObjectStreamReader reader = ObjectStreamReader.open(stream.dataKey(), stream.associatedData(),
                     CiphertextSource.of(channel), channel.size())) {
            assertThat(reader.openRange(1000, 4100).readAllBytes())
                    .isEqualTo(Arrays.copyOfRange(stream.plaintext(), 1000, 4100));
            assertThat(reader.openAll().readAllBytes()).isEqualTo(stream.plaintext());
            assertThat(channel.position()).isZero();
        }
    }

    @Test
    void readsAStreamStoredInsideALargerFileAndNothingOutsideItsWindow(@TempDir Path dir) throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(5000);
        byte[] padded = new byte[stream.ciphertext().length + 200];
        System.arraycopy(stream.ciphertext(), 0, padded, 100, stream.ciphertext().length);
        Path file = dir.resolve("parts");
        Files.write(file, padded);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CiphertextSource window = CiphertextSource.of(channel, 100, stream.ciphertext().length);
            try (ObjectStreamReader reader = ObjectStreamReader.open(stream.dataKey(), stream.associatedData(), window,
                    stream.ciphertext().length)) {
                assertThat(reader.openAll().readAllBytes()).isEqualTo(stream.plaintext());
            }
            byte[] one = new byte[1];
            assertThatThrownBy(() -> window.readFully(stream.ciphertext().length, one, 0, 1)).isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> window.readFully(-1, one, 0, 1)).isInstanceOf(EOFException.class);
            assertThatThrownBy(() -> CiphertextSource.of(channel, 0, padded.length + 10).readFully(padded.length, one, 0, 1))
                    .isInstanceOf(EOFException.class);
        }
    }

    @Test
    void sourceShorterThanTheDeclaredSizeSurfacesAsEndOfFileNotAsPlaintext() throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(3072);
        byte[] shorter = Arrays.copyOf(stream.ciphertext(), stream.segmentEnd(1));
        try (ObjectStreamReader reader = ObjectStreamReader.open(stream.dataKey(), stream.associatedData(),
                CiphertextSource.of(shorter), stream.ciphertext().length)) {
            assertThat(reader.openRange(0, 1024).readAllBytes()).hasSize(1024);
            assertThatThrownBy(() -> reader.openRange(2048, 3072).readAllBytes()).isInstanceOf(EOFException.class);
        }
    }

    private static ObjectStreamReader open(ValidStream stream, byte[] ciphertext) throws IOException {
        return ObjectStreamReader.open(stream.dataKey(), stream.associatedData(), CiphertextSource.of(ciphertext),
                ciphertext.length);
    }
}

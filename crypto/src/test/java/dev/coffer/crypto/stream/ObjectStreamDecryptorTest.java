package dev.coffer.crypto.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.ByteSink;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.stream.ObjectStreamTamperKit.ValidStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What the tamper matrix does not cover: the push decryptor's behaviour across calls. */
class ObjectStreamDecryptorTest {

    /**
     * A caller that swallows the rejection of an extended stream and calls finish() anyway must not
     * get the plaintext of the segment that was just refused: a rejected decryptor stays rejected.
     */
    @Test
    void extensionAttackCannotBeCompletedByFinishingAfterTheRejection() throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(2048);
        byte[] extended = Arrays.copyOf(stream.ciphertext(), stream.ciphertext().length + 1);
        ByteArrayOutputStream released = new ByteArrayOutputStream();
        ObjectStreamDecryptor decryptor = new ObjectStreamDecryptor(stream.dataKey(), stream.associatedData());

        assertThatThrownBy(() -> decryptor.update(extended, 0, extended.length, ByteSink.of(released)))
                .isInstanceOf(CiphertextRejectedException.class);
        int releasedBeforeFinish = released.size();
        assertThatThrownBy(() -> decryptor.finish(ByteSink.of(released))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> decryptor.update(extended, 0, 1, ByteSink.of(released)))
                .isInstanceOf(IllegalStateException.class);

        assertThat(released.size()).isEqualTo(releasedBeforeFinish).isEqualTo(1024);
    }

    @Test
    void tamperedSegmentStaysRefusedWhenTheCallerRetries() throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(3072);
        byte[] tampered = stream.ciphertext().clone();
        tampered[stream.segmentStart(1)] ^= 1;
        ByteArrayOutputStream released = new ByteArrayOutputStream();
        ObjectStreamDecryptor decryptor = new ObjectStreamDecryptor(stream.dataKey(), stream.associatedData());
        int upToSegment2 = stream.segmentStart(2);

        assertThatThrownBy(() -> decryptor.update(tampered, 0, upToSegment2 + 1, ByteSink.of(released)))
                .isInstanceOf(CiphertextRejectedException.class);
        assertThatThrownBy(() -> decryptor.update(tampered, upToSegment2 + 1, tampered.length - upToSegment2 - 1,
                ByteSink.of(released))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> decryptor.finish(ByteSink.of(released))).isInstanceOf(IllegalStateException.class);
        assertThat(released.size()).isEqualTo(1024);
    }

    @Test
    void releasesASegmentOnlyOnceTheNextByteShowsItIsNotTheLast() throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(2048);
        byte[] ct = stream.ciphertext();
        ByteArrayOutputStream released = new ByteArrayOutputStream();
        try (ObjectStreamDecryptor decryptor = new ObjectStreamDecryptor(stream.dataKey(), stream.associatedData())) {
            decryptor.update(ct, 0, stream.segmentEnd(0), ByteSink.of(released));
            assertThat(released.size()).as("segment 0 might still be the last one").isZero();

            decryptor.update(ct, stream.segmentEnd(0), 1, ByteSink.of(released));
            assertThat(released.size()).isEqualTo(1024);

            decryptor.update(ct, stream.segmentEnd(0) + 1, ct.length - stream.segmentEnd(0) - 1, ByteSink.of(released));
            assertThat(released.size()).as("the final segment waits for finish()").isEqualTo(1024);

            decryptor.finish(ByteSink.of(released));
        }
        assertThat(released.toByteArray()).isEqualTo(stream.plaintext());
    }

    @Test
    void finishingWithoutAnyInputIsRejectedAsTruncated() {
        ValidStream stream = ObjectStreamTamperKit.validStream(0);
        ObjectStreamDecryptor decryptor = new ObjectStreamDecryptor(stream.dataKey(), stream.associatedData());

        assertThatThrownBy(() -> decryptor.finish((b, o, l) -> { }))
                .isInstanceOfSatisfying(CiphertextRejectedException.class, e -> assertThat(e.reason())
                        .isEqualTo(CiphertextRejectedException.Reason.TRUNCATED_OR_EXTENDED));
    }

    @Test
    void updateAfterFinishIsRefused() throws IOException {
        ValidStream stream = ObjectStreamTamperKit.validStream(10);
        ObjectStreamDecryptor decryptor = new ObjectStreamDecryptor(stream.dataKey(), stream.associatedData());
        decryptor.update(stream.ciphertext(), 0, stream.ciphertext().length, (b, o, l) -> { });
        decryptor.finish((b, o, l) -> { });

        assertThatThrownBy(() -> decryptor.update(new byte[1], 0, 1, (b, o, l) -> { }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> decryptor.finish((b, o, l) -> { })).isInstanceOf(IllegalStateException.class);
    }
}

package dev.coffer.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.auth.sigv4.SdkChunkedRequests.SignedChunkedPut;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies framed and signed by the AWS SDK v2 (a second, independent opinion) decode to the bytes the
 * SDK was given, in all three modes and at sizes around the SDK's 128 KiB chunk: empty, one byte, a
 * 1-byte last chunk, exact multiples. The test encoder is checked byte for byte against the SDK here.
 */
class AwsChunkedSdkTest {
    private static final int CHUNK = SdkChunkedRequests.SDK_CHUNK_SIZE_BYTES;

    static Stream<Arguments> modesAndSizes() {
        int[] sizes = {0, 1, 1000, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 17};
        return Stream.of(StreamingPayloadMode.STREAMING_SIGNED, StreamingPayloadMode.STREAMING_SIGNED_TRAILER,
                        StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER)
                .flatMap(mode -> java.util.Arrays.stream(sizes).mapToObj(size -> Arguments.of(mode, size)));
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("modesAndSizes")
    void decodesWhatTheSdkSigned(StreamingPayloadMode mode, int size) throws Exception {
        byte[] data = data(size);
        SignedChunkedPut put = SdkChunkedRequests.sign(mode, data);
        assertThat(put.decodedLengthBytes()).isEqualTo(size);

        AwsChunkedInputStream big = put.decoder(new ByteArrayInputStream(put.body()));
        assertThat(big.readAllBytes()).isEqualTo(data);
        AwsChunkedInputStream oneByOne = put.decoder(new ByteArrayInputStream(put.body()));
        assertThat(readByteByByte(oneByOne)).isEqualTo(data);
        AwsChunkedInputStream trickled = put.decoder(new TrickleInputStream(put.body(), 7));
        assertThat(readInArraysOf(trickled, 100_003)).isEqualTo(data);

        if (mode.trailer()) {
            assertThat(put.trailerHeader()).isEqualTo("x-amz-checksum-crc32");
            assertThat(big.trailers()).containsExactly(Map.entry("x-amz-checksum-crc32", crc32Base64(data)));
            assertThat(oneByOne.trailers()).isEqualTo(big.trailers());
        } else {
            assertThat(big.trailers()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @MethodSource("modesAndSizes")
    void testEncoderFramesExactlyAsTheSdkDoes(StreamingPayloadMode mode, int size) throws Exception {
        byte[] data = data(size);
        SignedChunkedPut put = SdkChunkedRequests.sign(mode, data);
        Map<String, String> trailers = mode.trailer() ? Map.of("x-amz-checksum-crc32", crc32Base64(data)) : Map.of();
        AwsChunkedBodies.Body ours = mode.signedChunks()
                ? AwsChunkedBodies.encode(data, CHUNK, SdkChunkedRequests.signingKey(), put.signing().amzDate(),
                        put.signing().scope(), put.signing().seedSignature(), trailers)
                : AwsChunkedBodies.unsigned(data, CHUNK, trailers);
        assertThat(new String(ours.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(put.body(), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    static byte[] data(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    static String crc32Base64(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        long v = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    static byte[] readByteByByte(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            out.write(b);
        }
        return out.toByteArray();
    }

    static byte[] readInArraysOf(InputStream in, int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[size];
        for (int n = in.read(buffer, 3, size - 3); n >= 0; n = in.read(buffer, 3, size - 3)) {
            out.write(buffer, 3, n);
        }
        return out.toByteArray();
    }

    /** Hands out at most {@code step} bytes per read, as a slow network does. */
    static final class TrickleInputStream extends ByteArrayInputStream {
        private final int step;

        TrickleInputStream(byte[] bytes, int step) {
            super(bytes);
            this.step = step;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, step));
        }
    }
}

package dev.coffer.auth.sigv4;

import static dev.coffer.auth.sigv4.AwsChunkedBodies.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.auth.sigv4.AwsChunkedBodies.Body;
import dev.coffer.auth.sigv4.AwsChunkedBodies.Chunk;
import dev.coffer.auth.sigv4.AwsChunkedException.Kind;
import dev.coffer.crypto.SecretBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way an aws-chunked body can be forged, cut, padded or misframed, each refused with its Kind. */
class AwsChunkedTamperTest {
    private static final byte[] KEY = SdkChunkedRequests.signingKey();
    private static final String AMZ_DATE = "20261128T120000Z";
    private static final String SCOPE = "20261128/us-east-1/s3/aws4_request";
    private static final String SEED = AwsChunkedBodies.sha256(ascii("seed"), 0, 4);
    private static final String OTHER_SEED = AwsChunkedBodies.sha256(ascii("other request"), 0, 13);
    private static final int CHUNK = 4096;
    /** Two full chunks and a short one. */
    private static final byte[] DATA = AwsChunkedSdkTest.data(2 * CHUNK + 1808);
    private static final String CRC = AwsChunkedSdkTest.crc32Base64(DATA);
    private static final Map<String, String> CHECKSUM = Map.of("x-amz-checksum-crc32", CRC);

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, CHUNK, 100_000})
    void decodesAnyChunkSizeIncludingOneByte(int chunkSizeBytes) throws IOException {
        assertThat(decoded(signed(DATA, chunkSizeBytes, SEED, Map.of()), StreamingPayloadMode.STREAMING_SIGNED)).isEqualTo(DATA);
        AwsChunkedInputStream trailer = decoder(signed(DATA, chunkSizeBytes, SEED, CHECKSUM).bytes(),
                StreamingPayloadMode.STREAMING_SIGNED_TRAILER, DATA.length);
        assertThat(trailer.readAllBytes()).isEqualTo(DATA);
        assertThat(trailer.trailers()).isEqualTo(CHECKSUM);
        assertThat(decoded(AwsChunkedBodies.unsigned(DATA, chunkSizeBytes, CHECKSUM), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER))
                .isEqualTo(DATA);
    }

    @Test
    void decodesAnEmptyBodyInEveryMode() throws IOException {
        byte[] empty = new byte[0];
        assertThat(decoded(signed(empty, CHUNK, SEED, Map.of()), StreamingPayloadMode.STREAMING_SIGNED)).isEmpty();
        assertThat(decoded(signed(empty, CHUNK, SEED, CHECKSUM), StreamingPayloadMode.STREAMING_SIGNED_TRAILER)).isEmpty();
        assertThat(decoded(AwsChunkedBodies.unsigned(empty, CHUNK, Map.of()), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER)).isEmpty();
    }

    @Test
    void rejectsChunkWhoseDataWasFlipped() {
        Body body = signed(DATA, CHUNK, SEED, Map.of());
        byte[] bytes = body.bytes();
        bytes[body.dataChunks().get(0).framed().length + 100] ^= 0x01;
        assertRefused(bytes, StreamingPayloadMode.STREAMING_SIGNED, Kind.CHUNK_SIGNATURE_MISMATCH);
    }

    @Test
    void bytesOfAForgedChunkArriveButTheStreamNeverEndsCleanly() throws IOException {
        Body body = signed(DATA, CHUNK, SEED, Map.of());
        byte[] bytes = body.bytes();
        bytes[body.dataChunks().get(0).framed().length + 100] ^= 0x01;
        AwsChunkedInputStream in = decoder(bytes, StreamingPayloadMode.STREAMING_SIGNED, DATA.length);
        ByteArrayOutputStream handedOut = new ByteArrayOutputStream();
        byte[] buffer = new byte[1000];
        assertThatThrownBy(() -> {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                handedOut.write(buffer, 0, n);
            }
        }).isInstanceOfSatisfying(AwsChunkedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CHUNK_SIGNATURE_MISMATCH));
        // The forged chunk streamed through whole; the next chunk never started.
        assertThat(handedOut.size()).isEqualTo(2 * CHUNK);
        assertThatThrownBy(in::read).isInstanceOf(AwsChunkedException.class);
        assertThatThrownBy(in::trailers).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsChunkCarryingAnotherChunksSignature() {
        Body body = signed(DATA, CHUNK, SEED, Map.of());
        Chunk first = body.dataChunks().get(0);
        Chunk second = body.dataChunks().get(1);
        String forged = new String(second.framed(), StandardCharsets.ISO_8859_1).replace(second.signature(), first.signature());
        List<Chunk> chunks = new ArrayList<>(body.dataChunks());
        chunks.set(1, new Chunk(forged.getBytes(StandardCharsets.ISO_8859_1), first.signature()));
        assertRefused(new Body(chunks, body.finalPart()).bytes(), StreamingPayloadMode.STREAMING_SIGNED, Kind.CHUNK_SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsReorderedChunks() {
        Body body = signed(DATA, CHUNK, SEED, Map.of());
        List<Chunk> swapped = new ArrayList<>(body.dataChunks());
        swapped.set(0, body.dataChunks().get(1));
        swapped.set(1, body.dataChunks().get(0));
        assertRefused(new Body(swapped, body.finalPart()).bytes(), StreamingPayloadMode.STREAMING_SIGNED, Kind.CHUNK_SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsDroppedChunkEvenWhenTheDeclaredLengthMatches() {
        Body body = signed(DATA, CHUNK, SEED, Map.of());
        List<Chunk> dropped = new ArrayList<>(body.dataChunks());
        dropped.remove(1);
        assertRefused(new Body(dropped, body.finalPart()).bytes(), StreamingPayloadMode.STREAMING_SIGNED,
                DATA.length - CHUNK, Kind.CHUNK_SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsBodyCutShortWithAForgedFinalChunk() {
        Body body = signed(DATA, CHUNK, SEED, Map.of());
        byte[] first = body.dataChunks().get(0).framed();
        byte[] cut = concat(first, ascii("0;chunk-signature=" + body.dataChunks().get(0).signature() + "\r\n\r\n"));
        assertRefused(cut, StreamingPayloadMode.STREAMING_SIGNED, CHUNK, Kind.CHUNK_SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsChunksSplicedFromAnotherRequest() {
        byte[] other = signed(DATA, CHUNK, OTHER_SEED, Map.of()).bytes();
        assertRefused(other, StreamingPayloadMode.STREAMING_SIGNED, Kind.CHUNK_SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsSignedChunksReplayedWithTheirSignaturesStripped() {
        // Downgrade: the same data sent as unsigned chunks to a request that declared signed ones.
        byte[] unsigned = AwsChunkedBodies.unsigned(DATA, CHUNK, Map.of()).bytes();
        assertRefused(unsigned, StreamingPayloadMode.STREAMING_SIGNED, Kind.MALFORMED);
    }

    @ParameterizedTest
    @EnumSource(value = StreamingPayloadMode.class, names = "STREAMING_.*", mode = EnumSource.Mode.MATCH_ALL)
    void rejectsEveryTruncationOfTheBody(StreamingPayloadMode mode) {
        byte[] small = AwsChunkedSdkTest.data(11);
        byte[] whole = body(mode, small, 4).bytes();
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(whole, length);
            assertRefused(cut, mode, small.length, Kind.INCOMPLETE_BODY);
        }
    }

    @Test
    void rejectsForgedChecksumInASignedTrailer() {
        Body body = signed(DATA, CHUNK, SEED, CHECKSUM);
        String finalPart = new String(body.finalPart(), StandardCharsets.US_ASCII).replace(CRC, "AAAAAA==");
        assertRefused(new Body(body.dataChunks(), ascii(finalPart)).bytes(), StreamingPayloadMode.STREAMING_SIGNED_TRAILER,
                Kind.TRAILER_SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsTrailerSmuggledInBeforeTheTrailerSignature() {
        Body body = signed(DATA, CHUNK, SEED, CHECKSUM);
        String finalPart = new String(body.finalPart(), StandardCharsets.US_ASCII)
                .replace("x-amz-trailer-signature:", "x-amz-checksum-sha256:AAAA\r\nx-amz-trailer-signature:");
        assertRefused(new Body(body.dataChunks(), ascii(finalPart)).bytes(), StreamingPayloadMode.STREAMING_SIGNED_TRAILER,
                Kind.TRAILER_SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsTrailerAppendedAfterTheTrailerSignature() {
        Body body = signed(DATA, CHUNK, SEED, CHECKSUM);
        byte[] finalPart = body.finalPart();
        byte[] appended = concat(java.util.Arrays.copyOf(finalPart, finalPart.length - 2), ascii("x-amz-checksum-sha256:AAAA\r\n\r\n"));
        assertRefused(new Body(body.dataChunks(), appended).bytes(), StreamingPayloadMode.STREAMING_SIGNED_TRAILER, Kind.MALFORMED);
    }

    @Test
    void rejectsSignedTrailerWithoutItsSignature() {
        Body body = signed(DATA, CHUNK, SEED, CHECKSUM);
        String finalPart = new String(body.finalPart(), StandardCharsets.US_ASCII).replaceAll("x-amz-trailer-signature:[0-9a-f]{64}\r\n", "");
        assertRefused(new Body(body.dataChunks(), ascii(finalPart)).bytes(), StreamingPayloadMode.STREAMING_SIGNED_TRAILER,
                Kind.TRAILER_SIGNATURE_MISMATCH);
    }

    @Test
    void rejectsTrailerSignatureChainedFromAnotherBody() {
        Body body = signed(DATA, CHUNK, SEED, CHECKSUM);
        Body other = signed(DATA, CHUNK, OTHER_SEED, CHECKSUM);
        String ours = new String(body.finalPart(), StandardCharsets.US_ASCII);
        String theirs = new String(other.finalPart(), StandardCharsets.US_ASCII);
        String mixed = ours.substring(0, ours.indexOf("x-amz-trailer-signature:")) + theirs.substring(theirs.indexOf("x-amz-trailer-signature:"));
        assertRefused(new Body(body.dataChunks(), ascii(mixed)).bytes(), StreamingPayloadMode.STREAMING_SIGNED_TRAILER,
                Kind.TRAILER_SIGNATURE_MISMATCH);
    }

    @ParameterizedTest
    @EnumSource(value = StreamingPayloadMode.class, names = "STREAMING_.*", mode = EnumSource.Mode.MATCH_ALL)
    void rejectsBytesAfterTheFinalChunk(StreamingPayloadMode mode) {
        byte[] whole = body(mode, DATA, CHUNK).bytes();
        assertRefused(concat(whole, ascii("x")), mode, Kind.MALFORMED);
        assertRefused(concat(whole, whole), mode, Kind.MALFORMED);
    }

    @Test
    void rejectsOversizedHeaderLineWithoutReadingItAll() {
        String huge = "1;chunk-signature=" + "0".repeat(10_000) + "\r\n";
        assertRefused(ascii(huge), StreamingPayloadMode.STREAMING_SIGNED, Kind.MALFORMED);
        CountingEndlessHex endless = new CountingEndlessHex();
        AwsChunkedInputStream in = new AwsChunkedInputStream(endless, StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, null, 10);
        assertThatThrownBy(in::read).isInstanceOfSatisfying(AwsChunkedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.MALFORMED));
        assertThat(endless.served).isLessThanOrEqualTo(AwsChunkedInputStream.MAX_LINE_BYTES + AwsChunkedInputStream.READ_BUFFER_BYTES);
    }

    @Test
    void rejectsOversizedTrailerLine() {
        byte[] body = AwsChunkedBodies.unsigned(DATA, CHUNK, Map.of("x-amz-checksum-crc32", "A".repeat(5000))).bytes();
        assertRefused(body, StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, Kind.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "", " 5", "5 ", "+5", "-5", "0x5", "5\t", "\u00b55", "\u0665"})
    void rejectsChunkSizeThatIsNotBareHex(String size) {
        byte[] body = concat(size.getBytes(StandardCharsets.ISO_8859_1), ascii("\r\nhello\r\n0\r\n\r\n"));
        assertRefused(body, StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8000000000000000", "ffffffffffffffff", "10000000000000000", "00000000000000005"})
    void rejectsChunkSizeThatOverflowsALong(String size) {
        assertRefused(ascii(size + "\r\nhello\r\n0\r\n\r\n"), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.MALFORMED);
    }

    @Test
    void rejectsChunkLargerThanTheDeclaredLengthBeforeReadingIt() {
        assertRefused(ascii("7fffffffffffffff\r\n"), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.DECODED_LENGTH_MISMATCH);
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 1})
    void rejectsDecodedLengthOtherThanDeclared(long difference) {
        for (StreamingPayloadMode mode : chunkedModes()) {
            assertRefused(body(mode, DATA, CHUNK).bytes(), mode, DATA.length + difference, Kind.DECODED_LENGTH_MISMATCH);
        }
    }

    @Test
    void rejectsChunkExtensionsOtherThanTheSignature() {
        assertRefused(ascii("5;name=value\r\nhello\r\n0\r\n\r\n"), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.MALFORMED);
        assertRefused(ascii("5;\r\nhello\r\n0\r\n\r\n"), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.MALFORMED);
        Body body = signed(DATA, CHUNK, SEED, Map.of());
        String first = new String(body.dataChunks().get(0).framed(), StandardCharsets.ISO_8859_1);
        String signature = body.dataChunks().get(0).signature();
        for (String forged : List.of(
                first.replace(signature, signature + ";x=y"),
                first.replace(";chunk-signature=", ";x=y;chunk-signature="),
                first.replace(";chunk-signature=", "; chunk-signature="),
                first.replace(";chunk-signature=", ";Chunk-Signature="),
                first.replace(signature, signature.toUpperCase(java.util.Locale.ROOT)),
                first.replace(signature, signature.substring(1)))) {
            List<Chunk> chunks = new ArrayList<>(body.dataChunks());
            chunks.set(0, new Chunk(forged.getBytes(StandardCharsets.ISO_8859_1), signature));
            assertRefused(new Body(chunks, body.finalPart()).bytes(), StreamingPayloadMode.STREAMING_SIGNED, Kind.MALFORMED);
        }
    }

    @Test
    void rejectsLinesEndingInABareLineFeedOrCarriageReturn() {
        assertRefused(ascii("5\nhello\r\n0\r\n\r\n"), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.MALFORMED);
        assertRefused(ascii("5\rhello\r\n0\r\n\r\n"), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.MALFORMED);
        assertRefused(ascii("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\n\r\n"), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER,
                5, Kind.MALFORMED);
    }

    @Test
    void rejectsChunkDataNotFollowedByCrlf() {
        assertRefused(ascii("4\r\nhello\r\n0\r\n\r\n"), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 4, Kind.MALFORMED);
        assertRefused(ascii("5\r\nhello\n\r0\r\n\r\n"), StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.MALFORMED);
    }

    @Test
    void rejectsTrailersWhereTheModeHasNone() {
        Body body = signed(DATA, CHUNK, SEED, CHECKSUM);
        assertRefused(body.bytes(), StreamingPayloadMode.STREAMING_SIGNED, Kind.MALFORMED);
    }

    @Test
    void rejectsTrailerSignatureInTheUnsignedMode() {
        byte[] body = ascii("5\r\nhello\r\n0\r\nx-amz-trailer-signature:" + SEED + "\r\n\r\n");
        assertRefused(body, StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.MALFORMED);
    }

    @Test
    void rejectsRepeatedMalformedOrTooManyTrailers() {
        for (String trailers : List.of(
                "x-amz-checksum-crc32:AAAAAA==\r\nX-Amz-Checksum-CRC32:BBBBBB==\r\n",
                "no-colon\r\n",
                ":value\r\n",
                "bad name:value\r\n",
                "x-amz-checksum-crc32:\u0001\r\n",
                "x-a:1\r\n".repeat(AwsChunkedInputStream.MAX_TRAILER_LINES + 1))) {
            byte[] body = concat(ascii("5\r\nhello\r\n0\r\n"), trailers.getBytes(StandardCharsets.ISO_8859_1), ascii("\r\n"));
            assertRefused(body, StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5, Kind.MALFORMED);
        }
    }

    @Test
    void trailerNamesAreLowerCasedAndValuesTrimmed() throws IOException {
        byte[] body = ascii("5\r\nhello\r\n0\r\nX-Amz-Checksum-CRC32:  NhCmhg== \r\n\r\n");
        AwsChunkedInputStream in = decoder(body, StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, 5);
        assertThat(in.readAllBytes()).isEqualTo(ascii("hello"));
        assertThat(in.trailers()).containsExactly(Map.entry("x-amz-checksum-crc32", "NhCmhg=="));
    }

    @Test
    void staysRefusedOnceRefused() {
        byte[] bytes = signed(DATA, CHUNK, OTHER_SEED, Map.of()).bytes();
        AwsChunkedInputStream in = decoder(bytes, StreamingPayloadMode.STREAMING_SIGNED, DATA.length);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(AwsChunkedException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.CHUNK_SIGNATURE_MISMATCH));
        }
    }

    @Test
    void failuresNeverShowTheSigningKey() {
        String keyHex = HexFormat.of().formatHex(KEY);
        List<byte[]> forged = List.of(signed(DATA, CHUNK, OTHER_SEED, Map.of()).bytes(), ascii("zz\r\n"));
        for (byte[] body : forged) {
            AwsChunkedInputStream in = decoder(body, StreamingPayloadMode.STREAMING_SIGNED, DATA.length);
            assertThatThrownBy(in::readAllBytes).satisfies(e -> assertThat(e.getMessage()).doesNotContain(keyHex));
        }
        assertThat(context(SEED).toString()).doesNotContain(keyHex);
    }

    @Test
    void modeAndSigningContextMustAgree() {
        InputStream none = InputStream.nullInputStream();
        assertThatThrownBy(() -> new AwsChunkedInputStream(none, StreamingPayloadMode.STREAMING_SIGNED, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AwsChunkedInputStream(none, StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, context(SEED), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AwsChunkedInputStream(none, StreamingPayloadMode.UNSIGNED_PAYLOAD, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AwsChunkedInputStream(none, StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER, null, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<StreamingPayloadMode> chunkedModes() {
        return List.of(StreamingPayloadMode.STREAMING_SIGNED, StreamingPayloadMode.STREAMING_SIGNED_TRAILER,
                StreamingPayloadMode.STREAMING_UNSIGNED_TRAILER);
    }

    private static Body body(StreamingPayloadMode mode, byte[] data, int chunkSizeBytes) {
        Map<String, String> trailers = mode.trailer() ? Map.of("x-amz-checksum-crc32", AwsChunkedSdkTest.crc32Base64(data)) : Map.of();
        return mode.signedChunks() ? signed(data, chunkSizeBytes, SEED, trailers) : AwsChunkedBodies.unsigned(data, chunkSizeBytes, trailers);
    }

    private static Body signed(byte[] data, int chunkSizeBytes, String seed, Map<String, String> trailers) {
        return AwsChunkedBodies.encode(data, chunkSizeBytes, KEY, AMZ_DATE, SCOPE, seed, new LinkedHashMap<>(trailers));
    }

    private static ChunkSigningContext context(String seed) {
        return new ChunkSigningContext(SecretBytes.copyOf(KEY), AMZ_DATE, SCOPE, seed);
    }

    private static AwsChunkedInputStream decoder(byte[] body, StreamingPayloadMode mode, long declaredBytes) {
        return new AwsChunkedInputStream(new ByteArrayInputStream(body), mode, mode.signedChunks() ? context(SEED) : null, declaredBytes);
    }

    private static byte[] decoded(Body body, StreamingPayloadMode mode) throws IOException {
        return decoder(body.bytes(), mode, body.dataChunks().stream().mapToLong(c -> dataLength(c)).sum()).readAllBytes();
    }

    private static long dataLength(Chunk chunk) {
        String framed = new String(chunk.framed(), StandardCharsets.ISO_8859_1);
        int end = framed.indexOf(';') >= 0 && framed.indexOf(';') < framed.indexOf('\r') ? framed.indexOf(';') : framed.indexOf('\r');
        return Long.parseLong(framed.substring(0, end), 16);
    }

    private static void assertRefused(byte[] body, StreamingPayloadMode mode, Kind expected) {
        assertRefused(body, mode, DATA.length, expected);
    }

    /** Refused with {@code expected}, whether read in one go or byte by byte. */
    private static void assertRefused(byte[] body, StreamingPayloadMode mode, long declaredBytes, Kind expected) {
        assertThatThrownBy(() -> decoder(body, mode, declaredBytes).readAllBytes())
                .isInstanceOfSatisfying(AwsChunkedException.class, e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(expected));
        assertThatThrownBy(() -> AwsChunkedSdkTest.readByteByByte(decoder(body, mode, declaredBytes)))
                .isInstanceOfSatisfying(AwsChunkedException.class, e -> assertThat(e.kind()).as(e.getMessage()).isEqualTo(expected));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** An endless line of hex digits, counting what it served. */
    private static final class CountingEndlessHex extends InputStream {
        long served;

        @Override
        public int read() {
            served++;
            return 'f';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'f');
            served += len;
            return len;
        }
    }
}

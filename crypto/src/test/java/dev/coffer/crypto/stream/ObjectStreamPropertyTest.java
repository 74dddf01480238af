package dev.coffer.crypto.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.crypto.AssociatedData;
import dev.coffer.crypto.ByteSink;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Properties of object stream format v1 over random plaintext sizes (0 to 300 KiB, with extra
 * weight on 0 and on exact multiples of the segment size and their neighbours), random segment
 * sizes (1 KiB to 64 KiB), random chunkings of the input and random ranges. Chunkings, ranges and
 * read sizes come from a per-try seed, so a failing try is reproducible from jqwik's report. The
 * edge cases are weighted explicitly in {@link #scenarios()} rather than by jqwik's edge case
 * mix-in, whose combinations of flat-mapped arbitraries would otherwise crowd out random tries.
 */
class ObjectStreamPropertyTest {
    private static final int MAX_PLAINTEXT_BYTES = 300 * 1024;
    private static final int HEADER = ObjectStreamV1.HEADER_SIZE_BYTES;
    private static final int TAG = ObjectStreamV1.TAG_SIZE_BYTES;
    private static final SecretBytes DATA_KEY = SecretBytes.copyOf(ObjectStreamTamperKit.bytes(new Random(1), 32));
    private static final byte[] AAD = AssociatedData.ofFields("bucket", "photos/2024/cat.jpg", "1");

    /** One try: the segment size, the plaintext size and a seed for everything else. */
    record Scenario(int segmentSizeBytes, int plaintextSize, long seed) {
        byte[] plaintext() {
            return ObjectStreamTamperKit.bytes(new Random(seed), plaintextSize);
        }

        ObjectStreamHeader header() {
            Random random = new Random(~seed);
            return ObjectStreamHeader.of(new ObjectStreamParameters(segmentSizeBytes),
                    ObjectStreamTamperKit.bytes(random, ObjectStreamV1.SALT_SIZE_BYTES),
                    ObjectStreamTamperKit.bytes(random, ObjectStreamV1.NONCE_PREFIX_SIZE_BYTES));
        }

        Random random(int purpose) {
            return new Random(seed * 31 + purpose);
        }
    }

    @Provide
    @SuppressWarnings("unchecked")
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> segmentSizes = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(ObjectStreamParameters.MIN_SEGMENT_SIZE_BYTES)),
                Tuple.of(1, Arbitraries.just(64 * 1024)),
                Tuple.of(6, Arbitraries.integers().between(ObjectStreamParameters.MIN_SEGMENT_SIZE_BYTES, 64 * 1024)
                        .withDistribution(RandomDistribution.uniform())));
        return segmentSizes.flatMap(segment ->
                Combinators.combine(plaintextSizes(segment), Arbitraries.longs().withoutEdgeCases())
                        .as((size, seed) -> new Scenario(segment, size, seed)));
    }

    @SuppressWarnings("unchecked")
    private static Arbitrary<Integer> plaintextSizes(int segment) {
        Arbitrary<Integer> multiples = Arbitraries.integers().between(1, MAX_PLAINTEXT_BYTES / segment)
                .withDistribution(RandomDistribution.uniform()).map(k -> k * segment);
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(2, multiples),
                Tuple.of(2, multiples.flatMap(m -> Arbitraries.of(m - 1, m + 1))),
                Tuple.of(5, Arbitraries.integers().between(0, MAX_PLAINTEXT_BYTES).withDistribution(RandomDistribution.uniform())));
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void knownLengthAndUnknownLengthEncryptorsWriteTheSameStreamOfExactlyCiphertextSize(
            @ForAll("scenarios") Scenario s) throws IOException {
        byte[] plaintext = s.plaintext();

        byte[] knownLength = encrypt(s.header(), plaintext, plaintext.length, s.random(1));
        byte[] unknownLength = encrypt(s.header(), plaintext, ObjectStreamEncryptor.UNKNOWN_LENGTH, s.random(2));

        long expectedSize = ObjectStreamV1.ciphertextSize(plaintext.length, s.segmentSizeBytes());
        assertThat((long) knownLength.length).isEqualTo(expectedSize);
        assertThat((long) unknownLength.length).isEqualTo(expectedSize);
        assertThat(Arrays.mismatch(knownLength, unknownLength)).as("first differing byte").isEqualTo(-1);
        assertThat(ObjectStreamV1.plaintextSize(knownLength.length, s.segmentSizeBytes())).isEqualTo(plaintext.length);
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void everyDecryptPathReturnsThePlaintext(@ForAll("scenarios") Scenario s) throws IOException {
        byte[] plaintext = s.plaintext();
        byte[] ciphertext = encrypt(s.header(), plaintext, ObjectStreamEncryptor.UNKNOWN_LENGTH, s.random(1));

        assertSame(pushDecrypt(ciphertext, s.random(2), s.segmentSizeBytes()), plaintext);
        try (ObjectStreamReader reader = ObjectStreamReader.open(DATA_KEY, AAD, CiphertextSource.of(ciphertext),
                ciphertext.length)) {
            assertThat(reader.plaintextSize()).isEqualTo(plaintext.length);
            assertThat(reader.segmentSizeBytes()).isEqualTo(s.segmentSizeBytes());
            assertSame(readAll(reader.openAll(), s.random(3)), plaintext);
        }
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void rangeReadEqualsTheSliceOfTheFullDecryption(@ForAll("scenarios") Scenario s) throws IOException {
        byte[] plaintext = s.plaintext();
        byte[] ciphertext = encrypt(s.header(), plaintext, plaintext.length, s.random(1));
        Random random = s.random(2);
        try (ObjectStreamReader reader = ObjectStreamReader.open(DATA_KEY, AAD, CiphertextSource.of(ciphertext),
                ciphertext.length)) {
            byte[] full = readAll(reader.openAll(), random);
            assertSame(full, plaintext);
            for (long[] range : ranges(random, plaintext.length, s.segmentSizeBytes())) {
                long from = range[0];
                long to = range[1];
                InputStream in = reader.openRange(from, to);
                long skipped = 0;
                if (random.nextInt(4) == 0 && to > from) {
                    // skip() is part of the InputStream contract callers may use to seek within a range.
                    skipped = in.skip(1 + random.nextInt((int) (to - from)));
                }
                byte[] expected = Arrays.copyOfRange(full, (int) (from + skipped), (int) to);
                assertSame(readAll(in, random), expected);
            }
        }
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void rangeReadTouchesOnlyTheHeaderAndTheSegmentsItCovers(@ForAll("scenarios") Scenario s) throws IOException {
        byte[] plaintext = s.plaintext();
        byte[] ciphertext = encrypt(s.header(), plaintext, plaintext.length, s.random(1));
        RecordingSource source = new RecordingSource(CiphertextSource.of(ciphertext));
        int segment = s.segmentSizeBytes();
        Random random = s.random(2);
        try (ObjectStreamReader reader = ObjectStreamReader.open(DATA_KEY, AAD, source, ciphertext.length)) {
            assertThat(source.reads).containsExactly(new Read(0, HEADER));
            for (long[] range : ranges(random, plaintext.length, segment)) {
                source.reads.clear();
                byte[] bytes = readAll(reader.openRange(range[0], range[1]), random);

                assertSame(bytes, Arrays.copyOfRange(plaintext, (int) range[0], (int) range[1]));
                assertThat(source.reads).as("reads for range [%d, %d) of %d bytes", range[0], range[1], plaintext.length)
                        .containsExactlyElementsOf(expectedReads(range[0], range[1], plaintext.length, segment));
            }
        }
    }

    /** Each segment covering [from, to) exactly once, in order, at 44 + i * (S + 16), with its stored length. */
    private static List<Read> expectedReads(long from, long to, long plaintextSize, int segment) {
        List<Read> reads = new ArrayList<>();
        if (plaintextSize == 0) {
            // The empty stream's one segment is verified even for an empty range.
            reads.add(new Read(HEADER, TAG));
            return reads;
        }
        if (from == to) {
            return reads;
        }
        for (long i = from / segment; i <= (to - 1) / segment; i++) {
            long plaintextInSegment = Math.min(segment, plaintextSize - i * segment);
            reads.add(new Read(HEADER + i * (segment + TAG), (int) plaintextInSegment + TAG));
        }
        return reads;
    }

    /** Random ranges weighted towards segment boundaries, the ends and empty ranges. */
    private static List<long[]> ranges(Random random, int plaintextSize, int segment) {
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long a = position(random, plaintextSize, segment);
            long b = position(random, plaintextSize, segment);
            ranges.add(new long[] {Math.min(a, b), Math.max(a, b)});
        }
        ranges.add(new long[] {0, plaintextSize});
        return ranges;
    }

    private static long position(Random random, int plaintextSize, int segment) {
        int segments = plaintextSize / segment;
        long p = switch (random.nextInt(5)) {
            case 0 -> random.nextBoolean() ? 0 : plaintextSize;
            case 1 -> (long) random.nextInt(segments + 1) * segment;
            case 2 -> (long) random.nextInt(segments + 1) * segment + (random.nextBoolean() ? 1 : -1);
            default -> random.nextInt(plaintextSize + 1);
        };
        return Math.clamp(p, 0, plaintextSize);
    }

    @Property(tries = 1000)
    void plaintextSizeInvertsCiphertextSizeAndRejectsEveryOtherSizeNearby(@ForAll("sizes") SizeCase c) {
        int segment = c.segmentSizeBytes();
        long max = ObjectStreamV1.maxPlaintextSize(segment);
        long center = ObjectStreamV1.ciphertextSize(c.plaintextSize(), segment);
        for (long size = center - 40; size <= center + 40; size++) {
            // ciphertextSize grows by at least 1 per plaintext byte, so a plaintext size mapping to
            // this ciphertext size lies within 40 bytes of c.plaintextSize(): search exhaustively.
            Long preimage = null;
            for (long p = Math.max(0, c.plaintextSize() - 40); p <= Math.min(max, c.plaintextSize() + 40); p++) {
                if (ObjectStreamV1.ciphertextSize(p, segment) == size) {
                    preimage = p;
                }
            }
            long ciphertextSize = size;
            if (preimage != null) {
                assertThat(rethrowing(() -> ObjectStreamV1.plaintextSize(ciphertextSize, segment)))
                        .as("plaintextSize(%d, %d)", size, segment).isEqualTo(preimage);
            } else {
                assertThatThrownBy(() -> ObjectStreamV1.plaintextSize(ciphertextSize, segment))
                        .as("plaintextSize(%d, %d) has no preimage", size, segment)
                        .isInstanceOfSatisfying(CiphertextRejectedException.class, e -> assertThat(e.reason())
                                .isEqualTo(CiphertextRejectedException.Reason.TRUNCATED_OR_EXTENDED));
            }
        }
    }

    record SizeCase(int segmentSizeBytes, long plaintextSize) {}

    @Provide
    @SuppressWarnings("unchecked")
    Arbitrary<SizeCase> sizes() {
        Arbitrary<Integer> segmentSizes = Arbitraries.integers()
                .between(ObjectStreamParameters.MIN_SEGMENT_SIZE_BYTES, ObjectStreamParameters.MAX_SEGMENT_SIZE_BYTES);
        return segmentSizes.flatMap(segment -> {
            long max = ObjectStreamV1.maxPlaintextSize(segment);
            Arbitrary<Long> segmentCounts = Arbitraries.longs().between(0, ObjectStreamV1.MAX_SEGMENTS);
            Arbitrary<Long> plaintextSizes = Arbitraries.frequencyOf(
                    Tuple.of(1, Arbitraries.of(0L, 1L, max - 1, max)),
                    Tuple.of(3, segmentCounts.map(k -> k * segment)),
                    Tuple.of(2, segmentCounts.flatMap(k -> Arbitraries.of(k * segment - 1, k * segment + 1))
                            .filter(p -> p >= 0 && p <= max)),
                    Tuple.of(3, Arbitraries.longs().between(0, 1 << 20)),
                    Tuple.of(3, Arbitraries.longs().between(0, max).withDistribution(RandomDistribution.uniform())));
            return plaintextSizes.map(p -> new SizeCase(segment, p));
        });
    }

    static byte[] encrypt(ObjectStreamHeader header, byte[] plaintext, long declaredLength, Random chunking)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteSink sink = ByteSink.of(out);
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.startWithHeader(header, DATA_KEY, AAD, declaredLength)) {
            int position = 0;
            while (position < plaintext.length) {
                int n = chunk(chunking, plaintext.length - position, header.segmentSizeBytes());
                encryptor.update(plaintext, position, n, sink);
                position += n;
            }
            encryptor.finish(sink);
        }
        return out.toByteArray();
    }

    private static byte[] pushDecrypt(byte[] ciphertext, Random chunking, int segment) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteSink sink = ByteSink.of(out);
        try (ObjectStreamDecryptor decryptor = new ObjectStreamDecryptor(DATA_KEY, AAD)) {
            int position = 0;
            while (position < ciphertext.length) {
                int n = chunk(chunking, ciphertext.length - position, segment + TAG);
                decryptor.update(ciphertext, position, n, sink);
                position += n;
            }
            decryptor.finish(sink);
        }
        return out.toByteArray();
    }

    private static int chunk(Random random, int remaining, int unit) {
        int n = switch (random.nextInt(7)) {
            case 0 -> 0;
            case 1 -> 1 + random.nextInt(16);
            case 2 -> 1 + random.nextInt(unit);
            case 3 -> unit;
            case 4 -> unit + 1;
            case 5 -> remaining;
            default -> 1 + random.nextInt(4 * unit);
        };
        return Math.min(n, remaining);
    }

    private static byte[] readAll(InputStream in, Random readSizes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (in) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer, 0, 1 + readSizes.nextInt(buffer.length))) >= 0) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static void assertSame(byte[] actual, byte[] expected) {
        assertThat(actual.length).as("length").isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as("first differing byte").isEqualTo(-1);
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static <T> T rethrowing(ThrowingSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    record Read(long position, int length) {}

    /** A source that records every positional read, to check what a range read touches. */
    static final class RecordingSource implements CiphertextSource {
        final List<Read> reads = new ArrayList<>();
        private final CiphertextSource delegate;

        RecordingSource(CiphertextSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public void readFully(long position, byte[] destination, int offset, int length) throws IOException {
            reads.add(new Read(position, length));
            delegate.readFully(position, destination, offset, length);
        }
    }
}

package dev.coffer.crypto.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.coffer.crypto.ByteSink;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.CiphertextRejectedException.Reason;
import dev.coffer.crypto.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The object stream tamper matrix, Tink's idea of one contract kit run against every
 * implementation: {@link #tamperCases} derives every tampered variant of one valid stream that we
 * know of, each annotated with the first segment that must not verify, and {@link #assertContract}
 * checks one {@link DecryptPath} against a case. A new read path (for example an
 * {@code InputStream} adapter in the gateway) joins the matrix by implementing {@link DecryptPath}.
 *
 * <p>The contract for a tampered stream: every path refuses it with
 * {@link CiphertextRejectedException}, and no path ever releases a plaintext byte of the first
 * tampered segment or of anything after it. Segments before it were verified and are the original
 * bytes, so a path may release them first (the push decryptor does, as it releases each segment as
 * soon as it knows it is not the last; a range read that starts before the tampered segment does
 * too); every released byte must equal the original plaintext at that position.
 *
 * <p>Everything is deterministic (keys, salts, plaintexts and chunkings come from fixed seeds), so
 * a failing case is reproducible by its name.
 */
final class ObjectStreamTamperKit {
    static final int SEGMENT_SIZE_BYTES = 1024;
    static final List<Integer> PLAINTEXT_SIZES = List.of(0, 1, 1023, 1024, 1025, 3 * 1024, 5000);
    static final List<DecryptPath> DECRYPT_PATHS =
            List.of(new PushDecryptorPath(), new ReaderOpenAllPath(), new ReaderRangesPath());

    private static final int HEADER = ObjectStreamV1.HEADER_SIZE_BYTES;
    private static final int TAG = ObjectStreamV1.TAG_SIZE_BYTES;

    private ObjectStreamTamperKit() {}

    /** The attack classes of the matrix. */
    enum Attack {
        HEADER_BIT_FLIP, SEGMENT_BYTE_FLIP, TRUNCATION, EXTENSION, SEGMENT_DROPPED, SEGMENT_DUPLICATED,
        SEGMENTS_SWAPPED, SEGMENT_SPLICED_FROM_SIBLING, HEADER_FROM_SIBLING, WRONG_ASSOCIATED_DATA,
        WRONG_DATA_KEY, UNKNOWN_VERSION, SEGMENT_SIZE_OUT_OF_RANGE
    }

    /** A valid stream and what it takes to decrypt it. */
    record ValidStream(int segmentSizeBytes, byte[] plaintext, SecretBytes dataKey, byte[] associatedData,
                       byte[] ciphertext) {
        int segmentCount() {
            return (int) ObjectStreamV1.segmentCount(plaintext.length, segmentSizeBytes);
        }

        int segmentStart(int index) {
            return HEADER + index * (segmentSizeBytes + TAG);
        }

        int segmentEnd(int index) {
            return index == segmentCount() - 1 ? ciphertext.length : segmentStart(index + 1);
        }

        int segmentPlaintextLength(int index) {
            return segmentEnd(index) - segmentStart(index) - TAG;
        }

        byte[] header() {
            return Arrays.copyOfRange(ciphertext, 0, HEADER);
        }

        List<byte[]> segments() {
            List<byte[]> segments = new ArrayList<>();
            for (int i = 0; i < segmentCount(); i++) {
                segments.add(Arrays.copyOfRange(ciphertext, segmentStart(i), segmentEnd(i)));
            }
            return segments;
        }
    }

    /**
     * One tampered stream (or, for the control, the untampered one).
     *
     * @param firstBadSegment the first segment, counted in the stream as presented, that must not
     *     verify; every segment before it is the original
     * @param expectedReason the reason every path must give, or null where paths may differ (a
     *     truncation can surface as a short stream or as a failed tag, depending on how it is read)
     */
    record TamperCase(Attack attack, String name, byte[] ciphertext, SecretBytes dataKey, byte[] associatedData,
                      int firstBadSegment, Reason expectedReason, boolean tampered) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * What one decryption attempt released, from plaintext position {@code from}, before it ended;
     * {@code to} is the end it asked for, checked only when the attempt must succeed.
     */
    record Attempt(String description, long from, long to, byte[] released, CiphertextRejectedException rejection,
                   boolean mustBeRejected) {}

    /** One way of decrypting a stored object stream. */
    interface DecryptPath {
        String name();

        /** Decrypts the case's stream in this path's way, reporting what each attempt released. */
        List<Attempt> attempts(TamperCase c) throws IOException;
    }

    /** Encrypts {@code plaintextSize} seeded bytes under a seeded key, salt and nonce prefix. */
    static ValidStream validStream(int plaintextSize) {
        Random random = new Random(plaintextSize * 31L + 7);
        byte[] plaintext = bytes(random, plaintextSize);
        SecretBytes dataKey = SecretBytes.copyOf(bytes(random, ObjectStreamV1.DATA_KEY_SIZE_BYTES));
        byte[] aad = "bucket/key/part-1".getBytes(StandardCharsets.UTF_8);
        byte[] salt = bytes(random, ObjectStreamV1.SALT_SIZE_BYTES);
        byte[] prefix = bytes(random, ObjectStreamV1.NONCE_PREFIX_SIZE_BYTES);
        return encrypt(plaintext, dataKey, aad, salt, prefix);
    }

    /**
     * The strongest splicing partner: the same plaintext, data key, associated data and nonce
     * prefix, so the two streams differ only in the salt and hence in the content key.
     */
    static ValidStream sibling(ValidStream s) {
        byte[] salt = bytes(new Random(s.plaintext().length * 131L + 3), ObjectStreamV1.SALT_SIZE_BYTES);
        byte[] prefix = Arrays.copyOfRange(s.ciphertext(), 1 + 4 + ObjectStreamV1.SALT_SIZE_BYTES, HEADER);
        return encrypt(s.plaintext(), s.dataKey(), s.associatedData(), salt, prefix);
    }

    private static ValidStream encrypt(byte[] plaintext, SecretBytes dataKey, byte[] aad, byte[] salt, byte[] prefix) {
        ObjectStreamHeader header = ObjectStreamHeader.of(new ObjectStreamParameters(SEGMENT_SIZE_BYTES), salt, prefix);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.startWithHeader(header, dataKey, aad, plaintext.length)) {
            encryptor.update(plaintext, 0, plaintext.length, ByteSink.of(out));
            encryptor.finish(ByteSink.of(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ValidStream(SEGMENT_SIZE_BYTES, plaintext, dataKey, aad, out.toByteArray());
    }

    /** The untampered stream, which every path must decrypt completely. */
    static TamperCase control(ValidStream s) {
        return new TamperCase(null, "untampered", s.ciphertext(), s.dataKey(), s.associatedData(),
                s.segmentCount(), null, false);
    }

    /** Every tampered variant of {@code s}; see the count formula in ObjectStreamTamperContractTest. */
    static List<TamperCase> tamperCases(ValidStream s, ValidStream sibling) {
        Cases cases = new Cases(s);
        int n = s.segmentCount();
        byte[] ct = s.ciphertext();

        for (int position = 0; position < HEADER; position++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] t = flipped(ct, position, 1 << bit);
                cases.add(Attack.HEADER_BIT_FLIP, "flip bit " + bit + " of header byte " + position + " ("
                        + headerField(position) + ")", t, 0, reasonForHeaderFlip(t, position));
            }
        }

        for (int i = 0; i < n; i++) {
            int start = s.segmentStart(i);
            int tagStart = start + s.segmentPlaintextLength(i);
            if (s.segmentPlaintextLength(i) >= 1) {
                cases.add(Attack.SEGMENT_BYTE_FLIP, "flip the first ciphertext byte of segment " + i,
                        flipped(ct, start, 0x01), i, Reason.AUTHENTICATION_FAILED);
            }
            if (s.segmentPlaintextLength(i) >= 2) {
                cases.add(Attack.SEGMENT_BYTE_FLIP, "flip the last ciphertext byte of segment " + i,
                        flipped(ct, tagStart - 1, 0x80), i, Reason.AUTHENTICATION_FAILED);
            }
            cases.add(Attack.SEGMENT_BYTE_FLIP, "flip the first tag byte of segment " + i,
                    flipped(ct, tagStart, 0x01), i, Reason.AUTHENTICATION_FAILED);
            cases.add(Attack.SEGMENT_BYTE_FLIP, "flip the last tag byte of segment " + i,
                    flipped(ct, tagStart + TAG - 1, 0x80), i, Reason.AUTHENTICATION_FAILED);
        }

        cases.add(Attack.TRUNCATION, "truncate to 0 bytes", truncated(ct, 0), 0, Reason.TRUNCATED_OR_EXTENDED);
        cases.add(Attack.TRUNCATION, "truncate to 1 byte", truncated(ct, 1), 0, Reason.TRUNCATED_OR_EXTENDED);
        cases.add(Attack.TRUNCATION, "truncate inside the header", truncated(ct, HEADER - 1), 0,
                Reason.TRUNCATED_OR_EXTENDED);
        cases.add(Attack.TRUNCATION, "truncate to the header only", truncated(ct, HEADER), 0,
                Reason.TRUNCATED_OR_EXTENDED);
        for (int k = 0; k < n - 1; k++) {
            // The stream now ends with segment k, which was sealed as not the last one.
            cases.add(Attack.TRUNCATION, "truncate at the boundary after segment " + k,
                    truncated(ct, s.segmentEnd(k)), k, null);
        }
        for (int k = 0; k < n; k++) {
            cases.add(Attack.TRUNCATION, "truncate 8 bytes into segment " + k,
                    truncated(ct, s.segmentStart(k) + 8), k, Reason.TRUNCATED_OR_EXTENDED);
            cases.add(Attack.TRUNCATION, "truncate the last byte of segment " + k,
                    truncated(ct, s.segmentEnd(k) - 1), k, null);
        }

        List<byte[]> segments = s.segments();
        byte[] header = s.header();
        cases.add(Attack.EXTENSION, "append 1 byte", concat(ct, new byte[1]), n - 1, null);
        cases.add(Attack.EXTENSION, "append 16 bytes", concat(ct, new byte[TAG]), n - 1, null);
        cases.add(Attack.EXTENSION, "append a copy of the first segment", concat(ct, segments.get(0)), n - 1, null);
        cases.add(Attack.EXTENSION, "append a copy of the last segment", concat(ct, segments.get(n - 1)), n - 1, null);

        for (int k = 0; k < n; k++) {
            List<byte[]> dropped = new ArrayList<>(segments);
            dropped.remove(k);
            // Dropping the last segment makes the one before it the (wrongly flagged) last one.
            int firstBad = k < n - 1 ? k : Math.max(0, k - 1);
            cases.add(Attack.SEGMENT_DROPPED, "drop segment " + k, stream(header, dropped), firstBad, null);
        }
        for (int k = 0; k < n; k++) {
            List<byte[]> duplicated = new ArrayList<>(segments);
            duplicated.add(k + 1, segments.get(k));
            // The first copy is still genuine unless it was the last segment, which now has a successor.
            int firstBad = k < n - 1 ? k + 1 : k;
            cases.add(Attack.SEGMENT_DUPLICATED, "duplicate segment " + k, stream(header, duplicated), firstBad, null);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                List<byte[]> swapped = new ArrayList<>(segments);
                swapped.set(i, segments.get(j));
                swapped.set(j, segments.get(i));
                cases.add(Attack.SEGMENTS_SWAPPED, "swap segments " + i + " and " + j, stream(header, swapped), i,
                        Reason.AUTHENTICATION_FAILED);
            }
        }
        List<byte[]> siblingSegments = sibling.segments();
        for (int k = 0; k < n; k++) {
            List<byte[]> spliced = new ArrayList<>(segments);
            spliced.set(k, siblingSegments.get(k));
            cases.add(Attack.SEGMENT_SPLICED_FROM_SIBLING, "splice segment " + k
                    + " of a stream under the same data key and associated data", stream(header, spliced), k,
                    Reason.AUTHENTICATION_FAILED);
        }
        cases.add(Attack.HEADER_FROM_SIBLING, "replace the header by that of a stream under the same data key",
                stream(sibling.header(), segments), 0, Reason.AUTHENTICATION_FAILED);

        byte[] otherAad = s.associatedData().clone();
        otherAad[otherAad.length - 1] ^= 0x01;
        cases.add(new TamperCase(Attack.WRONG_ASSOCIATED_DATA, "decrypt with other associated data", ct,
                s.dataKey(), otherAad, 0, Reason.AUTHENTICATION_FAILED, true));
        cases.add(new TamperCase(Attack.WRONG_ASSOCIATED_DATA, "decrypt with the associated data left out", ct,
                s.dataKey(), new byte[0], 0, Reason.AUTHENTICATION_FAILED, true));
        SecretBytes otherKey = SecretBytes.copyOf(bytes(new Random(99), ObjectStreamV1.DATA_KEY_SIZE_BYTES));
        cases.add(new TamperCase(Attack.WRONG_DATA_KEY, "decrypt with another data key", ct, otherKey,
                s.associatedData(), 0, Reason.AUTHENTICATION_FAILED, true));

        for (int version : new int[] {0x00, 0x02, 0xff}) {
            byte[] t = ct.clone();
            t[0] = (byte) version;
            cases.add(Attack.UNKNOWN_VERSION, "version byte " + version, t, 0, Reason.UNSUPPORTED_VERSION);
        }
        for (long size : new long[] {0, ObjectStreamParameters.MIN_SEGMENT_SIZE_BYTES - 1,
                ObjectStreamParameters.MAX_SEGMENT_SIZE_BYTES + 1L, 0xffff_ffffL}) {
            byte[] t = ct.clone();
            writeU32(t, 1, size);
            cases.add(Attack.SEGMENT_SIZE_OUT_OF_RANGE, "segment size " + size, t, 0, Reason.MALFORMED);
        }
        return cases.list;
    }

    /**
     * Runs {@code path} on {@code c} and checks the contract: a tampered stream is refused by every
     * attempt that touches the first tampered segment, the untampered control by none, and no
     * attempt releases a byte at or after the first tampered segment or a byte that differs from the
     * original plaintext.
     */
    static void assertContract(DecryptPath path, ValidStream original, TamperCase c) throws IOException {
        List<Attempt> attempts = path.attempts(c);
        assertThat(attempts).as("%s made no attempt", path.name()).isNotEmpty();
        long releasable = c.tampered()
                ? (long) c.firstBadSegment() * original.segmentSizeBytes()
                : original.plaintext().length;
        for (Attempt a : attempts) {
            String where = path.name() + ", " + a.description() + ", case '" + c.name() + "'";
            if (a.mustBeRejected()) {
                assertThat(a.rejection()).as("%s: must be rejected, but released %d bytes", where, a.released().length)
                        .isNotNull();
                if (c.expectedReason() != null) {
                    assertThat(a.rejection().reason()).as("%s: reason (%s)", where, a.rejection().getMessage())
                            .isEqualTo(c.expectedReason());
                }
            } else {
                if (a.rejection() != null) {
                    fail(where + ": reads only intact segments, so it must succeed", a.rejection());
                }
                assertThat(a.released().length).as("%s: length", where).isEqualTo(a.to() - a.from());
            }
            if (a.released().length > 0) {
                assertThat(a.from() + a.released().length)
                        .as("%s: released plaintext up to %d, but segment %d (from byte %d) is tampered", where,
                                a.from() + a.released().length, c.firstBadSegment(), releasable)
                        .isLessThanOrEqualTo(releasable);
            }
            assertSlice(original.plaintext(), a.from(), a.released(), where);
        }
    }

    /** Checks that {@code actual} equals {@code expected[from, from + actual.length)}, reporting only the first difference. */
    static void assertSlice(byte[] expected, long from, byte[] actual, String what) {
        if (actual.length == 0) {
            return;
        }
        assertThat(from + actual.length).as("%s: released beyond the plaintext", what).isLessThanOrEqualTo(expected.length);
        int mismatch = Arrays.mismatch(actual, 0, actual.length, expected, (int) from, (int) from + actual.length);
        assertThat(mismatch).as("%s: first byte that differs from the plaintext (at plaintext offset %d + it)", what, from)
                .isEqualTo(-1);
    }

    /** Feeds a stream to {@link ObjectStreamDecryptor} in random chunk sizes (some empty). */
    static final class PushDecryptorPath implements DecryptPath {
        @Override
        public String name() {
            return "ObjectStreamDecryptor (push, random chunks)";
        }

        @Override
        public List<Attempt> attempts(TamperCase c) throws IOException {
            Random chunks = new Random(c.name().hashCode());
            byte[] ct = c.ciphertext();
            ByteArrayOutputStream released = new ByteArrayOutputStream();
            List<Integer> writes = new ArrayList<>();
            ByteSink sink = (bytes, offset, length) -> {
                writes.add(length);
                released.write(bytes, offset, length);
            };
            CiphertextRejectedException rejection = null;
            try (ObjectStreamDecryptor decryptor = new ObjectStreamDecryptor(c.dataKey(), c.associatedData())) {
                int position = 0;
                while (position < ct.length) {
                    int n = randomChunk(chunks, ct.length - position);
                    decryptor.update(ct, position, n, sink);
                    position += n;
                }
                decryptor.finish(sink);
            } catch (CiphertextRejectedException e) {
                rejection = e;
            }
            // The push decryptor releases whole verified segments only: every write but a final
            // (successful) one is exactly one segment.
            for (int i = 0; i < writes.size() - (rejection == null ? 1 : 0); i++) {
                assertThat(writes.get(i)).as("write %d of the push decryptor, case '%s'", i, c.name())
                        .isEqualTo(SEGMENT_SIZE_BYTES);
            }
            long to = c.tampered() ? 0 : plaintextLength(c);
            return List.of(new Attempt("whole stream", 0, to, released.toByteArray(), rejection, c.tampered()));
        }

        private static int randomChunk(Random random, int remaining) {
            int n = switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> 1 + random.nextInt(16);
                case 2 -> 1 + random.nextInt(HEADER + 1);
                case 3 -> 1 + random.nextInt(SEGMENT_SIZE_BYTES + TAG);
                case 4 -> SEGMENT_SIZE_BYTES + TAG;
                default -> 1 + random.nextInt(3 * (SEGMENT_SIZE_BYTES + TAG));
            };
            return Math.min(n, remaining);
        }
    }

    /** Reads the whole stream through {@link ObjectStreamReader#openAll()} with random read sizes. */
    static final class ReaderOpenAllPath implements DecryptPath {
        @Override
        public String name() {
            return "ObjectStreamReader.openAll";
        }

        @Override
        public List<Attempt> attempts(TamperCase c) throws IOException {
            ObjectStreamReader reader;
            try {
                reader = ObjectStreamReader.open(c.dataKey(), c.associatedData(), CiphertextSource.of(c.ciphertext()),
                        c.ciphertext().length);
            } catch (CiphertextRejectedException e) {
                return List.of(new Attempt("open", 0, 0, new byte[0], e, c.tampered()));
            }
            try (reader) {
                Outcome outcome = readFully(reader.openAll(), new Random(c.name().hashCode()));
                return List.of(new Attempt("whole stream", 0, reader.plaintextSize(), outcome.released(),
                        outcome.rejection(), c.tampered()));
            }
        }
    }

    /**
     * Reads ranges through {@link ObjectStreamReader#openRange}: every range that touches the first
     * tampered segment must be refused, and the intact segments before it must read back (random
     * access cannot see damage in segments it does not read).
     */
    static final class ReaderRangesPath implements DecryptPath {
        @Override
        public String name() {
            return "ObjectStreamReader.openRange";
        }

        @Override
        public List<Attempt> attempts(TamperCase c) throws IOException {
            ObjectStreamReader reader;
            try {
                reader = ObjectStreamReader.open(c.dataKey(), c.associatedData(), CiphertextSource.of(c.ciphertext()),
                        c.ciphertext().length);
            } catch (CiphertextRejectedException e) {
                return List.of(new Attempt("open", 0, 0, new byte[0], e, c.tampered()));
            }
            try (reader) {
                long size = reader.plaintextSize();
                long segment = reader.segmentSizeBytes();
                List<long[]> touching = new ArrayList<>();
                long intactEnd;
                if (!c.tampered()) {
                    intactEnd = size;
                } else if (size == 0) {
                    assertThat(c.firstBadSegment()).as("case '%s': the tampered segment must be in the stream", c.name())
                            .isZero();
                    touching.add(new long[] {0, 0});
                    intactEnd = 0;
                } else {
                    long start = c.firstBadSegment() * segment;
                    assertThat(start).as("case '%s': the tampered segment %d must be in the stream of %d bytes",
                            c.name(), c.firstBadSegment(), size).isLessThan(size);
                    long end = Math.min(start + segment, size);
                    touching.add(new long[] {start, end});
                    touching.add(new long[] {start, start + 1});
                    touching.add(new long[] {end - 1, end});
                    touching.add(new long[] {Math.max(0, start - 1), Math.min(end + 1, size)});
                    touching.add(new long[] {0, size});
                    intactEnd = start;
                }
                List<Attempt> attempts = new ArrayList<>();
                Random reads = new Random(c.name().hashCode());
                for (long[] r : touching) {
                    Outcome o = readFully(reader.openRange(r[0], r[1]), reads);
                    attempts.add(new Attempt("range [" + r[0] + ", " + r[1] + ")", r[0], r[1], o.released(),
                            o.rejection(), true));
                }
                if (intactEnd > 0 || !c.tampered()) {
                    Outcome o = readFully(reader.openRange(0, intactEnd), reads);
                    attempts.add(new Attempt("intact range [0, " + intactEnd + ")", 0, intactEnd, o.released(),
                            o.rejection(), false));
                }
                return attempts;
            }
        }
    }

    private record Outcome(byte[] released, CiphertextRejectedException rejection) {}

    private static Outcome readFully(InputStream in, Random readSizes) throws IOException {
        ByteArrayOutputStream released = new ByteArrayOutputStream();
        try (in) {
            byte[] buffer = new byte[3 * SEGMENT_SIZE_BYTES];
            while (true) {
                int n = in.read(buffer, 0, 1 + readSizes.nextInt(buffer.length));
                if (n < 0) {
                    return new Outcome(released.toByteArray(), null);
                }
                released.write(buffer, 0, n);
            }
        } catch (CiphertextRejectedException e) {
            return new Outcome(released.toByteArray(), e);
        }
    }

    private static long plaintextLength(TamperCase c) {
        try {
            return ObjectStreamV1.plaintextSize(c.ciphertext().length, SEGMENT_SIZE_BYTES);
        } catch (CiphertextRejectedException e) {
            throw new AssertionError("the control stream has an invalid size", e);
        }
    }

    private static final class Cases {
        final ValidStream stream;
        final List<TamperCase> list = new ArrayList<>();

        Cases(ValidStream stream) {
            this.stream = stream;
        }

        void add(Attack attack, String name, byte[] ciphertext, int firstBadSegment, Reason expectedReason) {
            add(new TamperCase(attack, name, ciphertext, stream.dataKey(), stream.associatedData(), firstBadSegment,
                    expectedReason, true));
        }

        void add(TamperCase c) {
            list.add(c);
        }
    }

    private static Reason reasonForHeaderFlip(byte[] tampered, int position) {
        if (position == 0) {
            return Reason.UNSUPPORTED_VERSION;
        }
        if (position <= 4) {
            long size = ((tampered[1] & 0xffL) << 24) | ((tampered[2] & 0xff) << 16) | ((tampered[3] & 0xff) << 8)
                    | (tampered[4] & 0xff);
            boolean inRange = size >= ObjectStreamParameters.MIN_SEGMENT_SIZE_BYTES
                    && size <= ObjectStreamParameters.MAX_SEGMENT_SIZE_BYTES;
            // In range, the stream is re-segmented: it may no longer have a valid size, or its tags fail.
            return inRange ? null : Reason.MALFORMED;
        }
        // Salt and nonce prefix feed the content key and the nonces.
        return Reason.AUTHENTICATION_FAILED;
    }

    private static String headerField(int position) {
        if (position == 0) {
            return "version";
        }
        if (position <= 4) {
            return "segment size";
        }
        return position < 5 + ObjectStreamV1.SALT_SIZE_BYTES ? "salt" : "nonce prefix";
    }

    static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static byte[] flipped(byte[] b, int position, int mask) {
        byte[] t = b.clone();
        t[position] ^= (byte) mask;
        return t;
    }

    private static byte[] truncated(byte[] b, int length) {
        return Arrays.copyOf(b, length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] t = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, t, a.length, b.length);
        return t;
    }

    private static byte[] stream(byte[] header, List<byte[]> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        segments.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static void writeU32(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}

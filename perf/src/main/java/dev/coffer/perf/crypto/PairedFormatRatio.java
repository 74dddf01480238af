package dev.coffer.perf.crypto;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.stream.CiphertextSource;
import dev.coffer.crypto.stream.ObjectStreamEncryptor;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.crypto.stream.ObjectStreamReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The object stream format's cost over raw AES-GCM as a paired ratio: each round times one raw call
 * and one format run back to back (rotating which goes first) and keeps their ratio, so a slow
 * moment on a shared machine slows both halves of the same round instead of only one side of the
 * comparison, as JMH's separate measurements of the two do. Reports per operation and segment size
 * the median of the per-round ratios with its quartiles, and the ratio of the fastest runs (min/min).
 *
 * <p>A third side runs in the same rounds: raw AES-GCM <em>segmented</em>, one {@code init} and one
 * {@code doFinal} per segment of the format's size and nothing else (no header, no key derivation,
 * no nonce construction, no stream). It is the floor of any format that seals segments separately
 * with the JDK's provider, so its ratio to the single raw call is the provider's own per-message
 * cost, and the format's ratio to it is what the format adds.
 *
 * <p>The operations are {@link ObjectStreamBenchmark}'s: encrypt is one raw {@code doFinal} over the
 * whole object versus {@link ObjectStreamEncryptor} fed 64 KiB chunks and writing into the caller's
 * array; decrypt is one raw {@code doFinal} versus {@link ObjectStreamReader} reading the whole object
 * into a preallocated array, {@code max(64 KiB, segment)} at a time. Every side's output is checked
 * (decrypted, or compared with the plaintext) before the first measured round and after the last; a
 * side that produced wrong bytes fails the run.
 *
 * <p>Usage: {@code PairedFormatRatio [--rounds N] [--warmup-rounds N] [--object-bytes N]
 * [--segments 65536,1048576] [--out file.json]}; prints the JSON when there is no {@code --out}.
 */
public final class PairedFormatRatio {
    static final int CHUNK_BYTES = ObjectStreamBenchmark.CHUNK_BYTES;

    /** One timed operation. */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    /** One side of a pair: the operation, and the check that its last run produced the right bytes. */
    record Side(Operation run, Operation verify) {}

    /**
     * The raw call and the format doing the same job over the same bytes, and raw AES-GCM cut into the
     * format's segments ({@code segmented}, or null to leave that side out).
     */
    record Case(String operation, int segmentSizeBytes, Side raw, Side format, Side segmented) {
        Case(String operation, int segmentSizeBytes, Side raw, Side format) {
            this(operation, segmentSizeBytes, raw, format, null);
        }
    }

    /**
     * One case's result; times in nanoseconds. {@code segmented*} are the segmented raw side's (zero
     * when the case has none): its per-round ratio to the raw call, and the format's per-round ratio to it.
     */
    record Row(String operation, int segmentSizeBytes, int rounds, double ratioMedian, double ratioP25,
               double ratioP75, long rawMinNs, long formatMinNs, long rawMedianNs, long formatMedianNs,
               double segmentedRatioMedian, double formatOverSegmentedMedian, long segmentedMinNs, long segmentedMedianNs) {
        double minRatio() {
            return (double) formatMinNs / rawMinNs;
        }

        String json() {
            String segmented = segmentedMinNs == 0 ? "" : String.format(Locale.ROOT,
                    ", \"segmentedRatioMedian\": %.4f, \"formatOverSegmentedMedian\": %.4f, \"segmentedMinRatio\": %.4f, "
                            + "\"segmentedMinNs\": %d, \"segmentedMedianNs\": %d",
                    segmentedRatioMedian, formatOverSegmentedMedian, (double) segmentedMinNs / rawMinNs,
                    segmentedMinNs, segmentedMedianNs);
            return String.format(Locale.ROOT, "{\"operation\": \"%s\", \"segmentSizeBytes\": %d, \"rounds\": %d, "
                            + "\"ratioMedian\": %.4f, \"ratioP25\": %.4f, \"ratioP75\": %.4f, \"minRatio\": %.4f, "
                            + "\"rawMinNs\": %d, \"formatMinNs\": %d, \"rawMedianNs\": %d, \"formatMedianNs\": %d%s}",
                    operation, segmentSizeBytes, rounds, ratioMedian, ratioP25, ratioP75, minRatio(),
                    rawMinNs, formatMinNs, rawMedianNs, formatMedianNs, segmented);
        }
    }

    private PairedFormatRatio() {}

    public static void main(String[] args) throws Exception {
        int rounds = 200;
        int warmupRounds = 50;
        int objectBytes = 16 << 20;
        int[] segments = {64 << 10, 1 << 20};
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(require(value, args[i++]));
                case "--warmup-rounds" -> warmupRounds = Integer.parseInt(require(value, args[i++]));
                case "--object-bytes" -> objectBytes = Integer.parseInt(require(value, args[i++]));
                case "--segments" -> segments = Arrays.stream(require(value, args[i++]).split(","))
                        .mapToInt(Integer::parseInt).toArray();
                case "--out" -> out = Path.of(require(value, args[i++]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (rounds < 1 || warmupRounds < 0) {
            throw new IllegalArgumentException("--rounds must be at least 1, --warmup-rounds at least 0");
        }
        BenchmarkData.warmUpAesGcm();
        List<Row> rows = new ArrayList<>();
        for (int segment : segments) {
            Workload objects = new Workload(objectBytes, segment);
            for (Case c : List.of(objects.encryptCase(), objects.decryptCase())) {
                Row row = measure(c, warmupRounds, rounds);
                System.err.printf(Locale.ROOT, "paired %s segment %d: median ratio %.3f [%.3f-%.3f], min/min %.3f;"
                                + " raw segmented / raw %.3f, format / raw segmented %.3f%n",
                        row.operation(), segment, row.ratioMedian(), row.ratioP25(), row.ratioP75(), row.minRatio(),
                        row.segmentedRatioMedian(), row.formatOverSegmentedMedian());
                rows.add(row);
            }
        }
        String json = String.format(Locale.ROOT, "{\"objectSizeBytes\": %d, \"rounds\": %d, \"warmupRounds\": %d, "
                        + "\"chunkBytes\": %d, \"rows\": [%n  %s%n]}%n", objectBytes, rounds, warmupRounds, CHUNK_BYTES,
                String.join(",\n  ", rows.stream().map(Row::json).toList()));
        if (out == null) {
            System.out.print(json);
        } else {
            Files.writeString(out, json, StandardCharsets.UTF_8);
        }
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /**
     * Checks every side, warms up, measures, and checks every side again. Each round runs the sides
     * back to back, the first one rotating from round to round (raw, format[, segmented]; then
     * format[, segmented], raw; ...), so no side always runs first or last.
     */
    static Row measure(Case c, int warmupRounds, int rounds) throws Exception {
        List<Side> sides = new ArrayList<>(List.of(c.raw(), c.format()));
        if (c.segmented() != null) {
            sides.add(c.segmented());
        }
        check(sides);
        for (int i = 0; i < warmupRounds; i++) {
            for (Side side : sides) {
                side.run().run();
            }
        }
        long[][] times = new long[sides.size()][rounds];
        double[] ratios = new double[rounds];
        double[] segmentedRatios = new double[rounds];
        double[] overSegmented = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < sides.size(); k++) {
                int side = (i + k) % sides.size();
                times[side][i] = time(sides.get(side));
            }
            ratios[i] = (double) times[1][i] / times[0][i];
            if (sides.size() == 3) {
                segmentedRatios[i] = (double) times[2][i] / times[0][i];
                overSegmented[i] = (double) times[1][i] / times[2][i];
            }
        }
        check(sides);
        Arrays.sort(ratios);
        Arrays.sort(segmentedRatios);
        Arrays.sort(overSegmented);
        for (long[] side : times) {
            Arrays.sort(side);
        }
        long[] raw = times[0];
        long[] format = times[1];
        boolean segmented = sides.size() == 3;
        return new Row(c.operation(), c.segmentSizeBytes(), rounds, quantile(ratios, 0.5), quantile(ratios, 0.25),
                quantile(ratios, 0.75), raw[0], format[0], Math.round(quantile(raw, 0.5)), Math.round(quantile(format, 0.5)),
                segmented ? quantile(segmentedRatios, 0.5) : 0, segmented ? quantile(overSegmented, 0.5) : 0,
                segmented ? times[2][0] : 0, segmented ? Math.round(quantile(times[2], 0.5)) : 0);
    }

    private static void check(List<Side> sides) throws Exception {
        for (Side side : sides) {
            side.run().run();
            side.verify().run();
        }
    }

    private static long time(Side side) throws Exception {
        long start = System.nanoTime();
        side.run().run();
        return System.nanoTime() - start;
    }

    /** Linear interpolation between the closest ranks of a sorted array (as numpy's default). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    static double quantile(long[] sorted, double q) {
        return quantile(Arrays.stream(sorted).asDoubleStream().toArray(), q);
    }

    static void requireEqual(byte[] expected, byte[] actual, int actualLength, String what) {
        if (actualLength != expected.length || !Arrays.equals(expected, 0, expected.length, actual, 0, actualLength)) {
            throw new IllegalStateException(what + " did not produce the expected bytes");
        }
    }

    /** The inputs and outputs of one segment size, and the four operations over them. */
    private static final class Workload {
        private final int objectBytes;
        private final int segmentBytes;
        private final byte[] plaintext;
        private final byte[] associatedData = BenchmarkData.objectAssociatedData();
        private final SecureRandom random = new SecureRandom();
        private final SecretKey rawKey;
        private final Cipher rawCipher;
        private long rawNonceCounter;
        private GCMParameterSpec rawLastNonce;
        private final byte[] rawCiphertextOut;
        private final GCMParameterSpec rawStoredNonce;
        private final byte[] rawStoredCiphertext;
        private final ObjectStreamParameters parameters;
        private final SecretBytes dataKey;
        private final byte[] streamCiphertextOut;
        private int streamCiphertextLength;
        private final byte[] streamStoredCiphertext;
        private final byte[] plaintextOut;
        private int plaintextOutLength;
        /** Raw segmented: the same key as the raw call, a fresh counter nonce per sealed segment. */
        private final int segmentCount;
        private final byte[] segmentedCiphertextOut;
        private final GCMParameterSpec[] segmentedLastNonces;
        private final byte[] segmentedStoredCiphertext;
        private final GCMParameterSpec[] segmentedStoredNonces;

        Workload(int objectBytes, int segmentBytes) throws GeneralSecurityException, IOException {
            this.objectBytes = objectBytes;
            this.segmentBytes = segmentBytes;
            plaintext = BenchmarkData.plaintext(objectBytes);
            plaintextOut = new byte[objectBytes];
            BenchmarkData.RawGcm raw = BenchmarkData.RawGcm.seal(plaintext, associatedData, random);
            rawKey = raw.key();
            rawCipher = raw.cipher();
            rawCiphertextOut = new byte[objectBytes + 16];
            rawStoredNonce = raw.storedNonce();
            rawStoredCiphertext = raw.storedCiphertext();

            parameters = new ObjectStreamParameters(segmentBytes);
            dataKey = SecretBytes.random(32, random);
            int ciphertextSize = BenchmarkData.streamCiphertextSize(parameters, objectBytes);
            // Room past the end: SunJCE asks for a tag's worth of free space even on update.
            streamCiphertextOut = new byte[ciphertextSize + 64];
            streamEncrypt();
            if (streamCiphertextLength != ciphertextSize) {
                throw new IllegalStateException("stream wrote " + streamCiphertextLength + " of " + ciphertextSize + " bytes");
            }
            streamStoredCiphertext = Arrays.copyOf(streamCiphertextOut, ciphertextSize);

            segmentCount = Math.max(1, (objectBytes + segmentBytes - 1) / segmentBytes);
            int segmentedSize = objectBytes + segmentCount * AesGcm.TAG_SIZE_BYTES;
            segmentedCiphertextOut = new byte[segmentedSize];
            segmentedLastNonces = new GCMParameterSpec[segmentCount];
            segmentedStoredCiphertext = new byte[segmentedSize];
            segmentedStoredNonces = new GCMParameterSpec[segmentCount];
            for (int i = 0; i < segmentCount; i++) {
                segmentedStoredNonces[i] = BenchmarkData.counterNonce(-2 - i);
                rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, segmentedStoredNonces[i]);
                rawCipher.doFinal(plaintext, i * segmentBytes, segmentLength(i), segmentedStoredCiphertext, sealedOffset(i));
            }
        }

        private int segmentLength(int index) {
            return index < segmentCount - 1 ? segmentBytes : objectBytes - (segmentCount - 1) * segmentBytes;
        }

        private int sealedOffset(int index) {
            return index * (segmentBytes + AesGcm.TAG_SIZE_BYTES);
        }

        Case encryptCase() {
            return new Case("encrypt", segmentBytes,
                    new Side(this::rawEncrypt, this::verifyRawCiphertext),
                    new Side(this::streamEncrypt, this::verifyStreamCiphertext),
                    new Side(this::segmentedEncrypt, this::verifySegmentedCiphertext));
        }

        Case decryptCase() {
            return new Case("decrypt", segmentBytes,
                    new Side(this::rawDecrypt, this::verifyPlaintextOut),
                    new Side(this::streamDecrypt, this::verifyPlaintextOut),
                    new Side(this::segmentedDecrypt, this::verifyPlaintextOut));
        }

        void rawEncrypt() throws GeneralSecurityException {
            rawLastNonce = BenchmarkData.counterNonce(rawNonceCounter++);
            rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, rawLastNonce);
            rawCipher.updateAAD(associatedData);
            rawCipher.doFinal(plaintext, 0, objectBytes, rawCiphertextOut, 0);
        }

        void streamEncrypt() {
            try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.start(parameters, dataKey, associatedData, objectBytes, random)) {
                int written = 0;
                for (int offset = 0; offset < objectBytes; offset += CHUNK_BYTES) {
                    written += encryptor.update(plaintext, offset, Math.min(CHUNK_BYTES, objectBytes - offset),
                            streamCiphertextOut, written);
                }
                streamCiphertextLength = written + encryptor.finish(streamCiphertextOut, written);
            }
        }

        /** One init (fresh nonce) and one doFinal per segment, no associated data: as the format seals a segment. */
        void segmentedEncrypt() throws GeneralSecurityException {
            for (int i = 0; i < segmentCount; i++) {
                segmentedLastNonces[i] = BenchmarkData.counterNonce(rawNonceCounter++);
                rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, segmentedLastNonces[i]);
                rawCipher.doFinal(plaintext, i * segmentBytes, segmentLength(i), segmentedCiphertextOut, sealedOffset(i));
            }
        }

        void segmentedDecrypt() throws GeneralSecurityException {
            int written = 0;
            for (int i = 0; i < segmentCount; i++) {
                rawCipher.init(Cipher.DECRYPT_MODE, rawKey, segmentedStoredNonces[i]);
                written += rawCipher.doFinal(segmentedStoredCiphertext, sealedOffset(i),
                        segmentLength(i) + AesGcm.TAG_SIZE_BYTES, plaintextOut, i * segmentBytes);
            }
            plaintextOutLength = written;
        }

        void rawDecrypt() throws GeneralSecurityException {
            rawCipher.init(Cipher.DECRYPT_MODE, rawKey, rawStoredNonce);
            rawCipher.updateAAD(associatedData);
            plaintextOutLength = rawCipher.doFinal(rawStoredCiphertext, 0, rawStoredCiphertext.length, plaintextOut, 0);
        }

        void streamDecrypt() throws IOException {
            plaintextOutLength = readAll(streamStoredCiphertext, streamStoredCiphertext.length, plaintextOut);
        }

        private int readAll(byte[] ciphertext, int length, byte[] into) throws IOException {
            try (ObjectStreamReader reader = ObjectStreamReader.open(dataKey, associatedData, CiphertextSource.of(
                    length == ciphertext.length ? ciphertext : Arrays.copyOf(ciphertext, length)), length);
                 InputStream in = reader.openAll()) {
                int position = 0;
                int readSize = Math.max(CHUNK_BYTES, reader.segmentSizeBytes());
                while (position < objectBytes) {
                    int n = in.read(into, position, Math.min(readSize, objectBytes - position));
                    if (n < 0) {
                        throw new EOFException("plaintext ended at " + position);
                    }
                    position += n;
                }
                if (in.read() != -1) {
                    throw new IllegalStateException("the stream holds more than " + objectBytes + " bytes");
                }
                return position;
            }
        }

        private void verifyRawCiphertext() throws GeneralSecurityException {
            Cipher check = Cipher.getInstance("AES/GCM/NoPadding");
            check.init(Cipher.DECRYPT_MODE, rawKey, rawLastNonce);
            check.updateAAD(associatedData);
            byte[] opened = check.doFinal(rawCiphertextOut);
            requireEqual(plaintext, opened, opened.length, "raw AES-GCM encrypt");
        }

        private void verifySegmentedCiphertext() throws GeneralSecurityException {
            Cipher check = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] opened = new byte[objectBytes];
            int n = 0;
            for (int i = 0; i < segmentCount; i++) {
                check.init(Cipher.DECRYPT_MODE, rawKey, segmentedLastNonces[i]);
                n += check.doFinal(segmentedCiphertextOut, sealedOffset(i), segmentLength(i) + AesGcm.TAG_SIZE_BYTES,
                        opened, i * segmentBytes);
            }
            requireEqual(plaintext, opened, n, "raw segmented AES-GCM encrypt");
        }

        private void verifyStreamCiphertext() throws IOException {
            byte[] opened = new byte[objectBytes];
            int n = readAll(streamCiphertextOut, streamCiphertextLength, opened);
            requireEqual(plaintext, opened, n, "object stream encrypt");
        }

        private void verifyPlaintextOut() {
            requireEqual(plaintext, plaintextOut, plaintextOutLength, "decrypt");
            Arrays.fill(plaintextOut, (byte) 0);
        }
    }
}

package dev.coffer.perf.crypto;

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
import javax.crypto.spec.SecretKeySpec;

/**
 * The object stream format's cost over raw AES-GCM as a paired ratio: each round times one raw call
 * and one format run back to back (alternating which goes first) and keeps their ratio, so a slow
 * moment on a shared machine slows both halves of the same round instead of only one side of the
 * comparison, as JMH's separate measurements of the two do. Reports per operation and segment size
 * the median of the per-round ratios with its quartiles, and the ratio of the fastest runs (min/min).
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

    /** The raw call and the format doing the same job over the same bytes. */
    record Case(String operation, int segmentSizeBytes, Side raw, Side format) {}

    /** One case's result; times in nanoseconds. */
    record Row(String operation, int segmentSizeBytes, int rounds, double ratioMedian, double ratioP25,
               double ratioP75, long rawMinNs, long formatMinNs, long rawMedianNs, long formatMedianNs) {
        double minRatio() {
            return (double) formatMinNs / rawMinNs;
        }

        String json() {
            return String.format(Locale.ROOT, "{\"operation\": \"%s\", \"segmentSizeBytes\": %d, \"rounds\": %d, "
                            + "\"ratioMedian\": %.4f, \"ratioP25\": %.4f, \"ratioP75\": %.4f, \"minRatio\": %.4f, "
                            + "\"rawMinNs\": %d, \"formatMinNs\": %d, \"rawMedianNs\": %d, \"formatMedianNs\": %d}",
                    operation, segmentSizeBytes, rounds, ratioMedian, ratioP25, ratioP75, minRatio(),
                    rawMinNs, formatMinNs, rawMedianNs, formatMedianNs);
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
                System.err.printf(Locale.ROOT, "paired %s segment %d: median ratio %.3f [%.3f-%.3f], min/min %.3f%n",
                        row.operation(), segment, row.ratioMedian(), row.ratioP25(), row.ratioP75(), row.minRatio());
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
     * Checks both sides, warms up, measures, and checks both sides again. Each round runs the two
     * back to back, raw first in even rounds and the format first in odd ones.
     */
    static Row measure(Case c, int warmupRounds, int rounds) throws Exception {
        check(c);
        for (int i = 0; i < warmupRounds; i++) {
            c.raw().run().run();
            c.format().run().run();
        }
        long[] raw = new long[rounds];
        long[] format = new long[rounds];
        double[] ratios = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if ((i & 1) == 0) {
                raw[i] = time(c.raw());
                format[i] = time(c.format());
            } else {
                format[i] = time(c.format());
                raw[i] = time(c.raw());
            }
            ratios[i] = (double) format[i] / raw[i];
        }
        check(c);
        Arrays.sort(ratios);
        Arrays.sort(raw);
        Arrays.sort(format);
        return new Row(c.operation(), c.segmentSizeBytes(), rounds, quantile(ratios, 0.5), quantile(ratios, 0.25),
                quantile(ratios, 0.75), raw[0], format[0], Math.round(quantile(raw, 0.5)), Math.round(quantile(format, 0.5)));
    }

    private static void check(Case c) throws Exception {
        c.raw().run().run();
        c.raw().verify().run();
        c.format().run().run();
        c.format().verify().run();
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
        private final GCMParameterSpec rawStoredNonce = BenchmarkData.counterNonce(-1);
        private final byte[] rawStoredCiphertext;
        private final ObjectStreamParameters parameters;
        private final SecretBytes dataKey;
        private final byte[] streamCiphertextOut;
        private int streamCiphertextLength;
        private final byte[] streamStoredCiphertext;
        private final byte[] plaintextOut;
        private int plaintextOutLength;

        Workload(int objectBytes, int segmentBytes) throws GeneralSecurityException, IOException {
            this.objectBytes = objectBytes;
            this.segmentBytes = segmentBytes;
            plaintext = BenchmarkData.plaintext(objectBytes);
            plaintextOut = new byte[objectBytes];
            byte[] keyBytes = new byte[32];
            random.nextBytes(keyBytes);
            rawKey = new SecretKeySpec(keyBytes, "AES");
            rawCipher = Cipher.getInstance("AES/GCM/NoPadding");
            rawCiphertextOut = new byte[objectBytes + 16];
            rawStoredCiphertext = new byte[objectBytes + 16];
            rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, rawStoredNonce);
            rawCipher.updateAAD(associatedData);
            rawCipher.doFinal(plaintext, 0, objectBytes, rawStoredCiphertext, 0);

            parameters = new ObjectStreamParameters(segmentBytes);
            dataKey = SecretBytes.random(32, random);
            int ciphertextSize;
            try (ObjectStreamEncryptor sizer = ObjectStreamEncryptor.start(parameters, dataKey, associatedData, objectBytes, random)) {
                ciphertextSize = Math.toIntExact(sizer.ciphertextSize());
            }
            // Room past the end: SunJCE asks for a tag's worth of free space even on update.
            streamCiphertextOut = new byte[ciphertextSize + 64];
            streamEncrypt();
            if (streamCiphertextLength != ciphertextSize) {
                throw new IllegalStateException("stream wrote " + streamCiphertextLength + " of " + ciphertextSize + " bytes");
            }
            streamStoredCiphertext = Arrays.copyOf(streamCiphertextOut, ciphertextSize);
        }

        Case encryptCase() {
            return new Case("encrypt", segmentBytes,
                    new Side(this::rawEncrypt, this::verifyRawCiphertext),
                    new Side(this::streamEncrypt, this::verifyStreamCiphertext));
        }

        Case decryptCase() {
            return new Case("decrypt", segmentBytes,
                    new Side(this::rawDecrypt, this::verifyPlaintextOut),
                    new Side(this::streamDecrypt, this::verifyPlaintextOut));
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

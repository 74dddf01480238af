package dev.coffer.perf.crypto;

import dev.coffer.crypto.ByteSink;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.stream.ObjectStreamEncryptor;
import dev.coffer.crypto.stream.ObjectStreamHeader;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.crypto.stream.ObjectStreamV1;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the object stream format's time goes, next to {@link ObjectStreamBenchmark}: the same 16 MiB
 * object and segment sizes, with one piece of the format's work added at a time. Each variant drives
 * {@code Cipher} directly with the stream's own content key, nonces and stored bytes, so the
 * difference between two neighbours is the cost of one thing:
 *
 * <ul>
 *   <li>{@code rawSegmented*}: one init and one tag per segment, nothing else: the floor for any
 *       segmented format;
 *   <li>{@code rawSegmentedEncryptChunked}: plus feeding 64 KiB chunks through {@code update};
 *   <li>{@code streamEncryptDiscarding}: the real encryptor with a sink that copies nothing (plus the
 *       per-stream header and key derivation, and the encryptor's own bookkeeping);
 *   <li>{@code rawSegmentedDecryptViaBuffers}: the copies {@code ObjectStreamReader} makes (source
 *       into a ciphertext buffer, then its plaintext buffer into the caller's array);
 *   <li>{@code copyOnly}: no cryptography, one copy of the object: the price of one extra pass.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ObjectStreamCostBenchmark {
    private static final int CHUNK_BYTES = ObjectStreamBenchmark.CHUNK_BYTES;

    @Param({"65536", "1048576"})
    public int segmentSizeBytes;

    @Param({"16777216"})
    public int objectSizeBytes;

    private byte[] plaintext;
    private byte[] associatedData;
    private ObjectStreamParameters parameters;
    private SecretBytes dataKey;
    private SecureRandom random;
    private int segments;

    /** The stored stream, its header, and its content key as a plain JDK key. */
    private byte[] stored;
    private ObjectStreamHeader storedHeader;
    private SecretKey contentKey;
    private GCMParameterSpec[] storedNonces;

    private Cipher cipher;
    private long encryptCounter;
    private byte[] ciphertextOut;
    private byte[] plaintextOut;
    private byte[] segmentCiphertext;
    private byte[] segmentPlaintext;

    @Setup
    public void setUp() throws GeneralSecurityException, IOException {
        BenchmarkData.warmUpAesGcm();
        random = new SecureRandom();
        plaintext = BenchmarkData.plaintext(objectSizeBytes);
        associatedData = BenchmarkData.objectAssociatedData();
        parameters = new ObjectStreamParameters(segmentSizeBytes);
        dataKey = SecretBytes.random(32, random);
        segments = Math.toIntExact(ObjectStreamV1.segmentCount(objectSizeBytes, segmentSizeBytes));
        int ciphertextSize = Math.toIntExact(ObjectStreamV1.ciphertextSize(objectSizeBytes, segmentSizeBytes));

        stored = new byte[ciphertextSize];
        ArraySink sink = new ArraySink(stored);
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.start(parameters, dataKey, associatedData, objectSizeBytes, random)) {
            encryptor.update(plaintext, 0, objectSizeBytes, sink);
            encryptor.finish(sink);
        }
        storedHeader = ObjectStreamHeader.parse(stored, 0);
        var formatKey = ObjectStreamV1.deriveContentKey(dataKey, storedHeader, associatedData);
        byte[] keyBytes = formatKey.getEncoded();
        contentKey = new SecretKeySpec(keyBytes, "AES");
        Arrays.fill(keyBytes, (byte) 0);
        formatKey.destroy();
        // Header layout (docs/formats/object-stream-v1.md): version, segment size, salt, nonce prefix.
        int prefixAt = 1 + 4 + ObjectStreamV1.SALT_SIZE_BYTES;
        byte[] noncePrefix = Arrays.copyOfRange(stored, prefixAt, prefixAt + ObjectStreamV1.NONCE_PREFIX_SIZE_BYTES);
        storedNonces = new GCMParameterSpec[segments];
        for (int i = 0; i < segments; i++) {
            storedNonces[i] = new GCMParameterSpec(BenchmarkData.TAG_SIZE_BITS,
                    ObjectStreamV1.segmentNonce(noncePrefix, i, i == segments - 1));
        }

        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        ciphertextOut = new byte[ciphertextSize];
        plaintextOut = new byte[objectSizeBytes];
        segmentCiphertext = new byte[segmentSizeBytes + 16];
        segmentPlaintext = new byte[segmentSizeBytes];

        for (int variant = 0; variant < 2; variant++) {
            if (variant == 0) {
                rawSegmentedDecrypt();
            } else {
                rawSegmentedDecryptViaBuffers();
            }
            if (!Arrays.equals(plaintext, plaintextOut)) {
                throw new IllegalStateException("raw segmented decryption did not return the plaintext");
            }
            Arrays.fill(plaintextOut, (byte) 0);
        }
    }

    private int segmentLength(int index) {
        return index < segments - 1 ? segmentSizeBytes : objectSizeBytes - (segments - 1) * segmentSizeBytes;
    }

    private static int storedSegmentOffset(int index, int segmentSizeBytes) {
        return ObjectStreamV1.HEADER_SIZE_BYTES + index * (segmentSizeBytes + 16);
    }

    /** Per segment: init with a fresh nonce, one doFinal straight into the output. */
    @Benchmark
    public int rawSegmentedEncrypt() throws GeneralSecurityException {
        int written = ObjectStreamV1.HEADER_SIZE_BYTES;
        for (int i = 0; i < segments; i++) {
            cipher.init(Cipher.ENCRYPT_MODE, contentKey, BenchmarkData.counterNonce(encryptCounter++));
            written += cipher.doFinal(plaintext, i * segmentSizeBytes, segmentLength(i), ciphertextOut, written);
        }
        return written;
    }

    /** As {@link #rawSegmentedEncrypt}, with the plaintext fed as 64 KiB {@code update} calls. */
    @Benchmark
    public int rawSegmentedEncryptChunked() throws GeneralSecurityException {
        int written = ObjectStreamV1.HEADER_SIZE_BYTES;
        for (int i = 0; i < segments; i++) {
            cipher.init(Cipher.ENCRYPT_MODE, contentKey, BenchmarkData.counterNonce(encryptCounter++));
            int from = i * segmentSizeBytes;
            int to = from + segmentLength(i);
            for (int offset = from; offset < to; offset += CHUNK_BYTES) {
                written += cipher.update(plaintext, offset, Math.min(CHUNK_BYTES, to - offset), ciphertextOut, written);
            }
            written += cipher.doFinal(ciphertextOut, written);
        }
        return written;
    }

    /** The real encryptor, fed 64 KiB chunks, with a sink that copies nothing. */
    @Benchmark
    public long streamEncryptDiscarding() throws IOException {
        CountingSink sink = new CountingSink();
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.start(parameters, dataKey, associatedData, objectSizeBytes, random)) {
            for (int offset = 0; offset < objectSizeBytes; offset += CHUNK_BYTES) {
                encryptor.update(plaintext, offset, Math.min(CHUNK_BYTES, objectSizeBytes - offset), sink);
            }
            encryptor.finish(sink);
        }
        return sink.count;
    }

    /** Per segment: init with the stored nonce, one doFinal from the stored bytes straight into the output. */
    @Benchmark
    public int rawSegmentedDecrypt() throws GeneralSecurityException {
        int written = 0;
        for (int i = 0; i < segments; i++) {
            cipher.init(Cipher.DECRYPT_MODE, contentKey, storedNonces[i]);
            written += cipher.doFinal(stored, storedSegmentOffset(i, segmentSizeBytes), segmentLength(i) + 16, plaintextOut, written);
        }
        return written;
    }

    /**
     * As {@link #rawSegmentedDecrypt}, through the buffers {@code ObjectStreamReader} uses: the source
     * copies the segment into a ciphertext buffer, the cipher writes a plaintext buffer, and 64 KiB
     * reads copy that out.
     */
    @Benchmark
    public int rawSegmentedDecryptViaBuffers() throws GeneralSecurityException {
        int written = 0;
        for (int i = 0; i < segments; i++) {
            int length = segmentLength(i) + 16;
            System.arraycopy(stored, storedSegmentOffset(i, segmentSizeBytes), segmentCiphertext, 0, length);
            cipher.init(Cipher.DECRYPT_MODE, contentKey, storedNonces[i]);
            int n = cipher.doFinal(segmentCiphertext, 0, length, segmentPlaintext, 0);
            for (int offset = 0; offset < n; offset += CHUNK_BYTES) {
                int take = Math.min(CHUNK_BYTES, n - offset);
                System.arraycopy(segmentPlaintext, offset, plaintextOut, written, take);
                written += take;
            }
        }
        return written;
    }

    /**
     * No cryptography: one copy of the whole object, 64 KiB at a time, from a buffer that stays in
     * cache into the object-sized output, which is what the encryptor's sink does on top of the
     * cipher's own output. The price of one extra pass over the data.
     */
    @Benchmark
    public int copyOnly() {
        int written = 0;
        for (int offset = 0; offset < objectSizeBytes; offset += CHUNK_BYTES) {
            int take = Math.min(CHUNK_BYTES, objectSizeBytes - offset);
            System.arraycopy(segmentPlaintext, 0, plaintextOut, offset, take);
            written += take;
        }
        return written;
    }

    /** Counts what it is given and keeps nothing, so the encryptor's output is not copied. */
    private static final class CountingSink implements ByteSink {
        long count;

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length + bytes[offset + length - 1];
        }
    }
}

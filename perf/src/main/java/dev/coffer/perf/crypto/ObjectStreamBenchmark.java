package dev.coffer.perf.crypto;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.stream.CiphertextSource;
import dev.coffer.crypto.stream.ObjectStreamDecryptor;
import dev.coffer.crypto.stream.ObjectStreamEncryptor;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.crypto.stream.ObjectStreamReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
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
 * One whole object (16 MiB) through object stream format v1, beside one raw AES-GCM call over the same
 * bytes. An operation is the whole object, so the time per operation includes what the format does
 * once per object (a random header, the HKDF content key, buffers) and once per segment (an init and
 * a tag); bytes per second is {@code objectSizeBytes} over the score.
 *
 * <p>Plaintext arrives in {@value #CHUNK_BYTES}-byte chunks, as a network body would, and is read back
 * in chunks of the same size. Every output goes into a preallocated array, for the raw call and the
 * format alike.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ObjectStreamBenchmark {
    static final int CHUNK_BYTES = 64 * 1024;

    @Param({"65536", "1048576"})
    public int segmentSizeBytes;

    @Param({"16777216"})
    public int objectSizeBytes;

    private byte[] plaintext;
    private byte[] associatedData;

    private SecretKey rawKey;
    private Cipher rawCipher;
    private long rawNonceCounter;
    private byte[] rawCiphertextOut;
    private GCMParameterSpec rawStoredNonce;
    private byte[] rawStoredCiphertext;

    private ObjectStreamParameters parameters;
    private SecretBytes dataKey;
    private SecureRandom random;
    private ArraySink streamCiphertextSink;
    private byte[] streamStoredCiphertext;
    private CiphertextSource streamStoredSource;

    private byte[] plaintextOut;
    private ArraySink plaintextSink;

    @Setup
    public void setUp() throws GeneralSecurityException, IOException {
        BenchmarkData.warmUpAesGcm();
        random = new SecureRandom();
        plaintext = BenchmarkData.plaintext(objectSizeBytes);
        associatedData = BenchmarkData.objectAssociatedData();
        plaintextOut = new byte[objectSizeBytes];
        plaintextSink = new ArraySink(plaintextOut);

        BenchmarkData.RawGcm raw = BenchmarkData.RawGcm.seal(plaintext, associatedData, random);
        rawKey = raw.key();
        rawCipher = raw.cipher();
        rawCiphertextOut = new byte[objectSizeBytes + 16];
        rawStoredNonce = raw.storedNonce();
        rawStoredCiphertext = raw.storedCiphertext();

        parameters = new ObjectStreamParameters(segmentSizeBytes);
        dataKey = SecretBytes.random(32, random);
        int ciphertextSize = BenchmarkData.streamCiphertextSize(parameters, objectSizeBytes);
        // Room past the end: SunJCE asks for a tag's worth of free space even on update.
        streamCiphertextSink = new ArraySink(new byte[ciphertextSize + 64]);
        streamStoredCiphertext = new byte[ciphertextSize];
        ArraySink stored = new ArraySink(streamStoredCiphertext);
        encryptStream(stored);
        streamStoredSource = CiphertextSource.of(streamStoredCiphertext);

        checkRoundTrips(ciphertextSize, stored.position());
    }

    /** Fails the run before measuring if any benchmark would not do the whole job correctly. */
    private void checkRoundTrips(int ciphertextSize, int streamWritten) throws GeneralSecurityException, IOException {
        if (streamWritten != ciphertextSize) {
            throw new IllegalStateException("stream wrote " + streamWritten + " of " + ciphertextSize + " bytes");
        }
        if (streamEncrypt() != ciphertextSize) {
            throw new IllegalStateException("streamEncrypt wrote a short stream");
        }
        rawAesGcmDecrypt();
        checkPlaintextOut("rawAesGcmDecrypt");
        streamDecrypt();
        checkPlaintextOut("streamDecrypt");
        streamDecryptPushed();
        checkPlaintextOut("streamDecryptPushed");
    }

    private void checkPlaintextOut(String benchmark) {
        if (!Arrays.equals(plaintext, plaintextOut)) {
            throw new IllegalStateException(benchmark + " did not return the plaintext");
        }
        Arrays.fill(plaintextOut, (byte) 0);
    }

    /** The limit for encryption: one AES-GCM call over the whole object, with a fresh nonce. */
    @Benchmark
    public int rawAesGcmEncrypt() throws GeneralSecurityException {
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, BenchmarkData.counterNonce(rawNonceCounter++));
        rawCipher.updateAAD(associatedData);
        return rawCipher.doFinal(plaintext, 0, objectSizeBytes, rawCiphertextOut, 0);
    }

    /** A PUT: a new stream (random header, derived key), plaintext fed as 64 KiB network chunks. */
    @Benchmark
    public int streamEncrypt() {
        // The data path's form: ciphertext written straight into the caller's array, as raw does.
        byte[] out = streamCiphertextSink.rewind().array();
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.start(parameters, dataKey, associatedData, objectSizeBytes, random)) {
            int written = 0;
            for (int offset = 0; offset < objectSizeBytes; offset += CHUNK_BYTES) {
                written += encryptor.update(plaintext, offset, Math.min(CHUNK_BYTES, objectSizeBytes - offset), out, written);
            }
            return written + encryptor.finish(out, written);
        }
    }

    /** The convenience form: ciphertext pushed from the encryptor's working buffer to a sink that copies it. */
    @Benchmark
    public int streamEncryptToSink() throws IOException {
        return encryptStream(streamCiphertextSink.rewind());
    }

    private int encryptStream(ArraySink sink) throws IOException {
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.start(parameters, dataKey, associatedData, objectSizeBytes, random)) {
            for (int offset = 0; offset < objectSizeBytes; offset += CHUNK_BYTES) {
                encryptor.update(plaintext, offset, Math.min(CHUNK_BYTES, objectSizeBytes - offset), sink);
            }
            encryptor.finish(sink);
        }
        return sink.position();
    }

    /** The limit for decryption: one AES-GCM call that verifies and decrypts the whole object. */
    @Benchmark
    public int rawAesGcmDecrypt() throws GeneralSecurityException {
        rawCipher.init(Cipher.DECRYPT_MODE, rawKey, rawStoredNonce);
        rawCipher.updateAAD(associatedData);
        return rawCipher.doFinal(rawStoredCiphertext, 0, rawStoredCiphertext.length, plaintextOut, 0);
    }

    /**
     * A GET of a stored object: open the reader (header, derived key), read it all a segment at a
     * time, as a GET handler sizes its reads, so each segment is decrypted straight into the output.
     */
    @Benchmark
    public int streamDecrypt() throws IOException {
        try (ObjectStreamReader reader = ObjectStreamReader.open(dataKey, associatedData, streamStoredSource, streamStoredCiphertext.length);
             InputStream in = reader.openAll()) {
            int position = 0;
            int readSize = Math.max(CHUNK_BYTES, reader.segmentSizeBytes());
            while (position < objectSizeBytes) {
                int n = in.read(plaintextOut, position, Math.min(readSize, objectSizeBytes - position));
                if (n < 0) {
                    throw new EOFException("plaintext ended at " + position);
                }
                position += n;
            }
            return position;
        }
    }

    /** A stream of unknown length (a pipe, a remote body): ciphertext pushed through in 64 KiB chunks. */
    @Benchmark
    public int streamDecryptPushed() throws IOException {
        ArraySink sink = plaintextSink.rewind();
        ObjectStreamDecryptor decryptor = new ObjectStreamDecryptor(dataKey, associatedData);
        int size = streamStoredCiphertext.length;
        for (int offset = 0; offset < size; offset += CHUNK_BYTES) {
            decryptor.update(streamStoredCiphertext, offset, Math.min(CHUNK_BYTES, size - offset), sink);
        }
        decryptor.finish(sink);
        return sink.position();
    }
}

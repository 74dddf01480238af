package dev.coffer.perf.crypto;

import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.stream.CiphertextSource;
import dev.coffer.crypto.stream.ObjectStreamEncryptor;
import dev.coffer.crypto.stream.ObjectStreamHeader;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.crypto.stream.ObjectStreamReader;
import dev.coffer.crypto.stream.ObjectStreamV1;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fixed costs of the object stream format, which do not depend on the object's size: per stream
 * (random header, HKDF content key, encryptor or reader set-up) and per segment (an AES-GCM init and
 * a tag). Multiply by the segment count to see what they cost an object.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StreamFixedCostBenchmark {
    private byte[] associatedData;
    private SecretBytes dataKey;
    private SecureRandom random;
    private ObjectStreamParameters parameters;
    private ObjectStreamHeader header;
    private byte[] emptyStream;
    private CiphertextSource emptyStreamSource;

    private Cipher cipher;
    private long counter;
    private SecretKeySpec keySpec;
    private AesKey aesKey;
    private byte[] tagOut;

    @Setup
    public void setUp() throws GeneralSecurityException, IOException {
        BenchmarkData.warmUpAesGcm();
        associatedData = BenchmarkData.objectAssociatedData();
        random = new SecureRandom();
        dataKey = SecretBytes.random(32, random);
        parameters = ObjectStreamParameters.defaults();
        header = ObjectStreamHeader.random(parameters, random);
        try (ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.start(parameters, dataKey, associatedData, 0, random)) {
            emptyStream = new byte[Math.toIntExact(encryptor.ciphertextSize())];
            encryptor.finish(new ArraySink(emptyStream));
        }
        emptyStreamSource = CiphertextSource.of(emptyStream);
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        aesKey = ObjectStreamV1.deriveContentKey(dataKey, header, associatedData);
        keySpec = new SecretKeySpec(aesKey.getEncoded(), "AES");
        tagOut = new byte[16];
    }

    /** Per stream: HKDF-SHA256 from the data key to the content key. */
    @Benchmark
    public AesKey deriveContentKey() {
        return ObjectStreamV1.deriveContentKey(dataKey, header, associatedData);
    }

    /** Per PUT: random header, content key, cipher and working buffer. */
    @Benchmark
    public ObjectStreamEncryptor startEncryptor() {
        ObjectStreamEncryptor encryptor = ObjectStreamEncryptor.start(parameters, dataKey, associatedData, 1 << 20, random);
        encryptor.close();
        return encryptor;
    }

    /** Per GET: read and parse the header, derive the content key. */
    @Benchmark
    public long openReader() throws IOException {
        try (ObjectStreamReader reader = ObjectStreamReader.open(dataKey, associatedData, emptyStreamSource, emptyStream.length)) {
            return reader.plaintextSize();
        }
    }

    /** Per segment, with the JDK's own key class: init with a fresh nonce and seal nothing (the tag only). */
    @Benchmark
    public int segmentInitAndTagSecretKeySpec() throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, keySpec, BenchmarkData.counterNonce(counter++));
        return cipher.doFinal(tagOut, 0);
    }

    /** Per segment, with the format's destroyable key class, as the encryptor does it. */
    @Benchmark
    public int segmentInitAndTagAesKey() throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, aesKey, BenchmarkData.counterNonce(counter++));
        return cipher.doFinal(tagOut, 0);
    }
}

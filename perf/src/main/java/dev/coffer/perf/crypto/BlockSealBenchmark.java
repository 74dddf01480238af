package dev.coffer.perf.crypto;

import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.block.BlockSealParameters;
import dev.coffer.crypto.block.BlockSealV1;
import dev.coffer.crypto.block.VolumeBlockCipher;
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
 * One volume block through block seal format v1, beside one raw AES-GCM call (init, associated data
 * of the same length as the format's, doFinal, fresh nonce) over the same block. Each operation takes
 * the next of {@value #BLOCKS} blocks in turn, so the data streams through the caches the way a burst
 * of writes would instead of one block staying in L1.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BlockSealBenchmark {
    static final int BLOCKS = 256;
    /** A volume id as the block store would bind blocks to it (a UUID). */
    private static final String VOLUME_BINDING_ID = "3f2c9a7e-5b1d-4e8f-9a6c-0d4b7e1f2a3c";

    @Param({"4096"})
    public int blockSizeBytes;

    private int sealedSizeBytes;
    private int rawSealedSizeBytes;
    private int next;

    private byte[] plaintext;
    private byte[] plaintextOut;

    private SecretKey rawKey;
    private Cipher rawCipher;
    private long rawNonceCounter;
    private byte[] rawAssociatedData;
    private byte[] rawSealedOut;
    private GCMParameterSpec[] rawStoredNonces;
    private byte[] rawStoredSealed;

    private VolumeBlockCipher volume;
    private byte[] volumeSealedOut;
    private byte[] volumeStoredSealed;

    @Setup
    public void setUp() throws GeneralSecurityException, CiphertextRejectedException {
        BenchmarkData.warmUpAesGcm();
        SecureRandom random = new SecureRandom();
        plaintext = BenchmarkData.plaintext(BLOCKS * blockSizeBytes);
        plaintextOut = new byte[BLOCKS * blockSizeBytes];

        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        rawKey = new SecretKeySpec(keyBytes, "AES");
        rawCipher = Cipher.getInstance("AES/GCM/NoPadding");
        rawSealedSizeBytes = blockSizeBytes + BlockSealV1.TAG_SIZE_BYTES;
        // The same length as the format's: version, block size, block index, binding id.
        rawAssociatedData = BlockSealV1.associatedData(BlockSealV1.bindingIdBytes(VOLUME_BINDING_ID), blockSizeBytes, 0);
        rawSealedOut = new byte[BLOCKS * rawSealedSizeBytes];
        rawStoredSealed = new byte[BLOCKS * rawSealedSizeBytes];
        rawStoredNonces = new GCMParameterSpec[BLOCKS];
        for (int i = 0; i < BLOCKS; i++) {
            rawStoredNonces[i] = BenchmarkData.counterNonce(-1 - i);
            rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, rawStoredNonces[i]);
            rawCipher.updateAAD(rawAssociatedData);
            rawCipher.doFinal(plaintext, i * blockSizeBytes, blockSizeBytes, rawStoredSealed, i * rawSealedSizeBytes);
        }

        try (SecretBytes volumeDataKey = SecretBytes.random(BlockSealV1.DATA_KEY_SIZE_BYTES, random)) {
            volume = new VolumeBlockCipher(volumeDataKey, VOLUME_BINDING_ID, new BlockSealParameters(blockSizeBytes), random);
        }
        sealedSizeBytes = volume.sealedSizeBytes();
        volumeSealedOut = new byte[BLOCKS * sealedSizeBytes];
        volumeStoredSealed = new byte[BLOCKS * sealedSizeBytes];
        for (int i = 0; i < BLOCKS; i++) {
            volume.seal(i, plaintext, i * blockSizeBytes, volumeStoredSealed, i * sealedSizeBytes);
        }

        checkRoundTrips();
    }

    /** Fails the run before measuring if an open benchmark would not return the plaintext. */
    private void checkRoundTrips() throws GeneralSecurityException, CiphertextRejectedException {
        for (int i = 0; i < BLOCKS; i++) {
            rawAesGcmOpen4k();
        }
        checkPlaintextOut("rawAesGcmOpen4k");
        for (int i = 0; i < BLOCKS; i++) {
            volumeBlockOpen4k();
        }
        checkPlaintextOut("volumeBlockOpen4k");
        next = 0;
    }

    private void checkPlaintextOut(String benchmark) {
        if (!Arrays.equals(plaintext, plaintextOut)) {
            throw new IllegalStateException(benchmark + " did not return the plaintext");
        }
        Arrays.fill(plaintextOut, (byte) 0);
    }

    private int nextBlock() {
        int block = next;
        next = (block + 1) & (BLOCKS - 1);
        return block;
    }

    /** The limit for sealing: init with a fresh nonce, associated data, one doFinal. */
    @Benchmark
    public int rawAesGcmSeal4k() throws GeneralSecurityException {
        int block = nextBlock();
        rawCipher.init(Cipher.ENCRYPT_MODE, rawKey, BenchmarkData.counterNonce(rawNonceCounter++));
        rawCipher.updateAAD(rawAssociatedData);
        return rawCipher.doFinal(plaintext, block * blockSizeBytes, blockSizeBytes, rawSealedOut, block * rawSealedSizeBytes);
    }

    @Benchmark
    public int volumeBlockSeal4k() {
        int block = nextBlock();
        volume.seal(block, plaintext, block * blockSizeBytes, volumeSealedOut, block * sealedSizeBytes);
        return block;
    }

    /** The limit for opening: init with the block's nonce, associated data, one doFinal that verifies. */
    @Benchmark
    public int rawAesGcmOpen4k() throws GeneralSecurityException {
        int block = nextBlock();
        rawCipher.init(Cipher.DECRYPT_MODE, rawKey, rawStoredNonces[block]);
        rawCipher.updateAAD(rawAssociatedData);
        return rawCipher.doFinal(rawStoredSealed, block * rawSealedSizeBytes, rawSealedSizeBytes, plaintextOut, block * blockSizeBytes);
    }

    @Benchmark
    public int volumeBlockOpen4k() throws CiphertextRejectedException {
        int block = nextBlock();
        volume.open(block, volumeStoredSealed, block * sealedSizeBytes, plaintextOut, block * blockSizeBytes);
        return block;
    }
}

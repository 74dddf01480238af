package dev.coffer.crypto.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretBytes;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The nonce discipline of {@link VolumeBlockCipher}: a random key salt per instance (session) and a
 * big-endian counter nonce within it, so no (salt, nonce) pair, and hence no (key, nonce) pair,
 * repeats. Rotation after {@link VolumeBlockCipher#SEALS_PER_SESSION_KEY} seals cannot be reached
 * in a test; what is checked is the counter format it relies on.
 */
class VolumeBlockCipherNonceTest {
    private static final int BLOCK = 512;
    private static final BlockSealParameters PARAMETERS = new BlockSealParameters(BLOCK);
    private static final int SALT_AT = 1;
    private static final int NONCE_AT = 1 + BlockSealV1.KEY_SALT_SIZE_BYTES;

    private final SecretBytes volumeKey = SecretBytes.copyOf(plaintextOf(-1, 32));

    private static ByteBuffer saltAndNonce(byte[] sealed) {
        return ByteBuffer.wrap(Arrays.copyOfRange(sealed, SALT_AT, BlockSealV1.HEADER_SIZE_BYTES));
    }

    private static byte[] nonce(byte[] sealed) {
        return Arrays.copyOfRange(sealed, NONCE_AT, BlockSealV1.HEADER_SIZE_BYTES);
    }

    private static byte[] salt(byte[] sealed) {
        return Arrays.copyOfRange(sealed, SALT_AT, NONCE_AT);
    }

    @Test
    void nonceOfTheNthSealOfAFreshInstanceIsNAsA96BitBigEndianCounter() {
        try (VolumeBlockCipher cipher = new VolumeBlockCipher(volumeKey, "vol", PARAMETERS, new SecureRandom())) {
            byte[] block = new byte[BLOCK];
            byte[] sealed = new byte[cipher.sealedSizeBytes()];
            byte[] firstSalt = null;
            for (long n = 0; n < 70_000; n++) {
                // Rewrites of one block index still take the next counter value.
                cipher.seal(n % 3, block, 0, sealed, 0);
                byte[] expected = ByteBuffer.allocate(12).putInt(0).putLong(n).array();
                if (!Arrays.equals(nonce(sealed), expected)) {
                    assertThat(HexFormat.of().formatHex(nonce(sealed))).as("nonce of seal %d", n)
                            .isEqualTo(HexFormat.of().formatHex(expected));
                }
                if (firstSalt == null) {
                    firstSalt = salt(sealed);
                }
                if (!Arrays.equals(salt(sealed), firstSalt)) {
                    throw new AssertionError("seal " + n + " changed the salt within one session");
                }
            }
        }
    }

    @Test
    void noSaltAndNoncePairRepeatsAcrossManySealsAndInstances() {
        Set<ByteBuffer> seen = new HashSet<>();
        byte[] block = new byte[BLOCK];
        int seals = 0;
        for (int instance = 0; instance < 5; instance++) {
            int count = instance == 0 ? 100_000 : 2_000;
            try (VolumeBlockCipher cipher = new VolumeBlockCipher(volumeKey, "vol", PARAMETERS, new SecureRandom())) {
                byte[] sealed = new byte[cipher.sealedSizeBytes()];
                for (int i = 0; i < count; i++) {
                    cipher.seal(i % 16, block, 0, sealed, 0);
                    if (!seen.add(saltAndNonce(sealed))) {
                        throw new AssertionError("seal " + i + " of instance " + instance + " repeated a (salt, nonce) pair");
                    }
                    seals++;
                }
            }
        }
        assertThat(seen).hasSize(seals).hasSize(108_000);
    }

    @Test
    void instancesOverTheSameKeyDrawDifferentSalts() {
        Set<String> salts = new HashSet<>();
        byte[] block = new byte[BLOCK];
        for (int i = 0; i < 200; i++) {
            try (VolumeBlockCipher cipher = new VolumeBlockCipher(volumeKey, "vol", PARAMETERS, new SecureRandom())) {
                byte[] sealed = new byte[cipher.sealedSizeBytes()];
                cipher.seal(0, block, 0, sealed, 0);
                assertThat(nonce(sealed)).as("every fresh session starts its counter at zero").isEqualTo(new byte[12]);
                assertThat(salts.add(HexFormat.of().formatHex(salt(sealed)))).as("instance %d has a new salt", i).isTrue();
            }
        }
    }

    @Test
    void sessionKeyIsUsedForAtMostTwoToThe32Seals() {
        assertThat(VolumeBlockCipher.SEALS_PER_SESSION_KEY).isEqualTo(1L << 32);
    }

    @Test
    void concurrentSealsAllOpenAndTakeEveryCounterValueExactlyOnce() throws Exception {
        int threads = 4;
        int sealsPerThread = 5_000;
        try (VolumeBlockCipher cipher = new VolumeBlockCipher(volumeKey, "vol", PARAMETERS, new SecureRandom());
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<byte[][]>> results = IntStream.range(0, threads).mapToObj(t -> pool.submit((Callable<byte[][]>) () -> {
                start.await();
                byte[][] sealed = new byte[sealsPerThread][];
                for (int i = 0; i < sealsPerThread; i++) {
                    long index = (long) t * sealsPerThread + i;
                    sealed[i] = new byte[cipher.sealedSizeBytes()];
                    cipher.seal(index, plaintextOf(index), 0, sealed[i], 0);
                }
                return sealed;
            })).toList();
            start.countDown();

            Set<Long> counters = new HashSet<>();
            Set<ByteBuffer> pairs = new HashSet<>();
            byte[] opened = new byte[BLOCK];
            for (int t = 0; t < threads; t++) {
                byte[][] sealed = results.get(t).get();
                for (int i = 0; i < sealsPerThread; i++) {
                    long index = (long) t * sealsPerThread + i;
                    openOrFail(cipher, index, sealed[i], opened);
                    assertThat(opened).isEqualTo(plaintextOf(index));
                    assertThat(pairs.add(saltAndNonce(sealed[i]))).isTrue();
                    counters.add(ByteBuffer.wrap(nonce(sealed[i])).getLong(4));
                }
            }
            assertThat(counters).hasSize(threads * sealsPerThread)
                    .allMatch(c -> c >= 0 && c < (long) threads * sealsPerThread);
        }
    }

    @Test
    void opensBlocksOfMoreSessionsThanItsSessionKeyCacheHolds() throws CiphertextRejectedException {
        int sessions = 1100;
        byte[][] sealed = new byte[sessions][];
        for (int s = 0; s < sessions; s++) {
            try (VolumeBlockCipher writer = new VolumeBlockCipher(volumeKey, "vol", PARAMETERS, new SecureRandom())) {
                sealed[s] = new byte[writer.sealedSizeBytes()];
                writer.seal(s, plaintextOf(s), 0, sealed[s], 0);
            }
        }
        try (VolumeBlockCipher reader = new VolumeBlockCipher(volumeKey, "vol", PARAMETERS, new SecureRandom())) {
            byte[] opened = new byte[BLOCK];
            for (int round = 0; round < 2; round++) {
                for (int s = 0; s < sessions; s++) {
                    reader.open(s, sealed[s], 0, opened, 0);
                    assertThat(opened).isEqualTo(plaintextOf(s));
                }
                // Its own session survives the cache eviction.
                byte[] own = new byte[reader.sealedSizeBytes()];
                reader.seal(5000 + round, plaintextOf(5000 + round), 0, own, 0);
                reader.open(5000 + round, own, 0, opened, 0);
                assertThat(opened).isEqualTo(plaintextOf(5000 + round));
            }
        }
    }

    private static void openOrFail(VolumeBlockCipher cipher, long index, byte[] sealed, byte[] out) {
        try {
            cipher.open(index, sealed, 0, out, 0);
        } catch (CiphertextRejectedException e) {
            throw new AssertionError("block " + index + " was sealed concurrently and must open", e);
        }
    }

    private static byte[] plaintextOf(long index) {
        return plaintextOf(index, BLOCK);
    }

    private static byte[] plaintextOf(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}

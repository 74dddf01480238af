package dev.coffer.blockstore.engine;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.block.BlockSealParameters;
import dev.coffer.crypto.block.VolumeBlockCipher;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/** Keys, codecs and patterns for the engine tests. */
final class TestCodecs {
    static final SecureRandom RANDOM = new SecureRandom();

    private TestCodecs() {
    }

    static byte[] dataKey(int seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return key;
    }

    /** A sealed codec with a new cipher session, as every open of an encrypted volume makes one. */
    static BlockCodec sealed(byte[] dataKey, String bindingId, int blockSize) {
        VolumeBlockCipher cipher = new VolumeBlockCipher(SecretBytes.copyOf(dataKey), bindingId,
                new BlockSealParameters(blockSize), RANDOM);
        return new BlockCodec.Sealed(cipher, bindingId);
    }

    /**
     * One test volume's binding id and codec, for the tests that run on an encrypted and a plaintext
     * volume alike: sealed under {@code dataKey} and bound to {@code bindingId}, or plaintext.
     */
    record ForVolume(byte[] dataKey, String bindingId, int blockSize) {
        Optional<String> binding(boolean sealed) {
            return sealed ? Optional.of(bindingId) : Optional.empty();
        }

        BlockCodec codec(boolean sealed) {
            return sealed ? TestCodecs.sealed(dataKey, bindingId, blockSize) : BlockCodec.plaintext();
        }
    }

    static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    static byte[] read(VolumeDevice device, long offset, int length) throws Exception {
        byte[] out = new byte[length];
        device.read(offset, out, 0, length);
        return out;
    }

    /** True if {@code needle} occurs in {@code haystack}. */
    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

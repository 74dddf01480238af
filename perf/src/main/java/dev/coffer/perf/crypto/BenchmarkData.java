package dev.coffer.perf.crypto;

import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.AssociatedData;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.crypto.stream.ObjectStreamParameters;
import dev.coffer.crypto.stream.ObjectStreamV1;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Inputs shared by the crypto benchmarks: deterministic filler, and fresh nonces for raw AES-GCM. */
final class BenchmarkData {
    static final int TAG_SIZE_BITS = 128;
    private static final long SEED = 0x436f66666572L;
    /** SunJCE hands AES-GCM input to its intrinsic in pieces of at most this size. */
    private static final int SUNJCE_SPLIT_BYTES = 1024 * 1024;

    private BenchmarkData() {}

    /**
     * Pseudo-random plaintext; the cipher's speed does not depend on the bytes, but a JIT or a page
     * deduplicator could profit from zeros.
     */
    static byte[] plaintext(int sizeBytes) {
        byte[] b = new byte[sizeBytes];
        new SplittableRandom(SEED).nextBytes(b);
        return b;
    }

    /** The associated data an S3 PUT binds an object to: bucket, key, and the format's own fields. */
    static byte[] objectAssociatedData() {
        return AssociatedData.ofFields("benchmark-bucket", "objects/2026/05/some-object-key.bin", "1");
    }

    /**
     * The raw side of a format-versus-raw comparison: a fresh AES-256 key, a cipher, and the object
     * sealed once under {@link #counterNonce counterNonce(-1)} with the object's associated data (the
     * stored ciphertext raw decryption reads; encryption uses nonces from 0 up).
     */
    record RawGcm(SecretKey key, Cipher cipher, GCMParameterSpec storedNonce, byte[] storedCiphertext) {
        static RawGcm seal(byte[] plaintext, byte[] associatedData, SecureRandom random) throws GeneralSecurityException {
            byte[] keyBytes = new byte[32];
            random.nextBytes(keyBytes);
            SecretKey key = new SecretKeySpec(keyBytes, "AES");
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            GCMParameterSpec storedNonce = counterNonce(-1);
            byte[] stored = new byte[plaintext.length + TAG_SIZE_BITS / 8];
            cipher.init(Cipher.ENCRYPT_MODE, key, storedNonce);
            cipher.updateAAD(associatedData);
            cipher.doFinal(plaintext, 0, plaintext.length, stored, 0);
            return new RawGcm(key, cipher, storedNonce, stored);
        }
    }

    /** The exact size of the object stream of {@code plaintextBytes} bytes under {@code parameters}. */
    static int streamCiphertextSize(ObjectStreamParameters parameters, long plaintextBytes) {
        return Math.toIntExact(ObjectStreamV1.ciphertextSize(plaintextBytes, parameters.segmentSizeBytes()));
    }

    /**
     * Gets SunJCE's AES-GCM to its steady state, compiled by C2 with every branch the benchmarks take,
     * before anything is measured.
     *
     * <p>Why: the AVX-512 AES-GCM stub runs only from C2-compiled callers. If C2 compiled them from a
     * profile that missed a branch, the first call that takes it deoptimises them, and they run without
     * the stub until thousands of calls later. A benchmark whose operation is one 16 MiB call makes a
     * few hundred calls a second, so that took 10 s here, beyond JMH's warm-up: the raw baseline was
     * measured at 7 ms instead of 2.5 ms per 16 MiB, flattering the format. Branches that small calls
     * never take: inputs above 1 MiB (SunJCE splits them) with and without a remainder, a new key for a
     * cipher (a new key schedule), and a second key class ({@code SecretKeySpec} and {@link AesKey}).
     * A server that has handled some traffic is past all of this, so this is the state to measure.
     */
    static void warmUpAesGcm() throws GeneralSecurityException {
        byte[] keyBytes = new byte[32];
        SecretKey[] keys = new SecretKey[4];
        for (int k = 0; k < keys.length; k++) {
            keyBytes[0] = (byte) k;
            try (SecretBytes secret = SecretBytes.copyOf(keyBytes)) {
                keys[k] = k % 2 == 0 ? new SecretKeySpec(keyBytes, "AES") : AesKey.of(secret);
            }
        }
        byte[] aad = objectAssociatedData();
        byte[] noAad = new byte[0];
        byte[] small = plaintext(4096);
        byte[] splitExactly = plaintext(2 * SUNJCE_SPLIT_BYTES);
        byte[] splitWithRemainder = plaintext(SUNJCE_SPLIT_BYTES + small.length);
        byte[] sealed = new byte[splitExactly.length + 16];
        byte[] opened = new byte[splitExactly.length];
        Cipher cipher = null;
        for (int i = 0; i < 24_000; i++) {
            if (i % 4_000 == 0) {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            }
            SecretKey key = keys[(i / 8) % keys.length];
            byte[] in = i % 250 == 0 ? splitExactly : i % 250 == 125 ? splitWithRemainder : small;
            byte[] associatedData = i % 3 == 0 ? noAad : aad;
            GCMParameterSpec nonce = counterNonce(Long.MIN_VALUE + i);
            cipher.init(Cipher.ENCRYPT_MODE, key, nonce);
            if (associatedData.length > 0) {
                cipher.updateAAD(associatedData);
            }
            int sealedLength;
            if ((i & 1) == 0) {
                sealedLength = cipher.doFinal(in, 0, in.length, sealed, 0);
            } else {
                int n = cipher.update(in, 0, in.length, sealed, 0);
                sealedLength = n + cipher.doFinal(sealed, n);
            }
            cipher.init(Cipher.DECRYPT_MODE, key, nonce);
            if (associatedData.length > 0) {
                cipher.updateAAD(associatedData);
            }
            cipher.doFinal(sealed, 0, sealedLength, opened, 0);
        }
    }

    /**
     * A 96-bit nonce holding {@code counter}: SunJCE refuses to reuse the previous (key, nonce) pair for
     * encryption, and a real caller never would, so every raw encryption takes the next counter value.
     */
    static GCMParameterSpec counterNonce(long counter) {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] = (byte) (counter >>> (8 * i));
        }
        return new GCMParameterSpec(TAG_SIZE_BITS, nonce);
    }
}

package dev.coffer.crypto.block;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.Hkdf;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The pure functions of block seal format v1 (docs/formats/block-seal-v1.md).
 *
 * <pre>
 * sealed block = version (1) || key salt (16) || nonce (12) || ciphertext (block size) || tag (16)
 * session key  = HKDF-SHA256(ikm = volume data key, salt = key salt, info = "coffer/block-seal/v1")
 * aad          = version (1) || block size (4, BE) || block index (8, BE) || volume binding id (UTF-8)
 * </pre>
 *
 * The nonce discipline (a fresh random key salt per sealing session, a counter nonce within it, at
 * most 2^32 seals per session key) lives in {@link VolumeBlockCipher}; readers do not interpret the
 * nonce.
 */
public final class BlockSealV1 {
    public static final int VERSION = 1;
    public static final int KEY_SALT_SIZE_BYTES = 16;
    public static final int NONCE_SIZE_BYTES = AesGcm.NONCE_SIZE_BYTES;
    public static final int TAG_SIZE_BYTES = AesGcm.TAG_SIZE_BYTES;
    public static final int HEADER_SIZE_BYTES = 1 + KEY_SALT_SIZE_BYTES + NONCE_SIZE_BYTES;
    /** Storage overhead per block: header plus tag. */
    public static final int OVERHEAD_BYTES = HEADER_SIZE_BYTES + TAG_SIZE_BYTES;
    public static final int MAX_VOLUME_BINDING_ID_BYTES = 255;
    public static final int DATA_KEY_SIZE_BYTES = 32;

    static final byte[] KDF_INFO = "coffer/block-seal/v1".getBytes(StandardCharsets.US_ASCII);

    private BlockSealV1() {}

    public static int sealedSize(int blockSizeBytes) {
        return blockSizeBytes + OVERHEAD_BYTES;
    }

    /** The session key for one key salt. */
    public static AesKey deriveSessionKey(SecretBytes volumeDataKey, byte[] keySalt) {
        if (volumeDataKey.size() != DATA_KEY_SIZE_BYTES) {
            throw new IllegalArgumentException("volume data key must be " + DATA_KEY_SIZE_BYTES + " bytes, got " + volumeDataKey.size());
        }
        if (keySalt.length != KEY_SALT_SIZE_BYTES) {
            throw new IllegalArgumentException("key salt must be " + KEY_SALT_SIZE_BYTES + " bytes");
        }
        try (SecretBytes key = Hkdf.deriveKey(volumeDataKey, keySalt, KDF_INFO, AesKey.SIZE_BYTES)) {
            return AesKey.of(key);
        }
    }

    /** The associated data binding a block to its volume, its index and the block size. */
    public static byte[] associatedData(byte[] volumeBindingId, int blockSizeBytes, long blockIndex) {
        if (blockIndex < 0) {
            throw new IllegalArgumentException("negative block index");
        }
        byte[] aad = new byte[1 + 4 + 8 + volumeBindingId.length];
        aad[0] = (byte) VERSION;
        writeInt(aad, 1, blockSizeBytes);
        writeInt(aad, 5, (int) (blockIndex >>> 32));
        writeInt(aad, 9, (int) blockIndex);
        System.arraycopy(volumeBindingId, 0, aad, 13, volumeBindingId.length);
        return aad;
    }

    /** The volume binding id as bytes, checked for length. */
    public static byte[] bindingIdBytes(String volumeBindingId) {
        byte[] id = volumeBindingId.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > MAX_VOLUME_BINDING_ID_BYTES) {
            throw new IllegalArgumentException("volume binding id must be 1.." + MAX_VOLUME_BINDING_ID_BYTES + " UTF-8 bytes");
        }
        return id;
    }

    /** Seals one block with an explicit session key, salt and nonce into {@code sealed} at {@code sealedOffset}. */
    public static void seal(AesGcm gcm, AesKey sessionKey, byte[] keySalt, byte[] nonce,
                            byte[] volumeBindingId, long blockIndex,
                            byte[] plaintext, int plaintextOffset, int blockSizeBytes,
                            byte[] sealed, int sealedOffset) {
        sealed[sealedOffset] = (byte) VERSION;
        System.arraycopy(keySalt, 0, sealed, sealedOffset + 1, KEY_SALT_SIZE_BYTES);
        System.arraycopy(nonce, 0, sealed, sealedOffset + 1 + KEY_SALT_SIZE_BYTES, NONCE_SIZE_BYTES);
        byte[] aad = associatedData(volumeBindingId, blockSizeBytes, blockIndex);
        gcm.seal(sessionKey, nonce, aad, plaintext, plaintextOffset, blockSizeBytes, sealed, sealedOffset + HEADER_SIZE_BYTES);
    }

    /** Reads the version byte and the key salt of a sealed block, refusing unknown versions. */
    public static byte[] keySalt(byte[] sealed, int sealedOffset) throws CiphertextRejectedException {
        int version = sealed[sealedOffset] & 0xff;
        if (version != VERSION) {
            throw CiphertextRejectedException.unsupportedVersion("block seal", version);
        }
        return Arrays.copyOfRange(sealed, sealedOffset + 1, sealedOffset + 1 + KEY_SALT_SIZE_BYTES);
    }

    /** Verifies and decrypts one sealed block with the session key of its salt. */
    public static void open(AesGcm gcm, AesKey sessionKey, byte[] volumeBindingId, long blockIndex,
                            byte[] sealed, int sealedOffset, int blockSizeBytes,
                            byte[] plaintext, int plaintextOffset) throws CiphertextRejectedException {
        if ((sealed[sealedOffset] & 0xff) != VERSION) {
            throw CiphertextRejectedException.unsupportedVersion("block seal", sealed[sealedOffset] & 0xff);
        }
        int nonceAt = sealedOffset + 1 + KEY_SALT_SIZE_BYTES;
        byte[] nonce = Arrays.copyOfRange(sealed, nonceAt, nonceAt + NONCE_SIZE_BYTES);
        byte[] aad = associatedData(volumeBindingId, blockSizeBytes, blockIndex);
        gcm.open(sessionKey, nonce, aad, sealed, sealedOffset + HEADER_SIZE_BYTES,
                blockSizeBytes + TAG_SIZE_BYTES, plaintext, plaintextOffset);
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}

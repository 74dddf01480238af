package dev.coffer.kms.core;

import dev.coffer.crypto.envelope.EncryptionContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * KMS ciphertext blob format v1 (docs/formats/kms-ciphertext-v1.md).
 *
 * <pre>
 * offset size   field
 * 0      1      version 0x01
 * 1      16     key id (UUID, big-endian)
 * 17     4      material version (uint32)
 * 21     12     derivation nonce: the per-call key K = AES-256-ECB_material(0x01 000000 || nonce, 0x02 000000 || nonce)
 * 33     12     GCM nonce
 * 45     n+16   AES-256-GCM(K, GCM nonce, aad, plaintext) || tag
 * aad = "coffer/kms-ciphertext/v1" || 0x00 || bytes [0, 45) || canonical encryption context
 * </pre>
 *
 * The per-call key derivation (as AWS KMS derives a fresh key from the HSM backing key and a nonce)
 * keeps every material version far from GCM's 2^32 random-nonce limit.
 */
public record CiphertextBlob(UUID keyId, int materialVersion, byte[] derivationNonce, byte[] gcmNonce, byte[] sealed) {
    public static final int VERSION = 1;
    public static final int NONCE_SIZE_BYTES = 12;
    public static final int HEADER_SIZE_BYTES = 1 + 16 + 4 + NONCE_SIZE_BYTES + NONCE_SIZE_BYTES;
    public static final int TAG_SIZE_BYTES = 16;
    private static final byte[] LABEL = "coffer/kms-ciphertext/v1".getBytes(StandardCharsets.US_ASCII);

    /** Parses a blob; anything not a v1 blob is {@link IllegalArgumentException} (InvalidCiphertextException on the wire). */
    public static CiphertextBlob parse(byte[] blob) {
        if (blob.length < HEADER_SIZE_BYTES + TAG_SIZE_BYTES || (blob[0] & 0xff) != VERSION) {
            throw new IllegalArgumentException("not a Coffer KMS ciphertext blob of a known version");
        }
        ByteBuffer b = ByteBuffer.wrap(blob);
        b.get();
        UUID keyId = new UUID(b.getLong(), b.getLong());
        int materialVersion = b.getInt();
        byte[] derivation = new byte[NONCE_SIZE_BYTES];
        byte[] gcm = new byte[NONCE_SIZE_BYTES];
        b.get(derivation);
        b.get(gcm);
        byte[] sealed = Arrays.copyOfRange(blob, HEADER_SIZE_BYTES, blob.length);
        return new CiphertextBlob(keyId, materialVersion, derivation, gcm, sealed);
    }

    public byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE_BYTES);
        b.put((byte) VERSION).putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits())
                .putInt(materialVersion).put(derivationNonce).put(gcmNonce);
        return b.array();
    }

    public byte[] toBytes() {
        byte[] header = header();
        byte[] out = Arrays.copyOf(header, header.length + sealed.length);
        System.arraycopy(sealed, 0, out, header.length, sealed.length);
        return out;
    }

    /** The associated data: label, header, canonical encryption context. */
    public byte[] associatedData(EncryptionContext context) {
        byte[] header = header();
        byte[] ctx = context.canonicalBytes();
        byte[] aad = new byte[LABEL.length + 1 + header.length + ctx.length];
        System.arraycopy(LABEL, 0, aad, 0, LABEL.length);
        System.arraycopy(header, 0, aad, LABEL.length + 1, header.length);
        System.arraycopy(ctx, 0, aad, LABEL.length + 1 + header.length, ctx.length);
        return aad;
    }

    /** The two AES blocks the HSM encrypts under the material to derive the per-call key. */
    public static byte[] derivationInput(byte[] derivationNonce) {
        byte[] in = new byte[32];
        in[0] = 0x01;
        System.arraycopy(derivationNonce, 0, in, 4, NONCE_SIZE_BYTES);
        in[16] = 0x02;
        System.arraycopy(derivationNonce, 0, in, 20, NONCE_SIZE_BYTES);
        return in;
    }
}

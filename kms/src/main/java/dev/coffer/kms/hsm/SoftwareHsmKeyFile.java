package dev.coffer.kms.hsm;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.CiphertextRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * The software HSM's key file, format v1 (docs/HSM.md, "Software HSM key file v1"): pure functions
 * from (master key, label, kind, material) to file bytes and back, with no I/O.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "CSHK"
 * 4       1     version = 1
 * 5       1     kind: 1 = AES-256 key, 2 = EC P-256 signing key pair
 * 6       12    nonce (random)
 * 18      n+16  AES-256-GCM(master key, nonce, aad, material) = ciphertext || tag
 * aad = bytes 0..5 || UTF-8(label)
 * </pre>
 *
 * Binding the label as associated data means a file copied or renamed to another label's name does
 * not open; binding the header means its kind cannot be changed. Readers fail closed on any other
 * magic, version or kind.
 */
final class SoftwareHsmKeyFile {
    static final byte[] MAGIC = {'C', 'S', 'H', 'K'};
    static final byte VERSION_1 = 1;
    static final int HEADER_SIZE_BYTES = 6;
    static final int NONCE_OFFSET = HEADER_SIZE_BYTES;
    static final int BODY_OFFSET = NONCE_OFFSET + AesGcm.NONCE_SIZE_BYTES;

    /** What a key file holds. */
    enum Kind {
        /** 32 bytes of AES-256 key. */
        AES_256((byte) 1),
        /** u16 length || PKCS#8 EC P-256 private key || X.509 SubjectPublicKeyInfo of its public key. */
        EC_P256_SIGNING((byte) 2);

        final byte code;

        Kind(byte code) {
            this.code = code;
        }

        static Kind of(byte code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A key file's kind and its opened material; the caller zeroises {@code material}. */
    record Opened(Kind kind, byte[] material) {}

    private SoftwareHsmKeyFile() {}

    static byte[] seal(AesGcm gcm, SecretKey masterKey, String label, Kind kind, byte[] nonce, byte[] material) {
        if (nonce.length != AesGcm.NONCE_SIZE_BYTES) {
            throw new IllegalArgumentException("nonce must be " + AesGcm.NONCE_SIZE_BYTES + " bytes");
        }
        byte[] file = new byte[BODY_OFFSET + material.length + AesGcm.TAG_SIZE_BYTES];
        writeHeader(file, kind);
        System.arraycopy(nonce, 0, file, NONCE_OFFSET, nonce.length);
        gcm.seal(masterKey, nonce, associatedData(file, label), material, 0, material.length, file, BODY_OFFSET);
        return file;
    }

    /**
     * Opens a key file read for {@code label}.
     *
     * @throws HsmException naming the label if the file is not a v1 key file or fails authentication
     *     (altered, truncated, written for another label, or sealed under another master key)
     */
    static Opened open(AesGcm gcm, SecretKey masterKey, String label, byte[] file) throws HsmException {
        if (file.length < BODY_OFFSET + AesGcm.TAG_SIZE_BYTES
                || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw corrupt(label, "not a software HSM key file");
        }
        if (file[4] != VERSION_1) {
            throw corrupt(label, "unsupported key file version " + (file[4] & 0xff));
        }
        Kind kind = Kind.of(file[5]);
        if (kind == null) {
            throw corrupt(label, "unknown key kind " + (file[5] & 0xff));
        }
        byte[] nonce = Arrays.copyOfRange(file, NONCE_OFFSET, BODY_OFFSET);
        int sealedLength = file.length - BODY_OFFSET;
        byte[] material = new byte[sealedLength - AesGcm.TAG_SIZE_BYTES];
        try {
            gcm.open(masterKey, nonce, associatedData(file, label), file, BODY_OFFSET, sealedLength, material, 0);
        } catch (CiphertextRejectedException e) {
            Arrays.fill(material, (byte) 0);
            throw corrupt(label, "it failed authentication (altered, written for another label, or sealed under another master key)");
        }
        return new Opened(kind, material);
    }

    private static void writeHeader(byte[] file, Kind kind) {
        System.arraycopy(MAGIC, 0, file, 0, MAGIC.length);
        file[4] = VERSION_1;
        file[5] = kind.code;
    }

    private static byte[] associatedData(byte[] file, String label) {
        byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
        byte[] aad = Arrays.copyOf(file, HEADER_SIZE_BYTES + labelBytes.length);
        System.arraycopy(labelBytes, 0, aad, HEADER_SIZE_BYTES, labelBytes.length);
        return aad;
    }

    private static HsmException corrupt(String label, String why) {
        return new HsmException("software HSM key file for label '" + label + "' is unusable: " + why);
    }
}

package dev.coffer.auth.identity;

import dev.coffer.crypto.AesGcm;
import dev.coffer.crypto.AesKey;
import dev.coffer.crypto.CiphertextRejectedException;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A {@link SecretSealer} over a 256-bit AES key held in memory: version (1) || nonce (12) ||
 * AES-GCM(secret, aad = "coffer/iam-secret/v1" || context) || tag. The gateway derives its key from
 * the HSM; tests create one directly.
 */
public final class AesGcmSecretSealer implements SecretSealer {
    private static final int VERSION = 1;
    private static final byte[] LABEL = "coffer/iam-secret/v1:".getBytes(StandardCharsets.US_ASCII);

    private final AesKey key;
    private final SecureRandom random;

    public AesGcmSecretSealer(SecretBytes key, SecureRandom random) {
        this.key = AesKey.of(key);
        this.random = random;
    }

    @Override
    public byte[] seal(SecretBytes secret, String context) {
        byte[] nonce = new byte[AesGcm.NONCE_SIZE_BYTES];
        random.nextBytes(nonce);
        byte[] out = new byte[1 + nonce.length + secret.size() + AesGcm.TAG_SIZE_BYTES];
        out[0] = VERSION;
        System.arraycopy(nonce, 0, out, 1, nonce.length);
        new AesGcm().seal(key, nonce, aad(context), secret.unsafeView(SecretAccess.explicitly()), 0, secret.size(),
                out, 1 + nonce.length);
        return out;
    }

    @Override
    public SecretBytes open(byte[] sealed, String context) {
        if (sealed.length < 1 + AesGcm.NONCE_SIZE_BYTES + AesGcm.TAG_SIZE_BYTES || sealed[0] != VERSION) {
            throw new IllegalStateException("stored secret has an unknown format");
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + AesGcm.NONCE_SIZE_BYTES);
        int length = sealed.length - 1 - AesGcm.NONCE_SIZE_BYTES;
        byte[] plain = new byte[length - AesGcm.TAG_SIZE_BYTES];
        try {
            new AesGcm().open(key, nonce, aad(context), sealed, 1 + AesGcm.NONCE_SIZE_BYTES, length, plain, 0);
        } catch (CiphertextRejectedException e) {
            throw new IllegalStateException("stored secret failed authentication for " + context);
        }
        return SecretBytes.takeOwnership(plain);
    }

    private static byte[] aad(String context) {
        byte[] c = context.getBytes(StandardCharsets.UTF_8);
        byte[] aad = Arrays.copyOf(LABEL, LABEL.length + c.length);
        System.arraycopy(c, 0, aad, LABEL.length, c.length);
        return aad;
    }

    @Override
    public String toString() {
        return "AesGcmSecretSealer";
    }
}

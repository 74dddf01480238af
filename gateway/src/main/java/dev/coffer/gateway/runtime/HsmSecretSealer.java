package dev.coffer.gateway.runtime;

import dev.coffer.auth.identity.SecretSealer;
import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import dev.coffer.kms.hsm.Hsm;
import dev.coffer.kms.hsm.HsmException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Seals IAM secret access keys inside the HSM (AES-GCM under an HSM-held key), so the identity
 * database holds no usable secret: version (1) || IV (12) || ciphertext || tag, with the access key
 * id as associated data.
 */
final class HsmSecretSealer implements SecretSealer {
    static final String LABEL = "iam/internal/secret-sealing";
    private static final int VERSION = 1;

    private final Hsm hsm;
    private final SecureRandom random;

    HsmSecretSealer(Hsm hsm, SecureRandom random) {
        this.hsm = hsm;
        this.random = random;
        if (!hsm.containsKey(LABEL)) {
            hsm.generateAesKey(LABEL);
        }
    }

    @Override
    public byte[] seal(SecretBytes secret, String context) {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        try {
            byte[] sealed = hsm.seal(LABEL, iv, aad(context), secret.unsafeView(SecretAccess.explicitly()));
            byte[] out = new byte[1 + iv.length + sealed.length];
            out[0] = VERSION;
            System.arraycopy(iv, 0, out, 1, iv.length);
            System.arraycopy(sealed, 0, out, 1 + iv.length, sealed.length);
            return out;
        } catch (HsmException e) {
            throw new IllegalStateException("the HSM could not seal a secret access key", e);
        }
    }

    @Override
    public SecretBytes open(byte[] sealed, String context) {
        if (sealed.length < 1 + 12 + 16 || sealed[0] != VERSION) {
            throw new IllegalStateException("stored secret access key has an unknown format");
        }
        try {
            return SecretBytes.takeOwnership(hsm.open(LABEL, Arrays.copyOfRange(sealed, 1, 13), aad(context),
                    Arrays.copyOfRange(sealed, 13, sealed.length)));
        } catch (HsmException e) {
            throw new IllegalStateException("stored secret access key of " + context + " failed to open", e);
        }
    }

    private static byte[] aad(String context) {
        return ("coffer/iam-secret/v1:" + context).getBytes(StandardCharsets.UTF_8);
    }
}

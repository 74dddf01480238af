package dev.coffer.crypto.envelope;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A data key wrapped by a keyring, as stored beside the data it protects: which provider wrapped it
 * ({@code providerId}, e.g. {@code aws-kms}), provider-specific information (e.g. the KMS key ARN)
 * and the wrapped bytes. Not secret; a reader that does not know the provider fails closed.
 */
public final class EncryptedDataKey {
    private final String providerId;
    private final String providerInfo;
    private final byte[] ciphertext;

    public EncryptedDataKey(String providerId, String providerInfo, byte[] ciphertext) {
        if (providerId == null || providerId.isEmpty()) {
            throw new IllegalArgumentException("providerId must be non-empty");
        }
        this.providerId = providerId;
        this.providerInfo = Objects.requireNonNull(providerInfo, "providerInfo");
        this.ciphertext = ciphertext.clone();
    }

    public String providerId() {
        return providerId;
    }

    public String providerInfo() {
        return providerInfo;
    }

    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedDataKey other && providerId.equals(other.providerId)
                && providerInfo.equals(other.providerInfo) && Arrays.equals(ciphertext, other.ciphertext);
    }

    @Override
    public int hashCode() {
        return Objects.hash(providerId, providerInfo, Arrays.hashCode(ciphertext));
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(ciphertext, 0, Math.min(8, ciphertext.length));
        return "EncryptedDataKey[" + providerId + ", " + providerInfo + ", " + ciphertext.length + " bytes " + head + "...]";
    }
}

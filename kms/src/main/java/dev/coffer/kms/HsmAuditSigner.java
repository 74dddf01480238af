package dev.coffer.kms;

import dev.coffer.kms.audit.AuditSigner;
import dev.coffer.kms.hsm.Hsm;
import dev.coffer.kms.hsm.HsmException;

/** Signs audit digests with a key pair held in the HSM (created on first use). */
public final class HsmAuditSigner implements AuditSigner {
    public static final String DEFAULT_LABEL = "kms/internal/audit-digest-signing";

    private final Hsm hsm;
    private final String label;

    public HsmAuditSigner(Hsm hsm, String label) {
        this.hsm = hsm;
        this.label = label;
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            return hsm.sign(label, data);
        } catch (HsmException e) {
            throw new IllegalStateException("the HSM could not sign an audit digest: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean verify(byte[] data, byte[] signature) {
        try {
            return hsm.verify(label, data, signature);
        } catch (HsmException e) {
            return false;
        }
    }

    @Override
    public String algorithm() {
        return hsm.signatureAlgorithm();
    }

    @Override
    public String keyLabel() {
        return label;
    }
}

package dev.coffer.kms.core;

import java.time.Instant;

/**
 * One version of a key's material, which lives in the HSM under {@code hsmLabel}. Versions are
 * never removed before the key is deleted, so every ciphertext ever produced stays decryptable.
 *
 * @param version 1 for the original material, then 2, 3... with each rotation (named in ciphertexts)
 * @param materialId the KeyMaterialId AWS reports (64 hex characters)
 * @param rotationType null for the original material, else AUTOMATIC or ON_DEMAND
 * @param imported whether the material came from ImportKeyMaterial
 * @param validTo when imported material expires (null: never)
 * @param present false once imported material expired or was deleted (the HSM key is destroyed)
 * @param importFingerprint for imported material, HMAC-SHA256(material, "coffer/kms-import-fingerprint/v1")
 *     in hex, so a re-import can be checked to be the same material (IncorrectKeyMaterialException)
 */
public record KeyMaterial(int version, String materialId, String hsmLabel, Instant createdAt, String rotationType,
                          boolean imported, Instant validTo, boolean present, String importFingerprint) {

    public KeyMaterial withPresence(boolean nowPresent, Instant newValidTo) {
        return new KeyMaterial(version, materialId, hsmLabel, createdAt, rotationType, imported, newValidTo, nowPresent,
                importFingerprint);
    }
}

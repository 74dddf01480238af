package dev.coffer.kms.core;

/** KMS key states, named exactly as on the wire (the subset a single-Region, HSM-backed key store has). */
public enum KeyState {
    Enabled,
    Disabled,
    PendingDeletion,
    PendingImport
}

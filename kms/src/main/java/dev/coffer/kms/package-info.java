/**
 * The AWS-KMS-compatible key service: JSON 1.1 wire protocol, key lifecycle, the HSM port, the
 * ciphertext-blob format, rotation, imported material, aliases, grants and the audit trail.
 * Empty until the KMS issue builds it.
 */
package dev.coffer.kms;

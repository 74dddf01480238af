/**
 * The KMS audit trail: one CloudTrail-format record per KMS call or service event ({@link
 * dev.coffer.kms.audit.AuditRecord}), appended durably to hourly files by {@link
 * dev.coffer.kms.audit.AuditTrail}, sealed by signed digest files that chain SHA-256 hashes, checked
 * by {@link dev.coffer.kms.audit.AuditVerifier} and searched by {@link dev.coffer.kms.audit.AuditLookup}.
 *
 * <p>The on-disk format is specified in {@code docs/formats/audit-trail-v1.md}. Signing goes through
 * the {@link dev.coffer.kms.audit.AuditSigner} port so that the digest key can live in the HSM.
 */
package dev.coffer.kms.audit;

package dev.coffer.kms.audit;

/**
 * The audit trail cannot do what was asked: a record could not be made durable, the trail directory
 * is in use or unreadable, a stored record or digest is malformed. Messages name files and fields,
 * never record contents. A KMS call whose record cannot be appended must fail: no audit, no operation.
 */
public class AuditTrailException extends RuntimeException {
    public AuditTrailException(String message) {
        super(message);
    }

    public AuditTrailException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.coffer.s3.sse;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;

/**
 * How S3 answers when the KMS refuses a key use: AccessDenied as itself (403), the key-state
 * errors as AWS S3 shows them ({@code KMS.<KMS error>}, 400), throttling as 503, and a KMS that
 * cannot be reached as 503 ServiceUnavailable. Anything else is an internal error: it means a
 * stored envelope the KMS will not open (tampered, or made under another context).
 */
final class KmsErrors {
    private KmsErrors() {
    }

    static S3Exception translate(KeyServiceException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return switch (e.kmsErrorType()) {
            case "AccessDeniedException" -> new S3Exception(S3Error.ACCESS_DENIED, message.isEmpty() ? "Access Denied" : message);
            case "NotFoundException" -> new S3Exception(S3Error.KMS_NOT_FOUND, message);
            case "DisabledException" -> new S3Exception(S3Error.KMS_DISABLED, message);
            case "KMSInvalidStateException", "KeyUnavailableException" -> new S3Exception(S3Error.KMS_INVALID_STATE, message);
            case "ThrottlingException", "LimitExceededException" -> new S3Exception(S3Error.KMS_THROTTLING, message);
            case KeyServiceException.UNAVAILABLE -> new S3Exception(S3Error.SERVICE_UNAVAILABLE,
                    "The key management service is unavailable; nothing was stored or returned.");
            default -> new S3Exception(S3Error.INTERNAL_ERROR,
                    "The key management service refused the object's stored data key (" + e.kmsErrorType() + ").");
        };
    }
}

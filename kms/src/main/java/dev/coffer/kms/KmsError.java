package dev.coffer.kms;

/**
 * Every error the KMS returns, with its wire name ({@code __type}) and HTTP status, as AWS KMS does.
 * Handlers throw {@link KmsException} with one of these; the protocol renders it once.
 */
public enum KmsError {
    ACCESS_DENIED("AccessDeniedException", 400),
    ALREADY_EXISTS("AlreadyExistsException", 400),
    CONFLICT("ConflictException", 400),
    DISABLED("DisabledException", 400),
    EXPIRED_IMPORT_TOKEN("ExpiredImportTokenException", 400),
    INCORRECT_KEY("IncorrectKeyException", 400),
    INCORRECT_KEY_MATERIAL("IncorrectKeyMaterialException", 400),
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400),
    INVALID_ALIAS_NAME("InvalidAliasNameException", 400),
    INVALID_ARN("InvalidArnException", 400),
    INVALID_CIPHERTEXT("InvalidCiphertextException", 400),
    INVALID_GRANT_ID("InvalidGrantIdException", 400),
    INVALID_GRANT_TOKEN("InvalidGrantTokenException", 400),
    INVALID_IMPORT_TOKEN("InvalidImportTokenException", 400),
    INVALID_KEY_USAGE("InvalidKeyUsageException", 400),
    INVALID_MARKER("InvalidMarkerException", 400),
    INVALID_SIGNATURE("InvalidSignatureException", 400),
    INVALID_STATE("KMSInvalidStateException", 400),
    LIMIT_EXCEEDED("LimitExceededException", 400),
    MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocumentException", 400),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 400),
    NOT_FOUND("NotFoundException", 400),
    REQUEST_TOO_LARGE("RequestEntityTooLargeException", 413),
    SERIALIZATION("SerializationException", 400),
    TAG("TagException", 400),
    THROTTLING("ThrottlingException", 400),
    UNKNOWN_OPERATION("UnknownOperationException", 400),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400),
    UNSUPPORTED_OPERATION("UnsupportedOperationException", 400),
    VALIDATION("ValidationException", 400),
    INTERNAL("KMSInternalException", 500);

    private final String wireName;
    private final int httpStatus;

    KmsError(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    /** The {@code __type} value. */
    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}

package dev.coffer.auth.iam;

/**
 * Every error the IAM Query API returns here, with its {@code <Code>}, HTTP status and fault type,
 * as AWS IAM answers them (statuses from the botocore IAM model where it declares them). Handlers
 * throw {@link IamException} with one of these; {@link IamXmlRenderer} renders it once.
 */
public enum IamError {
    NO_SUCH_ENTITY("NoSuchEntity", 404, Fault.SENDER),
    ENTITY_ALREADY_EXISTS("EntityAlreadyExists", 409, Fault.SENDER),
    DELETE_CONFLICT("DeleteConflict", 409, Fault.SENDER),
    LIMIT_EXCEEDED("LimitExceeded", 409, Fault.SENDER),
    /** A parameter breaks the model's constraints (missing, too long, wrong pattern). */
    VALIDATION_ERROR("ValidationError", 400, Fault.SENDER),
    /** A parameter is well formed but not acceptable (here: features Coffer does not implement). */
    INVALID_INPUT("InvalidInput", 400, Fault.SENDER),
    MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocument", 400, Fault.SENDER),
    ACCESS_DENIED("AccessDenied", 403, Fault.SENDER),
    /** The access key id is unknown or inactive. */
    INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", 403, Fault.SENDER),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403, Fault.SENDER),
    /** The Authorization header or presigned parameters are malformed or incomplete. */
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400, Fault.SENDER),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 403, Fault.SENDER),
    /** The request time is too far from the server's clock, or a presigned URL expired. */
    REQUEST_EXPIRED("RequestExpired", 400, Fault.SENDER),
    /** No Action, an Action this API does not have, another API Version, or another HTTP method. */
    INVALID_ACTION("InvalidAction", 400, Fault.SENDER),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", 413, Fault.SENDER),
    /** Anything unexpected: the caller sees a generic message and the request id, never the cause. */
    SERVICE_FAILURE("ServiceFailure", 500, Fault.RECEIVER);

    /** Whose fault an error is: the {@code <Type>} element of an error response. */
    public enum Fault {
        SENDER("Sender"),
        RECEIVER("Receiver");

        private final String wireName;

        Fault(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final String code;
    private final int httpStatus;
    private final Fault fault;

    IamError(String code, int httpStatus, Fault fault) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.fault = fault;
    }

    /** The {@code <Code>} value. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Fault fault() {
        return fault;
    }
}

package dev.coffer.blockstore.ec2;

/**
 * Every error the EC2 API returns here, with its {@code <Code>} and HTTP status, as EC2 answers them
 * (codes from AWS's "Error codes for the Amazon EC2 API"). Handlers throw {@link Ec2Exception} with
 * one of these; {@link Ec2XmlRenderer} renders it once.
 *
 * <p>KMS failures ({@code VolumeKeyException}) are reported synchronously, which AWS does not always
 * do (it may accept CreateVolume with an unusable key and fail the volume later); the mapping is in
 * {@link Ec2Keys#translate}: a key that does not exist is {@link #INVALID_PARAMETER_VALUE}, a key
 * that is disabled or pending deletion {@link #INVALID_KMS_KEY_STATE} (the code EC2 reports for such
 * a key at launch), a key the requester may not use {@link #UNAUTHORIZED_OPERATION}, KMS throttling
 * {@link #REQUEST_LIMIT_EXCEEDED}, and an unreachable KMS {@link #UNAVAILABLE}.
 */
public enum Ec2Error {
    INVALID_ACTION("InvalidAction", 400),
    MISSING_PARAMETER("MissingParameter", 400),
    INVALID_PARAMETER_VALUE("InvalidParameterValue", 400),
    INVALID_PARAMETER_COMBINATION("InvalidParameterCombination", 400),
    /** A parameter that needs another one (KmsKeyId without Encrypted=true). */
    INVALID_PARAMETER_DEPENDENCY("InvalidParameterDependency", 400),
    INVALID_PAGINATION_TOKEN("InvalidPaginationToken", 400),
    UNSUPPORTED_OPERATION("UnsupportedOperation", 400),
    INVALID_VOLUME_ID_MALFORMED("InvalidVolumeID.Malformed", 400),
    INVALID_VOLUME_NOT_FOUND("InvalidVolume.NotFound", 400),
    INVALID_SNAPSHOT_ID_MALFORMED("InvalidSnapshotID.Malformed", 400),
    INVALID_SNAPSHOT_NOT_FOUND("InvalidSnapshot.NotFound", 400),
    INVALID_INSTANCE_ID_MALFORMED("InvalidInstanceID.Malformed", 400),
    /** DetachVolume naming an instance the volume is not attached to. */
    INVALID_ATTACHMENT_NOT_FOUND("InvalidAttachment.NotFound", 400),
    INVALID_ZONE_NOT_FOUND("InvalidZone.NotFound", 400),
    /** CreateTags/DeleteTags on an id that names no taggable resource kind. */
    INVALID_ID("InvalidID", 400),
    TAG_LIMIT_EXCEEDED("TagLimitExceeded", 400),
    /** The resource is in a state the action does not allow. */
    INCORRECT_STATE("IncorrectState", 400),
    /** AttachVolume on a volume that is already attached. */
    VOLUME_IN_USE("VolumeInUse", 400),
    INVALID_KMS_KEY_STATE("InvalidKMSKey.InvalidState", 400),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", 413),
    AUTH_FAILURE("AuthFailure", 403),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 403),
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400),
    REQUEST_EXPIRED("RequestExpired", 400),
    UNAUTHORIZED_OPERATION("UnauthorizedOperation", 403),
    /** DryRun=true and the caller would have been allowed. */
    DRY_RUN_OPERATION("DryRunOperation", 412),
    REQUEST_LIMIT_EXCEEDED("RequestLimitExceeded", 503),
    UNAVAILABLE("Unavailable", 503),
    /** Anything unexpected: the caller sees a generic message and the request id, never the cause. */
    INTERNAL_ERROR("InternalError", 500);

    private final String code;
    private final int httpStatus;

    Ec2Error(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The {@code <Code>} value. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}

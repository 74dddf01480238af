package dev.coffer.auth.sigv4;

/** Why a request's SigV4 authentication failed; each protocol maps these to its own error codes. */
public enum SigV4Failure {
    /** Neither an Authorization header nor presigned query parameters: the request is anonymous. */
    MISSING_AUTHENTICATION,
    /** Another algorithm (SigV2, SigV4a) than AWS4-HMAC-SHA256. */
    UNSUPPORTED_ALGORITHM,
    /** The Authorization header or presigned parameters cannot be parsed or lack a part. */
    MALFORMED_AUTHORIZATION,
    /** The credential scope names another region than this endpoint's. */
    WRONG_REGION,
    /** The credential scope names another service than the one this request reached. */
    WRONG_SERVICE,
    /** The credential scope's date is not the request date. */
    WRONG_SCOPE_DATE,
    /** No X-Amz-Date (or Date) to sign with, or an unparseable one. */
    MISSING_DATE,
    /** The access key id is unknown or inactive. */
    INVALID_ACCESS_KEY_ID,
    /** The signature does not match what the secret key gives for this request. */
    SIGNATURE_DOES_NOT_MATCH,
    /** The request time is more than 15 minutes from the server's. */
    REQUEST_TIME_TOO_SKEWED,
    /** A presigned URL past its expiry. */
    EXPIRED,
    /** X-Amz-Expires is not a number from 1 to 604800. */
    INVALID_EXPIRES,
    /** The Host header is not among the signed headers. */
    HOST_NOT_SIGNED
}

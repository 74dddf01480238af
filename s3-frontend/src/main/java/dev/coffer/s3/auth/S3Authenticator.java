package dev.coffer.s3.auth;

import dev.coffer.auth.identity.Principal;
import dev.coffer.auth.service.RequestHead;
import dev.coffer.auth.sigv4.CanonicalRequest;
import dev.coffer.auth.sigv4.SigV4Exception;
import dev.coffer.auth.sigv4.SigV4Request;
import dev.coffer.auth.sigv4.SigV4Verifier;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Authenticates an S3 request from its head: SigV4 in the Authorization header or a presigned
 * URL, or anonymous when it carries neither (authorization then decides whether a bucket policy
 * lets anonymous callers in). Failures become AWS's S3 errors with the details AWS returns.
 */
public final class S3Authenticator {
    public static final String CONTENT_SHA256 = "x-amz-content-sha256";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final SigV4Verifier<Principal> verifier;
    private final Clock clock;

    public S3Authenticator(SigV4Verifier<Principal> verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    public S3Caller authenticate(RequestHead head) {
        SigV4Request request = new SigV4Request(head.method(), head.rawPath(), head.rawQuery(), head.headers(),
                payloadHash(head));
        if (!SigV4Verifier.isSigned(request)) {
            if (isSigV2Presigned(head)) {
                throw unsupportedMechanism();
            }
            return S3Caller.anonymous();
        }
        boolean presigned = head.header("Authorization") == null;
        if (!presigned && head.header(CONTENT_SHA256) == null) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "Missing required header for this request: x-amz-content-sha256");
        }
        try {
            return new S3Caller(verifier.verify(request, "s3", CanonicalRequest.PathStyle.S3));
        } catch (SigV4Exception e) {
            throw translate(e, head, presigned);
        }
    }

    private static String payloadHash(RequestHead head) {
        String declared = head.header(CONTENT_SHA256);
        return declared != null ? declared : UNSIGNED_PAYLOAD;
    }

    private S3Exception translate(SigV4Exception e, RequestHead head, boolean presigned) {
        String accessKey = accessKeyOf(head, presigned);
        S3Error malformed = presigned ? S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR : S3Error.AUTHORIZATION_HEADER_MALFORMED;
        return switch (e.failure()) {
            case MISSING_AUTHENTICATION -> new S3Exception(S3Error.ACCESS_DENIED);
            case UNSUPPORTED_ALGORITHM -> unsupportedMechanism();
            case MALFORMED_AUTHORIZATION, WRONG_SERVICE, WRONG_SCOPE_DATE, INVALID_EXPIRES -> new S3Exception(malformed, e.getMessage());
            case WRONG_REGION -> new S3Exception(malformed, e.getMessage()).with("Region", regionOf(e.getMessage()));
            case MISSING_DATE -> new S3Exception(S3Error.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
            case HOST_NOT_SIGNED -> new S3Exception(malformed, "The host header must be signed.");
            case INVALID_ACCESS_KEY_ID -> new S3Exception(S3Error.INVALID_ACCESS_KEY_ID).with("AWSAccessKeyId", accessKey);
            case SIGNATURE_DOES_NOT_MATCH -> new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH)
                    .with("AWSAccessKeyId", accessKey)
                    .with("StringToSign", e.stringToSign())
                    .with("SignatureProvided", signatureOf(head, presigned))
                    .with("CanonicalRequest", e.canonicalRequest());
            case REQUEST_TIME_TOO_SKEWED -> new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED)
                    .with("RequestTime", head.header(presigned ? "X-Amz-Date" : "x-amz-date"))
                    .with("ServerTime", DateTimeFormatter.ISO_INSTANT.format(clock.instant()))
                    .with("MaxAllowedSkewMilliseconds", Long.toString(SigV4Verifier.MAX_CLOCK_SKEW.toMillis()));
            case EXPIRED -> new S3Exception(S3Error.EXPIRED_PRESIGNED_REQUEST)
                    .with("ServerTime", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
        };
    }

    /** SigV2 (header or query) is refused as AWS refuses it in SigV4-only regions. */
    private static S3Exception unsupportedMechanism() {
        return new S3Exception(S3Error.INVALID_REQUEST,
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.");
    }

    private static boolean isSigV2Presigned(RequestHead head) {
        Map<String, java.util.List<String>> query = dev.coffer.s3.http.S3Addressing.decodeQuery(head.rawQuery());
        return query.containsKey("AWSAccessKeyId") && query.containsKey("Signature");
    }

    private static String regionOf(String message) {
        int start = message.indexOf("expecting '");
        if (start < 0) {
            return null;
        }
        int end = message.indexOf('\'', start + 11);
        return end < 0 ? null : message.substring(start + 11, end);
    }

    private static String accessKeyOf(RequestHead head, boolean presigned) {
        String credential = presigned ? queryParam(head, "X-Amz-Credential") : authorizationPart(head, "Credential");
        if (credential == null) {
            return null;
        }
        int slash = credential.indexOf('/');
        return slash < 0 ? credential : credential.substring(0, slash);
    }

    private static String signatureOf(RequestHead head, boolean presigned) {
        return presigned ? queryParam(head, "X-Amz-Signature") : authorizationPart(head, "Signature");
    }

    private static String authorizationPart(RequestHead head, String name) {
        String authorization = head.header("Authorization");
        if (authorization == null) {
            return null;
        }
        for (String part : authorization.substring(Math.max(0, authorization.indexOf(' '))).split(",")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String queryParam(RequestHead head, String name) {
        Map<String, java.util.List<String>> query = dev.coffer.s3.http.S3Addressing.decodeQuery(head.rawQuery());
        java.util.List<String> values = query.get(name);
        return values == null ? null : values.getFirst();
    }
}

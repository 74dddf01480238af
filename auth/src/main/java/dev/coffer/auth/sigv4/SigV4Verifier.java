package dev.coffer.auth.sigv4;

import dev.coffer.crypto.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies AWS Signature Version 4 in the Authorization header or in presigned query parameters.
 * Thread-safe. Checks, in order: the request is signed at all, its form, its date and the clock
 * skew (or presigned expiry), the credential scope (region, service, date), the access key, and
 * finally the signature, compared in constant time.
 */
public final class SigV4Verifier<P> {
    /** AWS rejects requests more than 15 minutes from its clock. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    /** Presigned URLs live at most seven days. */
    public static final long MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

    private static final int SIGNING_KEY_CACHE_LIMIT = 10_000;

    private final CredentialLookup<P> credentials;
    private final String region;
    private final Clock clock;
    /**
     * Derived signing keys by (secret, scope): a key is valid for one day, region and service, and
     * deriving it costs four HMACs per request otherwise (AWS's own signers cache it the same way).
     * Keyed on the secret's identity, so a replaced secret never meets a stale key.
     */
    private final Map<SigningKeyId, byte[]> signingKeys = new ConcurrentHashMap<>();

    private record SigningKeyId(SecretBytes secret, String scope) {}

    public SigV4Verifier(CredentialLookup<P> credentials, String region, Clock clock) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.region = Objects.requireNonNull(region, "region");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether the request carries any SigV4 authentication (header or presigned query). */
    public static boolean isSigned(SigV4Request request) {
        return request.header("Authorization") != null || queryParameters(request.rawQuery()).containsKey("X-Amz-Signature");
    }

    /**
     * Verifies the request.
     *
     * @param service the SigV4 service name this endpoint answers as ({@code s3}, {@code kms}, ...)
     * @param pathStyle S3 signs the path as is; other services normalise it
     */
    public SigV4Verified<P> verify(SigV4Request request, String service, CanonicalRequest.PathStyle pathStyle)
            throws SigV4Exception {
        String authorization = request.header("Authorization");
        if (authorization != null) {
            return verifyHeader(request, authorization, service, pathStyle);
        }
        Map<String, String> query = queryParameters(request.rawQuery());
        if (query.containsKey("X-Amz-Signature") || query.containsKey("X-Amz-Algorithm")) {
            return verifyPresigned(request, query, service, pathStyle);
        }
        throw new SigV4Exception(SigV4Failure.MISSING_AUTHENTICATION, "request is not signed");
    }

    private SigV4Verified<P> verifyHeader(SigV4Request request, String authorization, String service,
                                          CanonicalRequest.PathStyle pathStyle) throws SigV4Exception {
        int space = authorization.indexOf(' ');
        String algorithm = space < 0 ? authorization : authorization.substring(0, space);
        if (!algorithm.equals(SigV4.ALGORITHM)) {
            throw new SigV4Exception(SigV4Failure.UNSUPPORTED_ALGORITHM,
                    "unsupported authorization type; only " + SigV4.ALGORITHM + " is accepted");
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : authorization.substring(space + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw new SigV4Exception(SigV4Failure.MALFORMED_AUTHORIZATION,
                    "authorization header requires Credential, SignedHeaders and Signature");
        }
        Instant requestTime = headerDate(request);
        checkSkew(requestTime);
        return verifySignature(request, credential, signedHeaders, signature, requestTime, service, pathStyle, null, false);
    }

    private SigV4Verified<P> verifyPresigned(SigV4Request request, Map<String, String> query, String service,
                                             CanonicalRequest.PathStyle pathStyle) throws SigV4Exception {
        String algorithm = query.get("X-Amz-Algorithm");
        if (!SigV4.ALGORITHM.equals(algorithm)) {
            throw new SigV4Exception(SigV4Failure.UNSUPPORTED_ALGORITHM, "X-Amz-Algorithm must be " + SigV4.ALGORITHM);
        }
        String credential = query.get("X-Amz-Credential");
        String signedHeaders = query.get("X-Amz-SignedHeaders");
        String signature = query.get("X-Amz-Signature");
        String date = query.get("X-Amz-Date");
        String expires = query.get("X-Amz-Expires");
        if (credential == null || signedHeaders == null || signature == null || date == null || expires == null) {
            throw new SigV4Exception(SigV4Failure.MALFORMED_AUTHORIZATION,
                    "presigned requests need X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature");
        }
        Instant requestTime = parseAmzDate(date);
        long expiresSeconds;
        try {
            expiresSeconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw new SigV4Exception(SigV4Failure.INVALID_EXPIRES, "X-Amz-Expires must be a number of seconds");
        }
        if (expiresSeconds < 1 || expiresSeconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
            throw new SigV4Exception(SigV4Failure.INVALID_EXPIRES,
                    "X-Amz-Expires must be between 1 and " + MAX_PRESIGNED_EXPIRES_SECONDS + " seconds");
        }
        Instant now = clock.instant();
        if (requestTime.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new SigV4Exception(SigV4Failure.REQUEST_TIME_TOO_SKEWED, "presigned request is not valid yet");
        }
        if (now.isAfter(requestTime.plusSeconds(expiresSeconds))) {
            throw new SigV4Exception(SigV4Failure.EXPIRED, "request has expired");
        }
        return verifySignature(request, credential, signedHeaders, signature, requestTime, service, pathStyle,
                "X-Amz-Signature", true);
    }

    private SigV4Verified<P> verifySignature(SigV4Request request, String credential, String signedHeaderList,
                                             String signature, Instant requestTime, String service,
                                             CanonicalRequest.PathStyle pathStyle, String excludeQuery,
                                             boolean presigned) throws SigV4Exception {
        String[] c = credential.split("/", -1);
        if (c.length != 5 || c[0].isEmpty() || !c[4].equals(SigV4.TERMINATOR)) {
            throw new SigV4Exception(SigV4Failure.MALFORMED_AUTHORIZATION,
                    "credential must have the form <access key>/<date>/<region>/<service>/aws4_request");
        }
        CredentialScope scope = new CredentialScope(c[1], c[2], c[3]);
        String amzDate = SigV4.AMZ_DATE.format(requestTime);
        if (!amzDate.startsWith(scope.date()) || scope.date().length() != 8) {
            throw new SigV4Exception(SigV4Failure.WRONG_SCOPE_DATE,
                    "credential date " + scope.date() + " is not the request date " + amzDate.substring(0, 8));
        }
        if (!scope.region().equals(region)) {
            throw new SigV4Exception(SigV4Failure.WRONG_REGION,
                    "the region '" + scope.region() + "' is wrong; expecting '" + region + "'");
        }
        if (!scope.service().equals(service)) {
            throw new SigV4Exception(SigV4Failure.WRONG_SERVICE,
                    "credential should be scoped to service '" + service + "', not '" + scope.service() + "'");
        }
        List<String> signedHeaders = Arrays.asList(signedHeaderList.toLowerCase(Locale.ROOT).split(";"));
        if (!signedHeaders.contains("host")) {
            throw new SigV4Exception(SigV4Failure.HOST_NOT_SIGNED, "the host header must be signed");
        }
        Optional<SigningCredential<P>> found = credentials.find(c[0]);
        if (found.isEmpty()) {
            throw new SigV4Exception(SigV4Failure.INVALID_ACCESS_KEY_ID,
                    "the AWS access key id you provided does not exist in our records");
        }
        SigningCredential<P> key = found.get();
        String canonical = CanonicalRequest.build(request, signedHeaders, pathStyle, excludeQuery);
        String stringToSign = CanonicalRequest.stringToSign(amzDate, scope.toString(), canonical);
        byte[] signingKey = signingKey(key.secretAccessKey(), scope);
        String expected = HexFormat.of().formatHex(SigV4.hmac(signingKey, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new SigV4Exception(SigV4Failure.SIGNATURE_DOES_NOT_MATCH,
                    "the request signature we calculated does not match the signature you provided",
                    canonical, stringToSign);
        }
        return new SigV4Verified<>(key.principal(), key.accessKeyId(), scope, requestTime,
                SecretBytes.copyOf(signingKey), expected, presigned, signedHeaders);
    }

    private byte[] signingKey(SecretBytes secret, CredentialScope scope) {
        SigningKeyId id = new SigningKeyId(secret, scope.toString());
        byte[] cached = signingKeys.get(id);
        if (cached != null) {
            return cached;
        }
        if (signingKeys.size() >= SIGNING_KEY_CACHE_LIMIT) {
            signingKeys.clear();
        }
        byte[] derived = SigV4.signingKey(secret, scope.date(), scope.region(), scope.service());
        signingKeys.put(id, derived);
        return derived;
    }

    private Instant headerDate(SigV4Request request) throws SigV4Exception {
        String amzDate = request.header("X-Amz-Date");
        if (amzDate != null) {
            return parseAmzDate(amzDate);
        }
        String date = request.header("Date");
        if (date == null) {
            throw new SigV4Exception(SigV4Failure.MISSING_DATE, "a valid X-Amz-Date or Date header is required");
        }
        try {
            return ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new SigV4Exception(SigV4Failure.MISSING_DATE, "the Date header is not a valid HTTP date");
        }
    }

    private static Instant parseAmzDate(String value) throws SigV4Exception {
        try {
            return SigV4.AMZ_DATE.parse(value.trim(), Instant::from);
        } catch (DateTimeParseException e) {
            throw new SigV4Exception(SigV4Failure.MISSING_DATE, "X-Amz-Date must have the form yyyyMMddTHHmmssZ");
        }
    }

    private void checkSkew(Instant requestTime) throws SigV4Exception {
        Instant now = clock.instant();
        if (Duration.between(requestTime, now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new SigV4Exception(SigV4Failure.REQUEST_TIME_TOO_SKEWED,
                    "the difference between the request time (" + requestTime + ") and the server's time (" + now
                            + ") is too large");
        }
    }

    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = UriEncoding.decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : UriEncoding.decode(pair.substring(eq + 1));
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // A malformed escape in an unrelated parameter does not decide authentication.
            }
        }
        return params;
    }
}

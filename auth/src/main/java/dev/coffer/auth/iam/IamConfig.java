package dev.coffer.auth.iam;

import java.time.Duration;
import java.util.Objects;

/**
 * The IAM endpoint's typed settings: the gateway's region ({@code coffer.gateway.region}) and its
 * own limits ({@code coffer.iam.*}).
 *
 * @param region the region the gateway answers as; IAM requests signed for it or for
 *     {@code us-east-1} (where AWS's global IAM endpoint signs) are both accepted
 * @param maxRequestBodyBytes the largest form body accepted; a policy document of the 2,048
 *     characters the identity store allows is at most about 6 KiB once form-encoded
 * @param requestTimeout how long one request may take
 */
public record IamConfig(String region, int maxRequestBodyBytes, Duration requestTimeout) {
    public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 64 * 1024;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public IamConfig {
        Objects.requireNonNull(region, "coffer.gateway.region");
        if (region.isBlank()) {
            throw new IllegalArgumentException("coffer.gateway.region must not be blank");
        }
        if (maxRequestBodyBytes < 1024) {
            throw new IllegalArgumentException("coffer.iam.max-request-body-bytes must be at least 1024, was " + maxRequestBodyBytes);
        }
        Objects.requireNonNull(requestTimeout, "coffer.iam.request-timeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("coffer.iam.request-timeout must be positive, was " + requestTimeout);
        }
    }

    public static IamConfig defaults(String region) {
        return new IamConfig(region, DEFAULT_MAX_REQUEST_BODY_BYTES, DEFAULT_REQUEST_TIMEOUT);
    }
}

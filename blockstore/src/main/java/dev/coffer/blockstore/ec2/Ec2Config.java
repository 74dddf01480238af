package dev.coffer.blockstore.ec2;

import dev.coffer.crypto.block.BlockSealParameters;
import java.time.Duration;
import java.util.Objects;

/**
 * The EC2 endpoint's typed settings: the gateway's region ({@code coffer.gateway.region}) and its
 * own ({@code coffer.ec2.*}).
 *
 * @param region the region this endpoint answers as; availability zones are it plus a letter a-f
 * @param maxRequestBodyBytes the largest form body accepted
 * @param requestTimeout how long one request may take (attach and detach wait on the KMS and on I/O)
 * @param blockSizeBytes the block size of new volumes
 * @param detachTimeout how long DetachVolume waits for in-flight I/O before failing (Force waits not at all
 *     for the NBD connections beyond closing them)
 */
public record Ec2Config(String region, int maxRequestBodyBytes, Duration requestTimeout, int blockSizeBytes,
                        Duration detachTimeout) {
    public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 64 * 1024;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DETACH_TIMEOUT = Duration.ofSeconds(30);

    public Ec2Config {
        Objects.requireNonNull(region, "coffer.gateway.region");
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            throw new IllegalArgumentException("coffer.gateway.region must look like us-east-1, was " + region);
        }
        if (maxRequestBodyBytes < 1024) {
            throw new IllegalArgumentException("coffer.ec2.max-request-body-bytes must be at least 1024, was " + maxRequestBodyBytes);
        }
        Objects.requireNonNull(requestTimeout, "coffer.ec2.request-timeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("coffer.ec2.request-timeout must be positive, was " + requestTimeout);
        }
        new BlockSealParameters(blockSizeBytes);
        Objects.requireNonNull(detachTimeout, "coffer.ec2.detach-timeout");
    }

    public static Ec2Config defaults(String region) {
        return new Ec2Config(region, DEFAULT_MAX_REQUEST_BODY_BYTES, DEFAULT_REQUEST_TIMEOUT,
                BlockSealParameters.DEFAULT_BLOCK_SIZE_BYTES, DEFAULT_DETACH_TIMEOUT);
    }
}

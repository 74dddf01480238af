package dev.coffer.s3;

import java.util.Objects;
import java.util.Set;

/**
 * The S3 front end's settings, validated by the gateway.
 *
 * @param region the region this endpoint serves (LocationConstraint, SigV4 scope)
 * @param virtualHostDomains host names under which {@code <bucket>.<domain>} addresses a bucket
 * @param maxSinglePutBytes the largest PutObject/UploadPart body (AWS: 5 GiB)
 * @param sseCOverPlainHttp whether SSE-C keys are accepted over plain HTTP (AWS never does; an
 *     operator switch for testing)
 */
public record S3Config(String region, Set<String> virtualHostDomains, long maxSinglePutBytes, boolean sseCOverPlainHttp) {
    public static final long FIVE_GIB = 5L * 1024 * 1024 * 1024;
    /** AWS's smallest part (except the last). */
    public static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    public static final int MAX_PARTS = 10_000;
    public static final int MAX_KEY_BYTES = 1024;
    /** User metadata (x-amz-meta-* names and values) is limited to 2 KB, as in AWS. */
    public static final int MAX_USER_METADATA_BYTES = 2048;
    /** Request documents (Delete, CompleteMultipartUpload, policies) are read into memory up to this size. */
    public static final int MAX_XML_BODY_BYTES = 2 * 1024 * 1024;

    public S3Config {
        Objects.requireNonNull(region, "region");
        virtualHostDomains = Set.copyOf(virtualHostDomains);
    }

    public static S3Config defaults(String region) {
        return new S3Config(region, Set.of("localhost", "s3.localhost"), FIVE_GIB, false);
    }

    public S3Config withSseCOverPlainHttp(boolean allowed) {
        return new S3Config(region, virtualHostDomains, maxSinglePutBytes, allowed);
    }
}

package dev.coffer.s3.checksum;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** The checksum algorithms S3 accepts, with their names on the wire. */
public enum S3ChecksumAlgorithm {
    CRC32("CRC32", 4, a -> new CrcS3Checksum(a, new CRC32()), CrcCombiner.CRC32),
    CRC32C("CRC32C", 4, a -> new CrcS3Checksum(a, new CRC32C()), CrcCombiner.CRC32C),
    CRC64NVME("CRC64NVME", 8, a -> new CrcS3Checksum(a, new Crc64Nvme()), CrcCombiner.CRC64NVME),
    SHA1("SHA1", 20, a -> new DigestS3Checksum(a, "SHA-1"), null),
    SHA256("SHA256", 32, a -> new DigestS3Checksum(a, "SHA-256"), null);

    private static final String HEADER_PREFIX = "x-amz-checksum-";

    private final String algorithmName;
    private final String headerName;
    private final int digestLengthBytes;
    private final Function<S3ChecksumAlgorithm, S3Checksum> factory;
    private final CrcCombiner combiner;

    S3ChecksumAlgorithm(String algorithmName, int digestLengthBytes, Function<S3ChecksumAlgorithm, S3Checksum> factory,
                        CrcCombiner combiner) {
        this.algorithmName = algorithmName;
        this.headerName = HEADER_PREFIX + algorithmName.toLowerCase(Locale.ROOT);
        this.digestLengthBytes = digestLengthBytes;
        this.factory = factory;
        this.combiner = combiner;
    }

    /** The value of {@code x-amz-sdk-checksum-algorithm} and {@code x-amz-checksum-algorithm}, e.g. {@code CRC64NVME}. */
    public String algorithmName() {
        return algorithmName;
    }

    /** The header (or trailer) carrying the value, e.g. {@code x-amz-checksum-crc64nvme}. */
    public String headerName() {
        return headerName;
    }

    public int digestLengthBytes() {
        return digestLengthBytes;
    }

    /** Whether it is a CRC, whose part values can be combined into the whole object's. */
    public boolean isCrc() {
        return combiner != null;
    }

    /** S3 builds CRC64NVME multipart checksums only as FULL_OBJECT, and SHA ones only as COMPOSITE. */
    public boolean supports(S3ChecksumType type) {
        return switch (type) {
            case COMPOSITE -> this != CRC64NVME;
            case FULL_OBJECT -> isCrc();
        };
    }

    public S3Checksum newChecksum() {
        return factory.apply(this);
    }

    /** The checksum of {@code length} bytes of {@code bytes} from {@code offset}, in one call. */
    public byte[] digestOf(byte[] bytes, int offset, int length) {
        S3Checksum checksum = newChecksum();
        checksum.update(bytes, offset, length);
        return checksum.digest();
    }

    /**
     * Decodes a client-sent base64 value.
     *
     * @throws IllegalArgumentException if it is not base64 of exactly {@link #digestLengthBytes()} bytes
     */
    public byte[] decodeValue(String base64) {
        byte[] value;
        try {
            value = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + headerName + " value is not base64");
        }
        if (value.length != digestLengthBytes) {
            throw new IllegalArgumentException("the " + headerName + " value must be " + digestLengthBytes + " bytes");
        }
        return value;
    }

    /** The algorithm of an {@code x-amz-checksum-*} header name, case-insensitive. */
    public static Optional<S3ChecksumAlgorithm> fromHeaderName(String headerName) {
        for (S3ChecksumAlgorithm a : values()) {
            if (a.headerName.equalsIgnoreCase(headerName)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The algorithm of an {@code x-amz-sdk-checksum-algorithm} value, case-insensitive. */
    public static Optional<S3ChecksumAlgorithm> fromAlgorithmName(String algorithmName) {
        for (S3ChecksumAlgorithm a : values()) {
            if (a.algorithmName.equalsIgnoreCase(algorithmName)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The combiner of a CRC algorithm; null for the SHA ones. */
    CrcCombiner combiner() {
        return combiner;
    }
}

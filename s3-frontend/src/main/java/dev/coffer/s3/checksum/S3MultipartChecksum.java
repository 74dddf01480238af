package dev.coffer.s3.checksum;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A completed multipart object's checksum, built from its parts' checksums at
 * CompleteMultipartUpload without reading the object again.
 *
 * @param digest the raw checksum: of the concatenated part checksums (COMPOSITE), or of the whole
 *     object's bytes (FULL_OBJECT)
 * @param partCount the number of parts
 */
public record S3MultipartChecksum(S3ChecksumAlgorithm algorithm, S3ChecksumType type, byte[] digest, int partCount) {
    public S3MultipartChecksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(type, "type");
        digest = digest.clone();
    }

    /**
     * COMPOSITE: the algorithm over the concatenated raw part checksums, in part order.
     *
     * @throws IllegalArgumentException for CRC64NVME (S3 offers it only as FULL_OBJECT), no parts, or a
     *     part checksum of the wrong length
     */
    public static S3MultipartChecksum composite(S3ChecksumAlgorithm algorithm, List<S3PartChecksum> parts) {
        requireUsable(algorithm, S3ChecksumType.COMPOSITE, parts);
        byte[] concatenated = concatenate(algorithm, parts);
        return new S3MultipartChecksum(algorithm, S3ChecksumType.COMPOSITE,
                algorithm.digestOf(concatenated, 0, concatenated.length), parts.size());
    }

    /**
     * FULL_OBJECT: the CRC of the whole object, combined from the part CRCs and sizes.
     *
     * @throws IllegalArgumentException for SHA algorithms, no parts, or a part checksum of the wrong length
     */
    public static S3MultipartChecksum fullObject(S3ChecksumAlgorithm algorithm, List<S3PartChecksum> parts) {
        requireUsable(algorithm, S3ChecksumType.FULL_OBJECT, parts);
        CrcCombiner combiner = algorithm.combiner();
        long crc = 0;
        for (int i = 0; i < parts.size(); i++) {
            long part = CrcS3Checksum.fromBigEndian(requireLength(algorithm, parts.get(i)));
            crc = i == 0 ? part : combiner.combine(crc, part, parts.get(i).sizeBytes());
        }
        return new S3MultipartChecksum(algorithm, S3ChecksumType.FULL_OBJECT,
                CrcS3Checksum.toBigEndian(crc, algorithm.digestLengthBytes()), parts.size());
    }

    /**
     * The multipart ETag, MD5 over the concatenated part MD5s, as S3 shows it (without quotes):
     * {@code hex-<part count>}.
     */
    public static String multipartEtag(List<byte[]> partMd5s) {
        if (partMd5s.isEmpty()) {
            throw new IllegalArgumentException("a multipart upload has at least one part");
        }
        MessageDigest md5 = DigestS3Checksum.messageDigest("MD5");
        for (byte[] partMd5 : partMd5s) {
            if (partMd5.length != 16) {
                throw new IllegalArgumentException("a part MD5 is 16 bytes");
            }
            md5.update(partMd5);
        }
        return HexFormat.of().formatHex(md5.digest()) + '-' + partMd5s.size();
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** The header value: base64, with {@code -<part count>} for COMPOSITE. */
    public String headerValue() {
        String base64 = Base64.getEncoder().encodeToString(digest);
        return type == S3ChecksumType.COMPOSITE ? base64 + '-' + partCount : base64;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof S3MultipartChecksum c && c.algorithm == algorithm && c.type == type
                && c.partCount == partCount && Arrays.equals(c.digest, digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, type, partCount, Arrays.hashCode(digest));
    }

    @Override
    public String toString() {
        return "S3MultipartChecksum[" + algorithm + ' ' + type + ' ' + headerValue() + ']';
    }

    private static void requireUsable(S3ChecksumAlgorithm algorithm, S3ChecksumType type, List<S3PartChecksum> parts) {
        if (!algorithm.supports(type)) {
            throw new IllegalArgumentException(algorithm.algorithmName() + " has no " + type + " multipart checksum");
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a multipart upload has at least one part");
        }
    }

    private static byte[] concatenate(S3ChecksumAlgorithm algorithm, List<S3PartChecksum> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(parts.size() * algorithm.digestLengthBytes());
        for (S3PartChecksum part : parts) {
            out.writeBytes(requireLength(algorithm, part));
        }
        return out.toByteArray();
    }

    private static byte[] requireLength(S3ChecksumAlgorithm algorithm, S3PartChecksum part) {
        byte[] digest = part.digest();
        if (digest.length != algorithm.digestLengthBytes()) {
            throw new IllegalArgumentException("a " + algorithm.algorithmName() + " part checksum is "
                    + algorithm.digestLengthBytes() + " bytes");
        }
        return digest;
    }
}

package dev.coffer.s3.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.internal.CrcCombineChecksumUtil;

class S3MultipartChecksumTest {
    private static final int[][] SPLITS = {
            {0}, {1}, {1, 1, 1}, {5, 0, 5}, {8, 8}, {7, 9, 1000}, {65_536, 1, 65_535}, {5 * 1024 * 1024 + 3, 17},
    };

    @ParameterizedTest
    @EnumSource(value = S3ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "CRC64NVME"})
    void fullObjectCrcIsTheCrcOfTheWholeObject(S3ChecksumAlgorithm algorithm) {
        for (int[] split : SPLITS) {
            List<byte[]> parts = parts(split);
            S3MultipartChecksum full = S3MultipartChecksum.fullObject(algorithm, partChecksums(algorithm, parts));
            byte[] whole = concat(parts);
            assertThat(full.digest()).as("%s over %s", algorithm, java.util.Arrays.toString(split))
                    .isEqualTo(algorithm.digestOf(whole, 0, whole.length));
            assertThat(full.headerValue()).isEqualTo(Base64.getEncoder().encodeToString(full.digest()));
            assertThat(full.partCount()).isEqualTo(split.length);
        }
    }

    @ParameterizedTest
    @EnumSource(value = S3ChecksumAlgorithm.class, names = {"CRC32", "CRC32C"})
    void crcCombinationAgreesWithTheAwsSdk(S3ChecksumAlgorithm algorithm) {
        long polynomial = algorithm == S3ChecksumAlgorithm.CRC32 ? 0xedb88320L : 0x82f63b78L;
        long[][] matrices = CrcCombineChecksumUtil.generateCombineMatrices(polynomial);
        Random random = new Random(32);
        for (int i = 0; i < 200; i++) {
            long crcA = random.nextLong() & 0xffffffffL;
            long crcB = random.nextLong() & 0xffffffffL;
            // The SDK's 32 tabled matrices cover lengths below 2^29 bytes.
            long lengthB = 1 + random.nextLong(1L << random.nextInt(1, 29));
            assertThat(algorithm.combiner().combine(crcA, crcB, lengthB)).as("length %d", lengthB)
                    .isEqualTo(CrcCombineChecksumUtil.combine(crcA, crcB, lengthB, matrices));
        }
    }

    @ParameterizedTest
    @EnumSource(value = S3ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "CRC64NVME"})
    void combinationIsAssociativeAtTerabyteLengths(S3ChecksumAlgorithm algorithm) {
        // Objects up to 5 TiB and 10,000 parts: lengths far beyond what the other tests can materialise.
        CrcCombiner combiner = algorithm.combiner();
        Random random = new Random(64);
        long mask = algorithm.digestLengthBytes() == 8 ? -1L : 0xffffffffL;
        for (int i = 0; i < 100; i++) {
            long a = random.nextLong() & mask;
            long b = random.nextLong() & mask;
            long c = random.nextLong() & mask;
            long lengthB = random.nextLong(1L << 43);
            long lengthC = random.nextLong(1L << 43);
            long leftFirst = combiner.combine(combiner.combine(a, b, lengthB), c, lengthC);
            long rightFirst = combiner.combine(a, combiner.combine(b, c, lengthC), lengthB + lengthC);
            assertThat(leftFirst).isEqualTo(rightFirst);
        }
    }

    @ParameterizedTest
    @EnumSource(value = S3ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void compositeIsTheChecksumOfThePartChecksums(S3ChecksumAlgorithm algorithm) {
        List<byte[]> parts = parts(new int[] {1000, 1, 70_000});
        List<S3PartChecksum> checksums = partChecksums(algorithm, parts);
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        checksums.forEach(p -> concatenated.writeBytes(p.digest()));
        byte[] expected = algorithm.digestOf(concatenated.toByteArray(), 0, concatenated.size());

        S3MultipartChecksum composite = S3MultipartChecksum.composite(algorithm, checksums);
        assertThat(composite.digest()).isEqualTo(expected);
        assertThat(composite.headerValue()).isEqualTo(Base64.getEncoder().encodeToString(expected) + "-3");
        assertThat(composite.type()).isEqualTo(S3ChecksumType.COMPOSITE);
    }

    @Test
    void refusesKindsS3DoesNotOfferAndBadParts() {
        List<S3PartChecksum> crc64 = partChecksums(S3ChecksumAlgorithm.CRC64NVME, parts(new int[] {3}));
        assertThatThrownBy(() -> S3MultipartChecksum.composite(S3ChecksumAlgorithm.CRC64NVME, crc64))
                .isInstanceOf(IllegalArgumentException.class);
        List<S3PartChecksum> sha = partChecksums(S3ChecksumAlgorithm.SHA256, parts(new int[] {3}));
        assertThatThrownBy(() -> S3MultipartChecksum.fullObject(S3ChecksumAlgorithm.SHA256, sha))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3MultipartChecksum.fullObject(S3ChecksumAlgorithm.CRC32, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3MultipartChecksum.fullObject(S3ChecksumAlgorithm.CRC32, crc64))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3MultipartChecksum.composite(S3ChecksumAlgorithm.SHA1, sha))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multipartEtagIsTheMd5OfThePartMd5s() throws Exception {
        List<byte[]> parts = parts(new int[] {10, 20});
        List<byte[]> md5s = new ArrayList<>();
        MessageDigest all = MessageDigest.getInstance("MD5");
        for (byte[] part : parts) {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(part);
            md5s.add(md5);
            all.update(md5);
        }
        assertThat(S3MultipartChecksum.multipartEtag(md5s)).isEqualTo(HexFormat.of().formatHex(all.digest()) + "-2");
        assertThatThrownBy(() -> S3MultipartChecksum.multipartEtag(List.of(new byte[15]))).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<byte[]> parts(int[] sizes) {
        List<byte[]> parts = new ArrayList<>();
        Random random = new Random(sizes.length);
        for (int size : sizes) {
            byte[] part = new byte[size];
            random.nextBytes(part);
            parts.add(part);
        }
        return parts;
    }

    private static List<S3PartChecksum> partChecksums(S3ChecksumAlgorithm algorithm, List<byte[]> parts) {
        return parts.stream().map(p -> new S3PartChecksum(algorithm.digestOf(p, 0, p.length), p.length)).toList();
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}

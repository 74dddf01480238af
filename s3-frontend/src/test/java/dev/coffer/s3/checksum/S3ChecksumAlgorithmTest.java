package dev.coffer.s3.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;

class S3ChecksumAlgorithmTest {
    /**
     * CRC64NVME values computed by AWS's own pure-JavaScript implementation, npm
     * {@code @aws-sdk/crc64-nvme} 3.972.49 ({@code new Crc64Nvme(); update(bytes); digest()}), hex of the
     * big-endian digest. The Java SDK's CRC64NVME needs the native aws-crt library, so it is not used here.
     */
    private static final Map<String, String> AWS_JS_CRC64NVME = Map.of(
            "empty", "0000000000000000",
            "check", "ae8b14860a799888",
            "patterned100000", "0e765ccd2fd06682",
            "as66560", "a517fe7a6ae72fe0");

    @Test
    void namesAreTheOnesOnTheWire() {
        assertThat(Arrays.stream(S3ChecksumAlgorithm.values()).map(S3ChecksumAlgorithm::headerName)).containsExactly(
                "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1",
                "x-amz-checksum-sha256");
        assertThat(Arrays.stream(S3ChecksumAlgorithm.values()).map(S3ChecksumAlgorithm::algorithmName))
                .containsExactly("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256");
        assertThat(Arrays.stream(S3ChecksumAlgorithm.values()).mapToInt(S3ChecksumAlgorithm::digestLengthBytes))
                .containsExactly(4, 4, 8, 20, 32);
    }

    @Test
    void parsesHeaderNamesAndAlgorithmNamesIgnoringCase() {
        assertThat(S3ChecksumAlgorithm.fromHeaderName("X-Amz-Checksum-CRC64NVME")).contains(S3ChecksumAlgorithm.CRC64NVME);
        assertThat(S3ChecksumAlgorithm.fromHeaderName("x-amz-checksum-sha256")).contains(S3ChecksumAlgorithm.SHA256);
        assertThat(S3ChecksumAlgorithm.fromHeaderName("x-amz-checksum-md5")).isEmpty();
        assertThat(S3ChecksumAlgorithm.fromHeaderName("x-amz-checksum-type")).isEmpty();
        assertThat(S3ChecksumAlgorithm.fromAlgorithmName("CRC32C")).contains(S3ChecksumAlgorithm.CRC32C);
        assertThat(S3ChecksumAlgorithm.fromAlgorithmName("sha1")).contains(S3ChecksumAlgorithm.SHA1);
        assertThat(S3ChecksumAlgorithm.fromAlgorithmName("SHA-256")).isEmpty();
        assertThat(S3ChecksumType.fromHeaderValue("full_object")).contains(S3ChecksumType.FULL_OBJECT);
        assertThat(S3ChecksumType.fromHeaderValue("PARTIAL")).isEqualTo(Optional.empty());
    }

    @Test
    void crc64NvmeGivesItsPublishedCheckValue() {
        byte[] digest = S3ChecksumAlgorithm.CRC64NVME.digestOf(ascii("123456789"), 0, 9);
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo("ae8b14860a799888");
        assertThat(Base64.getEncoder().encodeToString(digest)).isEqualTo("rosUhgp5mIg=");
    }

    @Test
    void crc64NvmeAgreesWithAwsJavaScriptImplementation() {
        Map<String, byte[]> inputs = Map.of("empty", new byte[0], "check", ascii("123456789"),
                "patterned100000", patterned(100_000), "as66560", ascii("a".repeat(66_560)));
        inputs.forEach((name, bytes) -> assertThat(hex(S3ChecksumAlgorithm.CRC64NVME.digestOf(bytes, 0, bytes.length)))
                .as(name).isEqualTo(AWS_JS_CRC64NVME.get(name)));
    }

    @Test
    void crc64NvmeSlicingAgreesWithBitAtATimeAtEveryLengthAndAlignment() {
        byte[] data = new byte[300];
        new Random(64).nextBytes(data);
        for (int offset = 0; offset < 17; offset++) {
            for (int length = 0; offset + length <= data.length; length++) {
                Crc64Nvme crc = new Crc64Nvme();
                crc.update(data, offset, length);
                assertThat(crc.getValue()).as("offset %d length %d", offset, length).isEqualTo(bitwiseCrc64Nvme(data, offset, length));
            }
        }
    }

    @Test
    void crc32cOfAwsDocumentedObjectIsTheDocumentedTrailerValue() {
        // From AWS's signed-trailer example: 66,560 bytes of 'a' with x-amz-checksum-crc32c:sOO8/Q==.
        byte[] object = ascii("a".repeat(66_560));
        S3Checksum crc32c = S3ChecksumAlgorithm.CRC32C.newChecksum();
        crc32c.update(object, 0, object.length);
        assertThat(crc32c.base64()).isEqualTo("sOO8/Q==");
    }

    @ParameterizedTest
    @EnumSource(value = S3ChecksumAlgorithm.class, names = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void agreesWithTheAwsSdkChecksums(S3ChecksumAlgorithm algorithm) {
        ChecksumAlgorithm sdkAlgorithm = DefaultChecksumAlgorithm.fromValue(algorithm.algorithmName());
        for (int size : new int[] {0, 1, 7, 8, 9, 1000, 65_537}) {
            byte[] data = random(size);
            SdkChecksum sdk = SdkChecksum.forAlgorithm(sdkAlgorithm);
            sdk.update(data, 0, data.length);
            assertThat(algorithm.digestOf(data, 0, size)).as("%s of %d bytes", algorithm, size).isEqualTo(sdk.getChecksumBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(S3ChecksumAlgorithm.class)
    void updatesInAnyPiecesGiveTheWholeValue(S3ChecksumAlgorithm algorithm) {
        byte[] data = random(10_000);
        byte[] whole = algorithm.digestOf(data, 0, data.length);
        Random random = new Random(1);
        S3Checksum pieces = algorithm.newChecksum();
        for (int offset = 0; offset < data.length; ) {
            int length = Math.min(random.nextInt(20), data.length - offset);
            pieces.update(data, offset, length);
            offset += length;
        }
        assertThat(pieces.digest()).isEqualTo(whole);
        assertThat(pieces.base64()).isEqualTo(Base64.getEncoder().encodeToString(whole));
    }

    @ParameterizedTest
    @EnumSource(S3ChecksumAlgorithm.class)
    void finishedChecksumRefusesMoreBytesAndHandsOutCopies(S3ChecksumAlgorithm algorithm) {
        S3Checksum checksum = algorithm.newChecksum();
        checksum.update(new byte[10], 0, 10);
        byte[] first = checksum.digest();
        first[0] ^= 1;
        assertThat(checksum.digest()).isNotEqualTo(first).hasSize(algorithm.digestLengthBytes());
        assertThatThrownBy(() -> checksum.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void decodesOnlyBase64OfTheRightLength() {
        assertThat(S3ChecksumAlgorithm.CRC32C.decodeValue("sOO8/Q==")).hasSize(4);
        assertThatThrownBy(() -> S3ChecksumAlgorithm.CRC32.decodeValue("rosUhgp5mIg=")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ChecksumAlgorithm.CRC32.decodeValue("not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ChecksumAlgorithm.SHA256.decodeValue("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multipartKindsFollowS3() {
        assertThat(S3ChecksumAlgorithm.CRC64NVME.supports(S3ChecksumType.COMPOSITE)).isFalse();
        assertThat(S3ChecksumAlgorithm.CRC64NVME.supports(S3ChecksumType.FULL_OBJECT)).isTrue();
        assertThat(S3ChecksumAlgorithm.CRC32.supports(S3ChecksumType.COMPOSITE)).isTrue();
        assertThat(S3ChecksumAlgorithm.CRC32C.supports(S3ChecksumType.FULL_OBJECT)).isTrue();
        assertThat(S3ChecksumAlgorithm.SHA256.supports(S3ChecksumType.FULL_OBJECT)).isFalse();
        assertThat(S3ChecksumAlgorithm.SHA1.supports(S3ChecksumType.COMPOSITE)).isTrue();
    }

    /** The definition, one bit at a time: reflected, all-ones initial value and final XOR. */
    static long bitwiseCrc64Nvme(byte[] data, int offset, int length) {
        long crc = -1L;
        for (int i = offset; i < offset + length; i++) {
            crc ^= data[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
            }
        }
        return ~crc;
    }

    static byte[] patterned(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}

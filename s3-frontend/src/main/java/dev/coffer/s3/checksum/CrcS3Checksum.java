package dev.coffer.s3.checksum;

import java.util.zip.Checksum;

/** A CRC as an {@link S3Checksum}: its value as big-endian bytes of the algorithm's width. */
final class CrcS3Checksum implements S3Checksum {
    private final S3ChecksumAlgorithm algorithm;
    private final Checksum crc;
    private boolean finished;

    CrcS3Checksum(S3ChecksumAlgorithm algorithm, Checksum crc) {
        this.algorithm = algorithm;
        this.crc = crc;
    }

    @Override
    public S3ChecksumAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        if (finished) {
            throw new IllegalStateException("the " + algorithm + " checksum was already finished");
        }
        crc.update(bytes, offset, length);
    }

    @Override
    public byte[] digest() {
        finished = true;
        return toBigEndian(crc.getValue(), algorithm.digestLengthBytes());
    }

    static byte[] toBigEndian(long value, int lengthBytes) {
        byte[] out = new byte[lengthBytes];
        for (int i = lengthBytes - 1; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    static long fromBigEndian(byte[] bytes) {
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xff);
        }
        return value;
    }
}

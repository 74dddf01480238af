package dev.coffer.crypto.stream;

/**
 * Validated parameters of an object stream: the plaintext size of each segment.
 *
 * @param segmentSizeBytes plaintext bytes per segment, {@value #MIN_SEGMENT_SIZE_BYTES} to
 *     {@value #MAX_SEGMENT_SIZE_BYTES}; every segment but the last is exactly this long
 */
public record ObjectStreamParameters(int segmentSizeBytes) {
    public static final int MIN_SEGMENT_SIZE_BYTES = 1024;
    public static final int MAX_SEGMENT_SIZE_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_SEGMENT_SIZE_BYTES = 64 * 1024;

    public ObjectStreamParameters {
        if (segmentSizeBytes < MIN_SEGMENT_SIZE_BYTES || segmentSizeBytes > MAX_SEGMENT_SIZE_BYTES) {
            throw new IllegalArgumentException("segmentSizeBytes must be " + MIN_SEGMENT_SIZE_BYTES + ".."
                    + MAX_SEGMENT_SIZE_BYTES + ", got " + segmentSizeBytes);
        }
    }

    /** 64 KiB segments. */
    public static ObjectStreamParameters defaults() {
        return new ObjectStreamParameters(DEFAULT_SEGMENT_SIZE_BYTES);
    }

    static boolean isValidSegmentSize(long size) {
        return size >= MIN_SEGMENT_SIZE_BYTES && size <= MAX_SEGMENT_SIZE_BYTES;
    }
}

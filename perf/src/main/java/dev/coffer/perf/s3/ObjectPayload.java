package dev.coffer.perf.s3;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The bytes every object is made of: one random buffer, and object {@code i} of a size is the window
 * of that size starting at an offset chosen by {@code i}. Objects of the same size then differ (a
 * server that answered with the wrong object fails verification) while no object is generated or
 * copied per request.
 */
final class ObjectPayload {
    private static final int DISTINCT_OFFSETS = 64 * 1024;
    private final byte[] bytes;

    ObjectPayload(long largestObjectBytes) {
        this.bytes = new byte[Math.toIntExact(largestObjectBytes + DISTINCT_OFFSETS)];
        SplittableRandom random = new SplittableRandom(0xC0FFE5L);
        for (int i = 0; i < bytes.length; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8 && i + b < bytes.length; b++) {
                bytes[i + b] = (byte) (v >>> (8 * b));
            }
        }
    }

    /**
     * A view of object {@code index}'s bytes, positioned at 0. Writable only so that the SDK sees a plain
     * heap buffer (as an application's would); nothing writes to it.
     */
    ByteBuffer object(long index, long sizeBytes) {
        int offset = (int) Math.floorMod(index * 4099L, (long) DISTINCT_OFFSETS);
        return ByteBuffer.wrap(bytes, offset, Math.toIntExact(sizeBytes)).slice();
    }
}

package dev.coffer.blockstore.engine;

import java.util.Arrays;

/**
 * The log records a multi-block read still has to fetch, collected while the view is resolved and
 * then read in runs: records that lie back to back in one segment (what one write request
 * appended) are read with one positional read. Per thread ({@link Scratch}); arrays grow to the
 * largest request seen.
 */
final class LogReads {
    /** A run is cut at this many bytes, bounding the per-thread run buffer. */
    static final int MAX_RUN_BYTES = 1 << 20;

    int count;
    long[] index = new long[0];
    long[] spaceId = new long[0];
    long[] epoch = new long[0];
    long[] position = new long[0];
    int[] length = new int[0];
    private int[] order = new int[0];

    void clear() {
        count = 0;
    }

    void add(long blockIndex, byte[] key, long recordPosition, int recordLength) {
        if (count == index.length) {
            int size = Math.max(16, count * 2);
            index = Arrays.copyOf(index, size);
            spaceId = Arrays.copyOf(spaceId, size);
            epoch = Arrays.copyOf(epoch, size);
            position = Arrays.copyOf(position, size);
            length = Arrays.copyOf(length, size);
        }
        index[count] = blockIndex;
        spaceId[count] = BlockKeys.spaceId(key);
        epoch[count] = BlockKeys.epoch(key);
        position[count] = recordPosition;
        length[count] = recordLength;
        count++;
    }

    /**
     * The entries in log order. The common cases cost no sort: a sequentially written range is
     * collected in descending order (the resolver walks each level backwards) or ascending.
     */
    int[] inLogOrder() {
        if (order.length < count) {
            order = new int[Math.max(count, order.length * 2)];
        }
        boolean ascending = true;
        boolean descending = true;
        for (int i = 1; i < count; i++) {
            ascending &= position[i - 1] <= position[i];
            descending &= position[i - 1] >= position[i];
        }
        if (ascending || descending) {
            for (int i = 0; i < count; i++) {
                order[i] = ascending ? i : count - 1 - i;
            }
            return order;
        }
        Integer[] boxed = new Integer[count];
        for (int i = 0; i < count; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Long.compare(position[a], position[b]));
        for (int i = 0; i < count; i++) {
            order[i] = boxed[i];
        }
        return order;
    }
}

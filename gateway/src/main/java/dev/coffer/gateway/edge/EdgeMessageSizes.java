package dev.coffer.gateway.edge;

import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;

/**
 * Netty's message sizes, except that a {@link HeapBodyRegion} counts its bytes: Netty sizes every
 * file region as 0 (a file's bytes are not in memory), so without this a producer writing heap
 * regions would never see the channel go unwritable and could run arbitrarily far ahead of a slow
 * client. With it, {@link EdgeServer#WATER_MARK} bounds those bytes like any other.
 */
final class EdgeMessageSizes implements MessageSizeEstimator {
    static final EdgeMessageSizes INSTANCE = new EdgeMessageSizes();

    private static final Handle HANDLE = new Handle() {
        private final Handle defaults = DefaultMessageSizeEstimator.DEFAULT.newHandle();

        @Override
        public int size(Object msg) {
            if (msg instanceof HeapBodyRegion region) {
                return (int) region.count();
            }
            return defaults.size(msg);
        }
    };

    private EdgeMessageSizes() {
    }

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}

package dev.coffer.blockstore.nbd;

import io.netty.buffer.ByteBuf;

/**
 * One decoded transmission request. {@code payload} is a WRITE's data (null otherwise, and null when
 * {@code payloadTooLarge}: then the payload was read off the wire and discarded). Whoever holds the
 * request owns the payload and must release it.
 *
 * @param type the command type as sent (unknown types are answered EINVAL)
 * @param length unsigned 32-bit, as a long
 */
record NbdRequest(int flags, int type, long cookie, long offset, long length, ByteBuf payload,
                  boolean payloadTooLarge) {
    void releasePayload() {
        if (payload != null && payload.refCnt() > 0) {
            payload.release();
        }
    }

    boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}

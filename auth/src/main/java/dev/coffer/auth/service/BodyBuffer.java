package dev.coffer.auth.service;

/**
 * Space for the next bytes of a streamed response body, lent by its {@link ResponseWriter}: the
 * producer fills {@code array()[offset(), offset() + capacity())} and hands it back with
 * {@link ResponseWriter#write(BodyBuffer, int)}, after which the buffer is the transport's (it may
 * still be on its way to the socket) and must not be touched. {@link #close()} gives back a buffer
 * that will not be sent; after a write it does nothing, so try-with-resources releases the buffer
 * on every path.
 *
 * <p>Why a lent buffer rather than {@code write(byte[])}: a producer that computes the body
 * (decryption) can write it where the transport sends it from, instead of into its own array that
 * the transport then copies.
 */
public interface BodyBuffer extends AutoCloseable {
    /** The array to fill; shared with other buffers, so only the lent window may be written. */
    byte[] array();

    /** Where the lent window starts in {@link #array()}. */
    int offset();

    /** The lent window's size in bytes. */
    int capacity();

    /** Gives the buffer back unsent; does nothing once it was written or closed. */
    @Override
    void close();

    /** A buffer over a fresh array of its own, for writers without a pool. */
    static BodyBuffer ofArray(int capacity) {
        byte[] array = new byte[capacity];
        return new BodyBuffer() {
            @Override
            public byte[] array() {
                return array;
            }

            @Override
            public int offset() {
                return 0;
            }

            @Override
            public int capacity() {
                return array.length;
            }

            @Override
            public void close() {
            }
        };
    }
}

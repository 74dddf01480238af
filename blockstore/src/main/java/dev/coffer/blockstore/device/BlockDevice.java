package dev.coffer.blockstore.device;

/**
 * An open volume as a block device: byte-addressed reads and writes of any length inside
 * {@code [0, sizeBytes())}, and the NBD commands' semantics. Thread-safe: an NBD server calls it from
 * many connections at once (multi-conn), on worker threads, never on an event loop.
 *
 * <p>Durability: a completed {@link #write} (or trim, zeroes) is visible to every later read on any
 * connection. It is durable (survives a crash of the process or the machine) once {@link #flush()}
 * has returned after it, or at once when it was made with {@code fua}. A flush covers writes from
 * every connection, which is what makes advertising NBD multi-conn safe.
 *
 * <p>Errors: a range outside the device is {@link BlockIoException.Errno#EINVAL}; a stored block
 * that fails authentication (tampering, wrong volume, wrong key) is {@link BlockIoException.Errno#EIO}
 * and no bytes of it are returned; a closed device is {@link BlockIoException.Errno#ESHUTDOWN}.
 */
public interface BlockDevice {
    /** The device size in bytes (a multiple of {@link #blockSize()}). */
    long sizeBytes();

    /** The size of the blocks the device stores; NBD advertises it as the preferred block size. */
    int blockSize();

    /** Reads {@code length} bytes at {@code offset} into {@code dst[dstOffset, +length)}; never-written ranges read as zeros. */
    void read(long offset, byte[] dst, int dstOffset, int length) throws BlockIoException;

    /**
     * Does what {@link #read} does if that needs no file I/O and no wait for a lock, and returns true;
     * otherwise returns false, leaving {@code dst[dstOffset, +length)} unspecified, and the caller
     * calls {@link #read}. Never blocks, so an event loop may call it. A device may decline any
     * request (and does for errors, which {@link #read} then reports); it never answers from a view
     * other than {@link #read}'s: a completed write is seen, and never-written blocks are only
     * answered as zeros when that is known without I/O.
     */
    default boolean tryReadWithoutBlocking(long offset, byte[] dst, int dstOffset, int length) {
        return false;
    }

    /** Writes {@code src[srcOffset, +length)} at {@code offset}; with {@code fua}, durable before it returns. */
    void write(long offset, byte[] src, int srcOffset, int length, boolean fua) throws BlockIoException;

    /** Discards a range: it reads as zeros afterwards and whole blocks in it are no longer stored. */
    void trim(long offset, long length, boolean fua) throws BlockIoException;

    /** Zeroes a range: it reads as zeros afterwards; whole blocks in it are dropped, not stored as zeros. */
    void writeZeroes(long offset, long length, boolean fua) throws BlockIoException;

    /** Makes every write completed before this call durable. */
    void flush() throws BlockIoException;
}

package dev.coffer.blockstore.engine;

/**
 * Per-thread buffers for the I/O path, so a request allocates no block-sized arrays. RocksDB's JNI
 * puts copy keys and values, so the buffers are free again once a call returns.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    final byte[] key = new byte[BlockKeys.SIZE_BYTES];
    final byte[] pointer = new byte[LogPointer.SIZE_BYTES];
    final byte[] runKey = new byte[BlockKeys.SIZE_BYTES];
    final LogReads logReads = new LogReads();
    private byte[] block = new byte[0];
    private byte[] record = new byte[0];
    private byte[] records = new byte[0];
    private byte[] run = new byte[0];

    private Scratch() {
    }

    static Scratch get() {
        return PER_THREAD.get();
    }

    /** A buffer of exactly {@code size} bytes for one plaintext block. */
    byte[] block(int size) {
        if (block.length != size) {
            block = new byte[size];
        }
        return block;
    }

    /** A buffer of exactly {@code size} bytes for one stored record (JNI puts take whole arrays). */
    byte[] record(int size) {
        if (record.length != size) {
            record = new byte[size];
        }
        return record;
    }

    /** A buffer of at least {@code size} bytes for one run of log records a read fetches. */
    byte[] run(int size) {
        if (run.length < size) {
            run = new byte[size];
        }
        return run;
    }

    /** A buffer of at least {@code size} bytes for the block log records of one append. */
    byte[] records(int size) {
        if (records.length < size) {
            records = new byte[size];
        }
        return records;
    }
}

package dev.coffer.blockstore.engine;

/**
 * A read restricted to memory (memtables and block cache) that RocksDB could only answer by reading a
 * table file. Not an error: the caller retries the read where blocking is allowed. One shared instance
 * without a stack trace, because a cache miss is an expected, frequent outcome.
 */
final class NotInMemoryException extends RuntimeException {
    static final NotInMemoryException INSTANCE = new NotInMemoryException();

    private NotInMemoryException() {
        super("the read needs file I/O", null, false, false);
    }
}

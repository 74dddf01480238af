package dev.coffer.blockstore.device;

import java.io.IOException;
import java.util.Objects;

/** A block device request that failed, with the errno the NBD server answers it with. */
public final class BlockIoException extends IOException {
    /** The NBD error values (proto.md "Error values"), which are Linux errnos. */
    public enum Errno {
        EPERM(1), EIO(5), ENOMEM(12), EINVAL(22), ENOSPC(28), EOVERFLOW(75), ENOTSUP(95), ESHUTDOWN(108);

        private final int value;

        Errno(int value) {
            this.value = value;
        }

        /** The value on the wire. */
        public int value() {
            return value;
        }
    }

    private final Errno errno;

    public BlockIoException(Errno errno, String message) {
        super(message);
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    public BlockIoException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = Objects.requireNonNull(errno, "errno");
    }

    public Errno errno() {
        return errno;
    }
}

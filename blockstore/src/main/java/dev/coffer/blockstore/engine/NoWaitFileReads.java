package dev.coffer.blockstore.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a file only if the page cache already holds the bytes: {@code preadv2(2)} with
 * {@code RWF_NOWAIT} through the FFM API (Linux, 64-bit). It lets the NBD event loop answer a small
 * read of a block in the log without ever waiting for the disk; anything not cached (or any error)
 * is a miss, and a worker reads it the ordinary way. {@link #available()} says whether it linked.
 *
 * <p>Each calling thread has its own native buffer (the event loops: a few, each up to one
 * request's records); the bytes are copied into the caller's array.
 */
@SuppressWarnings("restricted")
final class NoWaitFileReads {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int RWF_NOWAIT = 0x08;
    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle PREADV2;
    private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    static {
        MethodHandle open = null;
        MethodHandle close = null;
        MethodHandle preadv2 = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && ValueLayout.ADDRESS.byteSize() == 8) {
            try {
                Linker linker = Linker.nativeLinker();
                open = linker.downcallHandle(linker.defaultLookup().findOrThrow("open"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                close = linker.downcallHandle(linker.defaultLookup().findOrThrow("close"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                preadv2 = linker.downcallHandle(linker.defaultLookup().findOrThrow("preadv2"),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            } catch (RuntimeException | LinkageError e) {
                open = null;
                close = null;
                preadv2 = null;
            }
        }
        OPEN = open;
        CLOSE = close;
        PREADV2 = preadv2;
    }

    private NoWaitFileReads() {
    }

    static boolean available() {
        return PREADV2 != null;
    }

    /** Opens {@code file} read-only for {@link #read}; returns the descriptor, or -1 if it cannot (or this is unavailable). */
    static int open(Path file) {
        if (!available()) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_RDONLY | O_CLOEXEC);
        } catch (Throwable e) {
            return -1;
        }
    }

    static void close(int fd) {
        if (fd >= 0) {
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable e) {
                // nothing to do: the descriptor is gone either way
            }
        }
    }

    /**
     * Reads exactly {@code length} bytes at {@code offset} of {@code fd} into {@code into[intoOffset]}
     * if the page cache holds all of them; returns false (with {@code into} unspecified) otherwise.
     */
    static boolean read(int fd, long offset, byte[] into, int intoOffset, int length) {
        if (fd < 0) {
            return false;
        }
        Buffer buffer = BUFFER.get();
        MemorySegment data = buffer.data(length);
        buffer.iovec.set(ValueLayout.ADDRESS, 0, data);
        buffer.iovec.set(ValueLayout.JAVA_LONG, 8, length);
        long got;
        try {
            got = (long) PREADV2.invokeExact(fd, buffer.iovec, 1, offset, RWF_NOWAIT);
        } catch (Throwable e) {
            return false;
        }
        if (got != length) {
            return false;
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, into, intoOffset, length);
        return true;
    }

    private static final class Buffer {
        final MemorySegment iovec = Arena.global().allocate(16, 8);
        private MemorySegment data = MemorySegment.NULL;

        MemorySegment data(int length) {
            if (data.byteSize() < length) {
                data = Arena.ofAuto().allocate(Math.max(length, 16 << 10), 64);
            }
            return data;
        }
    }
}

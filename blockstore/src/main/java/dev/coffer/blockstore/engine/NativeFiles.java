package dev.coffer.blockstore.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The block log's file I/O: {@code open}, {@code pread}, {@code pwrite}, {@code fdatasync},
 * {@code close} and {@code preadv2(RWF_NOWAIT)} on Linux (64-bit), through the FFM API.
 *
 * <p>Why not {@code FileChannel}: it copies every heap array through a temporary direct buffer (a
 * whole extra pass over each MiB a volume writes or reads), and a thread interrupted in a read or
 * write closes the channel for every thread. Reads and writes here are critical downcalls that let
 * the kernel copy straight from and into the Java array, and an interrupt does not affect them.
 * {@link #readIfCached} lets the NBD event loop read a block only if the page cache holds it.
 */
@SuppressWarnings("restricted")
final class NativeFiles {
    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0x40;
    private static final int O_EXCL = 0x80;
    private static final int O_CLOEXEC = 0x80000;
    private static final int RWF_NOWAIT = 0x08;
    private static final int EINTR = 4;
    /** The most one call moves; larger transfers loop (Linux moves at most 0x7ffff000 bytes per call anyway). */
    private static final int MAX_CHUNK = 1 << 30;

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle PREAD;
    private static final MethodHandle PWRITE;
    private static final MethodHandle FDATASYNC;
    private static final MethodHandle PREADV2;
    private static final VarHandle ERRNO;
    private static final long CALL_STATE_BYTES;
    private static final String UNAVAILABLE;
    private static final ThreadLocal<MemorySegment> CALL_STATE;
    private static final ThreadLocal<NoWaitBuffer> NO_WAIT_BUFFER = ThreadLocal.withInitial(NoWaitBuffer::new);

    static {
        MethodHandle open = null;
        MethodHandle close = null;
        MethodHandle pread = null;
        MethodHandle pwrite = null;
        MethodHandle fdatasync = null;
        MethodHandle preadv2 = null;
        VarHandle errno = null;
        long stateBytes = 0;
        String unavailable = null;
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                || ValueLayout.ADDRESS.byteSize() != 8) {
            unavailable = "the volume engine's block log needs Linux on a 64-bit JVM";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                StructLayout state = Linker.Option.captureStateLayout();
                errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                stateBytes = state.byteSize();
                Linker.Option capture = Linker.Option.captureCallState("errno");
                Linker.Option heap = Linker.Option.critical(true);
                var lookup = linker.defaultLookup();
                ValueLayout i32 = ValueLayout.JAVA_INT;
                ValueLayout i64 = ValueLayout.JAVA_LONG;
                ValueLayout ptr = ValueLayout.ADDRESS;
                open = linker.downcallHandle(lookup.findOrThrow("open"), FunctionDescriptor.of(i32, ptr, i32, i32),
                        Linker.Option.firstVariadicArg(2), capture);
                close = linker.downcallHandle(lookup.findOrThrow("close"), FunctionDescriptor.of(i32, i32));
                pread = linker.downcallHandle(lookup.findOrThrow("pread"), FunctionDescriptor.of(i64, i32, ptr, i64, i64),
                        capture, heap);
                pwrite = linker.downcallHandle(lookup.findOrThrow("pwrite"), FunctionDescriptor.of(i64, i32, ptr, i64, i64),
                        capture, heap);
                fdatasync = linker.downcallHandle(lookup.findOrThrow("fdatasync"), FunctionDescriptor.of(i32, i32), capture);
                preadv2 = linker.downcallHandle(lookup.findOrThrow("preadv2"),
                        FunctionDescriptor.of(i64, i32, ptr, i32, i64, i32));
            } catch (RuntimeException | LinkageError e) {
                unavailable = "the volume engine's block log cannot link its file calls: " + e;
            }
        }
        OPEN = open;
        CLOSE = close;
        PREAD = pread;
        PWRITE = pwrite;
        FDATASYNC = fdatasync;
        PREADV2 = preadv2;
        ERRNO = errno;
        CALL_STATE_BYTES = stateBytes;
        UNAVAILABLE = unavailable;
        CALL_STATE = ThreadLocal.withInitial(() -> Arena.global().allocate(Math.max(1, CALL_STATE_BYTES)));
    }

    private NativeFiles() {
    }

    /** Opens a segment for reading and writing; {@code create}: a new file, failing if it exists. */
    static int openReadWrite(Path file, boolean create) throws IOException {
        return open(file, O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0));
    }

    static int openReadOnly(Path file) throws IOException {
        return open(file, O_RDONLY | O_CLOEXEC);
    }

    private static int open(Path file, int flags) throws IOException {
        ensureAvailable();
        MemorySegment state = CALL_STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(file.toString());
            while (true) {
                int fd = (int) OPEN.invokeExact(state, path, flags, 0644);
                if (fd >= 0) {
                    return fd;
                }
                int errno = errno(state);
                if (errno != EINTR) {
                    throw failure("open " + file, errno);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("open(2) downcall failed", e);
        }
    }

    /** Writes all of {@code data[offset, +length)} at {@code position}. */
    static void writeFully(int fd, byte[] data, int offset, int length, long position) throws IOException {
        transferFully(PWRITE, "pwrite", fd, data, offset, length, position);
    }

    /** Reads exactly {@code length} bytes at {@code position} into {@code into[offset]}; a file that ends first is an IOException. */
    static void readFully(int fd, byte[] into, int offset, int length, long position) throws IOException {
        transferFully(PREAD, "pread", fd, into, offset, length, position);
    }

    /**
     * Calls {@code pread} or {@code pwrite} (the same signature) until all {@code length} bytes have
     * moved, retrying EINTR; a call that moves nothing means a read hit the end of the file.
     */
    private static void transferFully(MethodHandle call, String name, int fd, byte[] array, int offset, int length,
                                      long position) throws IOException {
        MemorySegment state = CALL_STATE.get();
        MemorySegment bytes = MemorySegment.ofArray(array);
        int done = 0;
        while (done < length) {
            int chunk = Math.min(MAX_CHUNK, length - done);
            long n;
            try {
                n = (long) call.invokeExact(state, fd, bytes.asSlice(offset + done, chunk), (long) chunk, position + done);
            } catch (Throwable e) {
                throw new IllegalStateException(name + "(2) downcall failed", e);
            }
            if (n < 0) {
                int errno = errno(state);
                if (errno == EINTR) {
                    continue;
                }
                throw failure(name, errno);
            }
            if (n == 0) {
                throw new IOException("the file ends at " + (position + done) + ", before the " + length
                        + " bytes " + name + " was asked for at " + position);
            }
            done += (int) n;
        }
    }

    /**
     * Reads exactly {@code length} bytes at {@code position} into {@code into[offset]} if the page
     * cache holds all of them, never waiting for the disk; false (with {@code into} unspecified) for
     * anything else: not cached, a short file, an error.
     */
    static boolean readIfCached(int fd, byte[] into, int offset, int length, long position) {
        if (fd < 0 || PREADV2 == null) {
            return false;
        }
        NoWaitBuffer buffer = NO_WAIT_BUFFER.get();
        MemorySegment data = buffer.data(length);
        buffer.iovec.set(ValueLayout.ADDRESS, 0, data);
        buffer.iovec.set(ValueLayout.JAVA_LONG, 8, length);
        long got;
        try {
            got = (long) PREADV2.invokeExact(fd, buffer.iovec, 1, position, RWF_NOWAIT);
        } catch (Throwable e) {
            return false;
        }
        if (got != length) {
            return false;
        }
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, into, offset, length);
        return true;
    }

    static void dataSync(int fd) throws IOException {
        MemorySegment state = CALL_STATE.get();
        while (true) {
            int result;
            try {
                result = (int) FDATASYNC.invokeExact(state, fd);
            } catch (Throwable e) {
                throw new IllegalStateException("fdatasync(2) downcall failed", e);
            }
            if (result == 0) {
                return;
            }
            int errno = errno(state);
            if (errno != EINTR) {
                throw failure("fdatasync", errno);
            }
        }
    }

    static void close(int fd) {
        if (fd >= 0) {
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable e) {
                // nothing to do: the descriptor is released either way
            }
        }
    }

    private static void ensureAvailable() throws IOException {
        if (UNAVAILABLE != null) {
            throw new IOException(UNAVAILABLE);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static IOException failure(String call, int errno) {
        return new IOException(call + " failed, errno " + errno);
    }

    /** A thread's native buffer for {@link #readIfCached} (the event loops: a few, each the size of one small read). */
    private static final class NoWaitBuffer {
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

package dev.coffer.gateway.transport;

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
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code send(2)} on a non-blocking socket straight from a Java array, through the FFM API as a
 * critical call that may read the heap: the kernel copies from the array itself. Netty and the JDK
 * would first copy a heap array into a direct buffer, a whole extra pass over every byte of a
 * decrypted GET (AES-GCM on this JDK is fast only between heap arrays, so the plaintext is born on
 * the heap). Linux on 64-bit only; {@link #available()} says whether it linked.
 */
@SuppressWarnings("restricted")
public final class NativeSocketSend {
    private static final Logger LOG = LoggerFactory.getLogger(NativeSocketSend.class);
    private static final int MSG_DONTWAIT = 0x40;
    /** A peer that went away is an error return (EPIPE), not a SIGPIPE. */
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    private static final MethodHandle SEND;
    private static final VarHandle ERRNO;
    private static final long CALL_STATE_BYTES;
    /** One errno slot per thread that sends (the event loops), never freed: a few bytes each. */
    private static final ThreadLocal<MemorySegment> CALL_STATE;

    static {
        MethodHandle send = null;
        VarHandle errno = null;
        long stateBytes = 0;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && ValueLayout.ADDRESS.byteSize() == 8) {
            try {
                Linker linker = Linker.nativeLinker();
                StructLayout state = Linker.Option.captureStateLayout();
                errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                stateBytes = state.byteSize();
                send = linker.downcallHandle(linker.defaultLookup().findOrThrow("send"),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
                        Linker.Option.captureCallState("errno"), Linker.Option.critical(true));
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("send(2) through FFM unavailable; heap bodies are copied to direct buffers", e);
                send = null;
            }
        }
        SEND = send;
        ERRNO = errno;
        CALL_STATE_BYTES = stateBytes;
        CALL_STATE = ThreadLocal.withInitial(() -> Arena.global().allocate(CALL_STATE_BYTES));
    }

    private NativeSocketSend() {
    }

    public static boolean available() {
        return SEND != null;
    }

    /**
     * Sends up to {@code length} bytes of {@code array} from {@code offset} on socket {@code fd}
     * without blocking.
     *
     * @return the bytes the kernel took, 0 when the socket's send buffer is full
     * @throws IOException for any other failure (the peer reset or went away)
     */
    public static int send(int fd, byte[] array, int offset, int length) throws IOException {
        if (SEND == null) {
            throw new IllegalStateException("native send is unavailable here");
        }
        MemorySegment state = CALL_STATE.get();
        MemorySegment bytes = MemorySegment.ofArray(array).asSlice(offset, length);
        while (true) {
            long sent;
            try {
                sent = (long) SEND.invokeExact(state, fd, bytes, (long) length, MSG_DONTWAIT | MSG_NOSIGNAL);
            } catch (Throwable e) {
                throw new IllegalStateException("send(2) downcall failed", e);
            }
            if (sent >= 0) {
                return (int) sent;
            }
            int errno = (int) ERRNO.get(state, 0L);
            if (errno == EAGAIN) {
                return 0;
            }
            if (errno != EINTR) {
                throw new IOException("send(2) failed, errno " + errno);
            }
        }
    }
}

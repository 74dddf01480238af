package dev.coffer.kms.hsm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds a PKCS#11 slot by the label of its token. SunPKCS11's configuration can only name a slot by
 * id ({@code slot}) or by position ({@code slotListIndex}), and neither is stable: SoftHSM, for one,
 * gives each new token a random slot id. Operators know the token label, so this class asks the
 * module itself, through the PKCS#11 C API (C_GetFunctionList, C_Initialize, C_GetSlotList,
 * C_GetTokenInfo, C_Finalize) called with the Foreign Function &amp; Memory API; the JDK's own
 * PKCS#11 wrapper is not exported.
 *
 * <p>If the module is not initialised in this process yet, it is initialised for the lookup and
 * finalised again, leaving it as it was; if it already is (a SunPKCS11 provider uses it), the lookup
 * reuses that initialisation and does not finalise it. Callers hold {@link #MODULE_LOCK} around the
 * lookup and the provider configuration that follows, so the two never interleave in this class.
 *
 * <p>Structure offsets are those of the LP64 ABI (64-bit Linux and macOS), where CK_ULONG is 8 bytes
 * and structures are naturally aligned; elsewhere (Windows packs PKCS#11 structures to 1 byte) the
 * lookup refuses to run.
 */
// The C calls are the point of this class; Coffer's JVMs run with --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
final class Pkcs11Slots {
    /** Held while a module may be initialised or finalised by this class. */
    static final Object MODULE_LOCK = new Object();

    private static final long CKR_OK = 0x0;
    private static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;
    private static final long CKF_OS_LOCKING_OK = 0x2;
    private static final long CKF_TOKEN_INITIALIZED = 0x400;
    private static final int TOKEN_LABEL_SIZE_BYTES = 32;

    // CK_FUNCTION_LIST: CK_VERSION (2 bytes, padded to a pointer), then function pointers in this order.
    private static final int C_INITIALIZE = 0;
    private static final int C_FINALIZE = 1;
    private static final int C_GET_SLOT_LIST = 4;
    private static final int C_GET_TOKEN_INFO = 6;
    private static final long POINTER_SIZE_BYTES = ValueLayout.ADDRESS.byteSize();
    private static final long FUNCTION_LIST_PREFIX_SIZE_BYTES = POINTER_SIZE_BYTES * (C_GET_TOKEN_INFO + 2);

    // CK_C_INITIALIZE_ARGS: four mutex callbacks, CK_FLAGS flags, pReserved.
    private static final MemoryLayout INITIALIZE_ARGS = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, ValueLayout.ADDRESS),
            ValueLayout.JAVA_LONG.withName("flags"),
            ValueLayout.ADDRESS);
    private static final long INITIALIZE_ARGS_FLAGS_OFFSET = 4 * POINTER_SIZE_BYTES;

    // CK_TOKEN_INFO: label[32], manufacturerID[32], model[16], serialNumber[16], CK_FLAGS flags, ...
    // (208 bytes in all); a larger buffer is harmless.
    private static final long TOKEN_INFO_FLAGS_OFFSET = 32 + 32 + 16 + 16;
    private static final long TOKEN_INFO_BUFFER_SIZE_BYTES = 512;

    /** An initialised token in a slot. {@code slotListIndex} is its position in C_GetSlotList(FALSE). */
    record Token(long slotId, int slotListIndex, String label) {}

    private Pkcs11Slots() {}

    /**
     * The slot whose initialised token carries {@code tokenLabel}.
     *
     * @throws HsmException if the module cannot be loaded or answers with an error, or if not exactly
     *     one initialised token has that label (the message lists the labels it found)
     */
    static Token find(Path library, String tokenLabel) throws HsmException {
        Listing listing = list(library);
        List<Token> matches = listing.tokens.stream().filter(t -> t.label.equals(tokenLabel)).toList();
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            String hint = listing.moduleWasInitialised
                    ? " The module was initialised earlier in this process; some modules (SoftHSM) do not see"
                            + " tokens created since."
                    : "";
            throw new HsmException("no initialised token labelled '" + tokenLabel + "' in PKCS#11 module " + library
                    + "; its tokens are " + listing.tokens.stream().map(t -> "'" + t.label + "'").toList() + "." + hint);
        }
        throw new HsmException("more than one token is labelled '" + tokenLabel + "' in PKCS#11 module " + library
                + " (slots " + matches.stream().map(Token::slotId).toList() + "); relabel one of them");
    }

    /** The initialised tokens of a module, and whether the module was already initialised in this process. */
    record Listing(List<Token> tokens, boolean moduleWasInitialised) {}

    static Listing list(Path library) throws HsmException {
        Linker linker = Linker.nativeLinker();
        checkAbi(linker);
        synchronized (MODULE_LOCK) {
            try (Arena arena = Arena.ofConfined()) {
                SymbolLookup module;
                try {
                    module = SymbolLookup.libraryLookup(library, arena);
                } catch (IllegalArgumentException e) {
                    throw new HsmException("cannot load PKCS#11 module " + library + ": " + e.getMessage(), e);
                }
                MemorySegment getFunctionList = module.find("C_GetFunctionList").orElseThrow(
                        () -> new HsmException(library + " is not a PKCS#11 module: it has no C_GetFunctionList"));
                MemorySegment functionList = functionList(linker, arena, getFunctionList, library);
                return list(linker, arena, functionList, library);
            }
        }
    }

    private static Listing list(Linker linker, Arena arena, MemorySegment functions, Path library) throws HsmException {
        MethodHandle initialize = function(linker, functions, C_INITIALIZE,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MethodHandle finalize = function(linker, functions, C_FINALIZE,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MethodHandle getSlotList = function(linker, functions, C_GET_SLOT_LIST,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_BYTE, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        MethodHandle getTokenInfo = function(linker, functions, C_GET_TOKEN_INFO,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));

        MemorySegment initializeArgs = arena.allocate(INITIALIZE_ARGS);
        initializeArgs.set(ValueLayout.JAVA_LONG, INITIALIZE_ARGS_FLAGS_OFFSET, CKF_OS_LOCKING_OK);
        long rv = call(() -> (long) initialize.invokeExact(initializeArgs));
        boolean wasInitialised = rv == CKR_CRYPTOKI_ALREADY_INITIALIZED;
        if (rv != CKR_OK && !wasInitialised) {
            throw failed(library, "C_Initialize", rv);
        }
        try {
            List<Token> tokens = new ArrayList<>();
            long[] slots = slotList(getSlotList, arena, library);
            for (int index = 0; index < slots.length; index++) {
                MemorySegment info = arena.allocate(TOKEN_INFO_BUFFER_SIZE_BYTES, 8);
                long slot = slots[index];
                long tokenRv = call(() -> (long) getTokenInfo.invokeExact(slot, info));
                if (tokenRv != CKR_OK) {
                    continue; // no token in this slot, or one the module cannot read: not ours
                }
                long flags = info.get(ValueLayout.JAVA_LONG, TOKEN_INFO_FLAGS_OFFSET);
                if ((flags & CKF_TOKEN_INITIALIZED) != 0) {
                    tokens.add(new Token(slot, index, label(info)));
                }
            }
            return new Listing(List.copyOf(tokens), wasInitialised);
        } finally {
            if (!wasInitialised) {
                call(() -> (long) finalize.invokeExact(MemorySegment.NULL));
            }
        }
    }

    /** All slots, with or without a token: the list SunPKCS11's {@code slotListIndex} indexes. */
    private static long[] slotList(MethodHandle getSlotList, Arena arena, Path library) throws HsmException {
        MemorySegment count = arena.allocate(ValueLayout.JAVA_LONG);
        for (int attempt = 0; attempt < 3; attempt++) {
            long rv = call(() -> (long) getSlotList.invokeExact((byte) 0, MemorySegment.NULL, count));
            if (rv != CKR_OK) {
                throw failed(library, "C_GetSlotList", rv);
            }
            long n = count.get(ValueLayout.JAVA_LONG, 0);
            MemorySegment ids = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, n));
            long listRv = call(() -> (long) getSlotList.invokeExact((byte) 0, ids, count));
            if (listRv == CKR_OK) {
                return ids.asSlice(0, count.get(ValueLayout.JAVA_LONG, 0) * Long.BYTES).toArray(ValueLayout.JAVA_LONG);
            }
            if (listRv != 0x150) { // CKR_BUFFER_TOO_SMALL: a slot appeared between the calls; ask again
                throw failed(library, "C_GetSlotList", listRv);
            }
        }
        throw new HsmException("PKCS#11 module " + library + " keeps changing its slot list");
    }

    private static String label(MemorySegment tokenInfo) {
        byte[] raw = tokenInfo.asSlice(0, TOKEN_LABEL_SIZE_BYTES).toArray(ValueLayout.JAVA_BYTE);
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == 0)) {
            end--; // blank-padded by the standard; some modules pad with NULs
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }

    private static MemorySegment functionList(Linker linker, Arena arena, MemorySegment getFunctionList, Path library)
            throws HsmException {
        MethodHandle handle = linker.downcallHandle(getFunctionList,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MemorySegment pointer = arena.allocate(ValueLayout.ADDRESS);
        long rv = call(() -> (long) handle.invokeExact(pointer));
        if (rv != CKR_OK) {
            throw failed(library, "C_GetFunctionList", rv);
        }
        MemorySegment list = pointer.get(ValueLayout.ADDRESS, 0);
        if (list.equals(MemorySegment.NULL)) {
            throw new HsmException("PKCS#11 module " + library + " returned no function list");
        }
        MemorySegment functions = list.reinterpret(FUNCTION_LIST_PREFIX_SIZE_BYTES);
        int major = Byte.toUnsignedInt(functions.get(ValueLayout.JAVA_BYTE, 0));
        if (major < 2) {
            throw new HsmException("PKCS#11 module " + library + " implements version " + major + "; 2 or later is needed");
        }
        return functions;
    }

    private static MethodHandle function(Linker linker, MemorySegment functions, int index, FunctionDescriptor type) {
        MemorySegment address = functions.get(ValueLayout.ADDRESS, POINTER_SIZE_BYTES * (index + 1));
        return linker.downcallHandle(address, type);
    }

    private static void checkAbi(Linker linker) throws HsmException {
        boolean lp64 = POINTER_SIZE_BYTES == 8 && linker.canonicalLayouts().get("long").byteSize() == 8;
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        if (!lp64 || windows) {
            throw new HsmException("finding a PKCS#11 token by label is implemented for the LP64 ABI"
                    + " (64-bit Linux, macOS) only, not for " + System.getProperty("os.name"));
        }
    }

    private static HsmException failed(Path library, String function, long rv) {
        return new HsmException("PKCS#11 module " + library + ": " + function + " returned CKR 0x" + Long.toHexString(rv));
    }

    @FunctionalInterface
    private interface NativeCall {
        long call() throws Throwable;
    }

    private static long call(NativeCall call) throws HsmException {
        try {
            return call.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new HsmException("PKCS#11 call failed: " + t, t);
        }
    }
}

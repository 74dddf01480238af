package dev.coffer.kms.hsm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Sets a variable in this process's C environment (libc {@code setenv}), which native libraries read
 * with {@code getenv}; {@link System#getenv()} keeps its start-up copy and does not see the change.
 * For tests that must point SoftHSM at their own configuration before its first C_Initialize, without
 * a Maven-level environment. Call it before other threads could read the environment.
 */
@SuppressWarnings("restricted") // a libc call is the point; the test JVMs run with --enable-native-access
final class NativeEnvironment {
    private NativeEnvironment() {}

    static void set(String name, String value) {
        Linker linker = Linker.nativeLinker();
        MemorySegment setenv = linker.defaultLookup().find("setenv")
                .orElseThrow(() -> new IllegalStateException("libc setenv not found"));
        MethodHandle handle = linker.downcallHandle(setenv,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) handle.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1);
            if (rc != 0) {
                throw new IllegalStateException("setenv(" + name + ") failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setenv(" + name + ") failed", t);
        }
    }

    /** The C environment's value (to check {@link #set}), or null. */
    static String get(String name) {
        Linker linker = Linker.nativeLinker();
        MemorySegment getenv = linker.defaultLookup().find("getenv")
                .orElseThrow(() -> new IllegalStateException("libc getenv not found"));
        MethodHandle handle = linker.downcallHandle(getenv, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) handle.invokeExact(arena.allocateFrom(name));
            return value.equals(MemorySegment.NULL) ? null : value.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("getenv(" + name + ") failed", t);
        }
    }
}

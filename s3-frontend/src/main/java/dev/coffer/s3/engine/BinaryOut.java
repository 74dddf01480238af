package dev.coffer.s3.engine;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/** Builds a v1 metadata value: big-endian integers and the length-prefixed forms the format spec names. */
final class BinaryOut {
    private byte[] buffer = new byte[256];
    private int size;

    BinaryOut u8(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    BinaryOut u32(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    BinaryOut i64(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    BinaryOut raw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    BinaryOut string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return u32(utf8.length).raw(utf8);
    }

    BinaryOut optionalString(String value) {
        return value == null ? u8(0) : u8(1).string(value);
    }

    BinaryOut optionalBytes(byte[] value) {
        return value == null ? u32(-1) : u32(value.length).raw(value);
    }

    BinaryOut map(Map<String, String> map) {
        u32(map.size());
        map.forEach((k, v) -> string(k).string(v));
        return this;
    }

    BinaryOut instant(Instant instant) {
        return i64(instant.getEpochSecond()).u32(instant.getNano());
    }

    BinaryOut dataRef(DataRef ref) {
        return u8(ref.location().code).raw(ref.id()).i64(ref.length());
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}

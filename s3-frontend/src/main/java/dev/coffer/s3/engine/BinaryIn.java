package dev.coffer.s3.engine;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads what {@link BinaryOut} wrote, bounds-checked: any length past the end, malformed UTF-8 or
 * impossible value is CORRUPT, never an unchecked exception or a huge allocation.
 */
final class BinaryIn {
    private final ByteBuffer in;

    BinaryIn(byte[] bytes, int offset, int length) {
        this.in = ByteBuffer.wrap(bytes, offset, length);
    }

    int u8() {
        need(1);
        return in.get() & 0xff;
    }

    int u32() {
        need(4);
        return in.getInt();
    }

    long i64() {
        need(8);
        return in.getLong();
    }

    byte[] raw(int length) {
        if (length < 0) {
            throw corrupt("negative length");
        }
        need(length);
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }

    String string() {
        byte[] utf8 = raw(u32());
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw corrupt("malformed UTF-8");
        }
    }

    String optionalString() {
        return switch (u8()) {
            case 0 -> null;
            case 1 -> string();
            default -> throw corrupt("bad presence flag");
        };
    }

    byte[] optionalBytes() {
        int length = u32();
        return length == -1 ? null : raw(length);
    }

    Map<String, String> map() {
        int count = u32();
        // Each entry takes at least 8 bytes, so a count beyond that is a lie, not a reason to allocate.
        if (count < 0 || count > in.remaining() / 8) {
            throw corrupt("bad map size");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            if (map.put(string(), string()) != null) {
                throw corrupt("duplicate map key");
            }
        }
        return map;
    }

    Instant instant() {
        long seconds = i64();
        int nanos = u32();
        if (nanos < 0 || nanos > 999_999_999) {
            throw corrupt("bad nanoseconds");
        }
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException e) {
            throw corrupt("instant out of range");
        }
    }

    DataRef dataRef() {
        DataRef.Location location = DataRef.Location.ofCode(u8());
        byte[] id = raw(DataRef.ID_BYTES);
        long length = i64();
        if (length < 0) {
            throw corrupt("negative data length");
        }
        return new DataRef(location, id, length);
    }

    /** A count of items that each take at least {@code minBytes}, checked against what is left. */
    int count(int minBytes) {
        int count = u32();
        if (count < 0 || count > in.remaining() / minBytes) {
            throw corrupt("bad count");
        }
        return count;
    }

    void expectEnd() {
        if (in.hasRemaining()) {
            throw corrupt("trailing bytes");
        }
    }

    private void need(int bytes) {
        if (in.remaining() < bytes) {
            throw corrupt("value ends early");
        }
    }

    static EngineException corrupt(String why) {
        return new EngineException(EngineException.Kind.CORRUPT, "stored metadata value is corrupt: " + why);
    }
}

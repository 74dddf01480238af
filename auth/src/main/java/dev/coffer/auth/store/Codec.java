package dev.coffer.auth.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** How a table's keys or values become bytes and back. */
public interface Codec<T> {
    byte[] encode(T value);

    T decode(byte[] bytes);

    /** UTF-8 strings; their byte order is the iteration order, so prefixes and ranges work on strings. */
    static Codec<String> utf8() {
        return new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    /** Raw bytes, unchanged. */
    static Codec<byte[]> bytes() {
        return new Codec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return value;
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return bytes;
            }
        };
    }

    /** A record or bean as JSON through Jackson: the stored form is readable and versionable. */
    static <T> Codec<T> json(Class<T> type, ObjectMapper mapper) {
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                try {
                    return mapper.writeValueAsBytes(value);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
                }
            }

            @Override
            public T decode(byte[] bytes) {
                try {
                    return mapper.readValue(bytes, type);
                } catch (IOException e) {
                    throw new StoreException(StoreException.Kind.CORRUPT,
                            "stored " + type.getSimpleName() + " cannot be decoded", e);
                }
            }
        };
    }
}

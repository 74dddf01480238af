package dev.coffer.crypto.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * An encryption context: non-secret key-value pairs bound to a ciphertext (the AWS term). Equality
 * and the canonical encoding ignore insertion order, so {a=1, b=2} and {b=2, a=1} are the same
 * context, as AWS KMS treats them.
 *
 * <p>Canonical encoding (used as associated data and in digests): pair count (2 bytes, big-endian),
 * then for each pair in ascending order of the key's UTF-8 bytes: key length (2 bytes), key,
 * value length (2 bytes), value, all UTF-8. This is the AWS Encryption SDK's serialization.
 */
public final class EncryptionContext {
    private static final Comparator<String> BY_UTF8_BYTES = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    private static final EncryptionContext EMPTY = new EncryptionContext(new TreeMap<>(BY_UTF8_BYTES));
    private static final int MAX_FIELD_BYTES = 0xffff;

    private final TreeMap<String, String> pairs;

    private EncryptionContext(TreeMap<String, String> pairs) {
        this.pairs = pairs;
    }

    public static EncryptionContext empty() {
        return EMPTY;
    }

    /**
     * A context with the given pairs; keys must be non-empty, values non-null, each field well-formed
     * Unicode of at most 65535 UTF-8 bytes.
     */
    public static EncryptionContext of(Map<String, String> pairs) {
        if (pairs.size() > MAX_FIELD_BYTES) {
            // The canonical encoding counts pairs in two bytes; more would wrap the count.
            throw new IllegalArgumentException("an encryption context holds at most " + MAX_FIELD_BYTES + " pairs");
        }
        TreeMap<String, String> sorted = new TreeMap<>(BY_UTF8_BYTES);
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key == null || key.isEmpty() || value == null) {
                throw new IllegalArgumentException("encryption context keys must be non-empty and values non-null");
            }
            if (utf8Length(key) > MAX_FIELD_BYTES || utf8Length(value) > MAX_FIELD_BYTES) {
                throw new IllegalArgumentException("encryption context field longer than " + MAX_FIELD_BYTES + " bytes");
            }
            sorted.put(key, value);
        }
        return new EncryptionContext(sorted);
    }

    /** A new context with one more pair (replacing an existing value for the key). */
    public EncryptionContext with(String key, String value) {
        TreeMap<String, String> copy = new TreeMap<>(pairs);
        copy.put(key, value);
        return of(copy);
    }

    public String get(String key) {
        return pairs.get(key);
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** The pairs in canonical order, unmodifiable. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(pairs);
    }

    /** The canonical encoding; the empty context encodes as zero bytes. */
    public byte[] canonicalBytes() {
        if (pairs.isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeShort(out, pairs.size());
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            writeShort(out, k.length);
            out.writeBytes(k);
            writeShort(out, v.length);
            out.writeBytes(v);
        }
        return out.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    /**
     * Strict: an unpaired surrogate has no UTF-8 form, and the lenient {@code getBytes} would turn it
     * into '?', giving two different contexts the same canonical bytes.
     */
    private static int utf8Length(String s) {
        try {
            return StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(s)).remaining();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("encryption context fields must be well-formed Unicode (no unpaired surrogates)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionContext other && pairs.equals(other.pairs);
    }

    @Override
    public int hashCode() {
        return pairs.hashCode();
    }

    /** Encryption context is not secret (CloudTrail records it), so it is shown. */
    @Override
    public String toString() {
        return "EncryptionContext" + pairs;
    }
}

package dev.coffer.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Unambiguous encoding of a list of fields as associated data: each field is its UTF-8 (or raw)
 * bytes preceded by its length as a 4-byte big-endian integer. So ("ab","c") and ("a","bc") differ,
 * which plain concatenation would not guarantee.
 */
public final class AssociatedData {
    private AssociatedData() {}

    /**
     * Encodes string fields (for example bucket, key, part number). A field that is not well-formed
     * Unicode (an unpaired surrogate) is refused: encoded leniently it would become '?' and alias
     * another field.
     */
    public static byte[] ofFields(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : fields) {
            writeField(out, strictUtf8(field));
        }
        return out.toByteArray();
    }

    private static byte[] strictUtf8(String field) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(field));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("associated data fields must be well-formed Unicode (no unpaired surrogates)");
        }
    }

    /** Encodes raw byte fields. */
    public static byte[] ofByteFields(List<byte[]> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] field : fields) {
            writeField(out, field);
        }
        return out.toByteArray();
    }

    private static void writeField(ByteArrayOutputStream out, byte[] field) {
        int n = field.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(field);
    }
}

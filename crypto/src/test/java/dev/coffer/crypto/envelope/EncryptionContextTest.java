package dev.coffer.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncryptionContextTest {

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void insertionOrderDoesNotMatterForEqualityHashOrEncoding() {
        EncryptionContext ab = EncryptionContext.of(ordered("a", "1", "b", "2", "c", "3"));
        EncryptionContext ba = EncryptionContext.of(ordered("c", "3", "b", "2", "a", "1"));
        EncryptionContext built = EncryptionContext.empty().with("b", "2").with("c", "3").with("a", "1");

        assertThat(ab).isEqualTo(ba).isEqualTo(built).hasSameHashCodeAs(ba).hasSameHashCodeAs(built);
        assertThat(ab.canonicalBytes()).isEqualTo(ba.canonicalBytes()).isEqualTo(built.canonicalBytes());
        assertThat(ab.asMap().keySet()).containsExactly("a", "b", "c");
    }

    /** Worked by hand from the AWS Encryption SDK serialization the class documents. */
    @Test
    void canonicalBytesOfATwoPairContext() {
        EncryptionContext context = EncryptionContext.of(ordered("b", "2", "aa", "xyz"));

        assertThat(HexFormat.of().formatHex(context.canonicalBytes())).isEqualTo(
                "0002"                          // two pairs
                + "0002" + "6161" + "0003" + "78797a"   // "aa" = "xyz" (sorts first)
                + "0001" + "62" + "0001" + "32");       // "b" = "2"
    }

    /** UTF-8 byte order and UTF-16 order differ above the BMP; the encoding uses UTF-8 byte order. */
    @Test
    void pairsAreOrderedByTheUtf8BytesOfTheirKeys() {
        String halfwidth = "\uFF61";                  // UTF-8 ef bd a1; UTF-16 ff61
        String emoji = "\uD83D\uDE00";                // UTF-8 f0 9f 98 80; UTF-16 d83d de00
        EncryptionContext context = EncryptionContext.of(ordered(emoji, "e", halfwidth, "h"));

        assertThat(context.asMap().keySet()).containsExactly(halfwidth, emoji);
        assertThat(HexFormat.of().formatHex(context.canonicalBytes()))
                .isEqualTo("0002" + "0003efbda1" + "000168" + "0004f09f9880" + "000165");
    }

    @Test
    void emptyContextEncodesAsNothing() {
        assertThat(EncryptionContext.empty().canonicalBytes()).isEmpty();
        assertThat(EncryptionContext.of(Map.of())).isEqualTo(EncryptionContext.empty());
        assertThat(EncryptionContext.empty().isEmpty()).isTrue();
    }

    @Test
    void keyValueBoundariesCannotBeShifted() {
        EncryptionContext one = EncryptionContext.of(Map.of("ab", "c"));
        EncryptionContext other = EncryptionContext.of(Map.of("a", "bc"));
        assertThat(one).isNotEqualTo(other);
        assertThat(one.canonicalBytes()).isNotEqualTo(other.canonicalBytes());
        assertThat(EncryptionContext.of(Map.of("a", "")).canonicalBytes()).isNotEqualTo(EncryptionContext.empty().canonicalBytes());
    }

    @Test
    void refusesEmptyOrNullKeysAndNullValues() {
        assertThatThrownBy(() -> EncryptionContext.of(Map.of("", "v"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-empty");
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "v");
        assertThatThrownBy(() -> EncryptionContext.of(nullKey)).isInstanceOf(IllegalArgumentException.class);
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> EncryptionContext.of(nullValue)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EncryptionContext.empty().with("", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesFieldsLongerThan65535Utf8Bytes() {
        assertThat(EncryptionContext.of(Map.of("k", "x".repeat(65535))).get("k")).hasSize(65535);
        assertThatThrownBy(() -> EncryptionContext.of(Map.of("k", "x".repeat(65536))))
                .isInstanceOf(IllegalArgumentException.class);
        // 32768 characters, but 65536 UTF-8 bytes.
        assertThatThrownBy(() -> EncryptionContext.of(Map.of("é".repeat(32768), "v")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * An unpaired surrogate has no UTF-8 form. Encoded leniently it becomes '?', so two different
     * contexts would share canonical bytes (and so authenticate each other's data), and equal
     * contexts could have different hash codes.
     */
    @Test
    void unpairedSurrogatesCannotMakeTwoContextsShareCanonicalBytes() {
        assertThatThrownBy(() -> EncryptionContext.of(Map.of("k", "\uD800"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EncryptionContext.of(Map.of("\uDC00", "v"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EncryptionContext.empty().with("k", "a\uD800b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isImmutable() {
        Map<String, String> source = new HashMap<>(Map.of("a", "1"));
        EncryptionContext context = EncryptionContext.of(source);
        source.put("b", "2");
        EncryptionContext extended = context.with("b", "2");

        assertThat(context.asMap()).containsExactly(Map.entry("a", "1"));
        assertThat(extended.asMap()).hasSize(2);
        assertThatThrownBy(() -> context.asMap().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withReplacesTheValueOfAnExistingKey() {
        EncryptionContext context = EncryptionContext.of(Map.of("a", "1")).with("a", "2");
        assertThat(context).isEqualTo(EncryptionContext.of(Map.of("a", "2")));
    }

    @Test
    void toStringShowsThePairsBecauseTheyAreNotSecret() {
        assertThat(EncryptionContext.of(ordered("bucket", "photos", "key", "cat.jpg")).toString())
                .isEqualTo("EncryptionContext{bucket=photos, key=cat.jpg}");
    }
}

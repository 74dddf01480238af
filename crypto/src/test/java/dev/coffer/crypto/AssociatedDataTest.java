package dev.coffer.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssociatedDataTest {

    @Test
    void eachFieldIsItsFourByteBigEndianLengthThenItsUtf8Bytes() {
        assertThat(HexFormat.of().formatHex(AssociatedData.ofFields("ab", "", "é")))
                .isEqualTo("00000002" + "6162" + "00000000" + "00000002" + "c3a9");
        assertThat(AssociatedData.ofFields()).isEmpty();
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        assertThat(AssociatedData.ofFields("ab", "c")).isNotEqualTo(AssociatedData.ofFields("a", "bc"));
        assertThat(AssociatedData.ofFields("abc")).isNotEqualTo(AssociatedData.ofFields("abc", ""));
        assertThat(AssociatedData.ofFields("", "")).isNotEqualTo(AssociatedData.ofFields(""));
    }

    /** Every way of cutting short strings into fields encodes differently. */
    @Test
    void distinctFieldListsNeverEncodeAlike() {
        Map<String, List<String>> seen = new HashMap<>();
        for (String text : List.of("", "a", "ab", "abc", "a\u0000b", "\u0000\u0000\u0000\u0001")) {
            for (List<String> fields : cuts(text)) {
                for (List<String> withEmpty : List.of(fields, append(fields, ""))) {
                    String encoded = HexFormat.of().formatHex(AssociatedData.ofFields(withEmpty.toArray(String[]::new)));
                    List<String> previous = seen.putIfAbsent(encoded, withEmpty);
                    assertThat(previous == null || previous.equals(withEmpty))
                            .as("%s and %s encode alike", previous, withEmpty).isTrue();
                }
            }
        }
    }

    @Test
    void byteFieldsEncodeLikeTheirStringFields() {
        assertThat(AssociatedData.ofByteFields(List.of("bucket".getBytes(StandardCharsets.UTF_8), new byte[0])))
                .isEqualTo(AssociatedData.ofFields("bucket", ""));
    }

    /**
     * An unpaired surrogate has no UTF-8 form; encoding it leniently would turn it into '?', so
     * ("\uD800") and ("?") would bind to the same associated data.
     */
    @Test
    void stringsThatAreNotWellFormedUnicodeAreRefusedRatherThanAliased() {
        assertThatThrownBy(() -> AssociatedData.ofFields("key\uD800")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AssociatedData.ofFields("ok", "\uDC00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(AssociatedData.ofFields("\uD83D\uDE00")).isEqualTo(AssociatedData.ofFields("😀"));
    }

    private static List<List<String>> cuts(String text) {
        List<List<String>> result = new ArrayList<>();
        int n = text.length();
        for (int mask = 0; mask < (1 << Math.max(0, n - 1)); mask++) {
            List<String> fields = new ArrayList<>();
            int start = 0;
            for (int i = 1; i < n; i++) {
                if ((mask & (1 << (i - 1))) != 0) {
                    fields.add(text.substring(start, i));
                    start = i;
                }
            }
            fields.add(text.substring(start));
            result.add(fields);
        }
        return result;
    }

    private static List<String> append(List<String> fields, String field) {
        List<String> copy = new ArrayList<>(fields);
        copy.add(field);
        return copy;
    }
}

package dev.coffer.s3.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonStringMapTest {
    @Test
    void readsAnObjectOfStringsInDocumentOrder() {
        Map<String, String> map = JsonStringMap.parse(" {\n\t\"b\" : \"1\" ,\r\n \"a\":\"2\",\"\":\"\" } ");
        assertThat(map).containsExactly(Map.entry("b", "1"), Map.entry("a", "2"), Map.entry("", ""));
    }

    @Test
    void readsTheEmptyObject() {
        assertThat(JsonStringMap.parse("{}")).isEmpty();
        assertThat(JsonStringMap.parse(" { } ")).isEmpty();
    }

    @Test
    void readsEveryEscape() {
        assertThat(JsonStringMap.parse("{\"k\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"}"))
                .containsEntry("k", "\" \\ / \b \f \n \r \t");
    }

    @Test
    void readsUnicodeEscapesInEitherCaseAndSurrogatePairs() {
        assertThat(JsonStringMap.parse("{\"\\u00e9\\u00C9\":\"\\u20AC \\ud83d\\uDD11 \\u0000\"}"))
                .containsEntry("éÉ", "€ \uD83D\uDD11 \u0000");
    }

    @Test
    void readsRawNonAsciiText() {
        assertThat(JsonStringMap.parse("{\"名前\":\"ünï \uD83D\uDD11\"}")).containsEntry("名前", "ünï \uD83D\uDD11");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "null", "[]", "\"s\"", "1", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1}",
            "{\"a\":true}", "{\"a\":null}", "{\"a\":{}}", "{\"a\":[]}", "{\"a\":\"b\",}", "{,}", "{\"a\":\"b\"\"c\":\"d\"}",
            "{\"a\":\"b\"} x", "{\"a\":\"b\"}{}", "{a:\"b\"}", "{'a':'b'}", "{\"a\":\"b\" /* c */}", "{\"a\":\"b",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\u\"}", "{\"a\":\"\\\"}",
            "{\"a\":\"tab\there\"}", "{\"a\":\"new\nline\"}", "\uFEFF{}", "{\u00A0}", "{\"a\":\"\\u0661\\u0662\\u0663\\u0664\"}x"})
    void refusesWhatIsNotExactlyAnObjectOfStrings(String json) {
        assertThatThrownBy(() -> JsonStringMap.parse(json)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNonAsciiHexDigitsInEscapes() {
        assertThatThrownBy(() -> JsonStringMap.parse("{\"a\":\"\\u\u0661\u0662\u0663\u0664\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\\u escape");
        assertThatThrownBy(() -> JsonStringMap.parse("{\"a\":\"\\u\uFF21\uFF21\uFF21\uFF21\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesDuplicateNames() {
        assertThatThrownBy(() -> JsonStringMap.parse("{\"a\":\"1\",\"b\":\"2\",\"a\":\"1\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        // The same name spelt with an escape is the same name.
        assertThatThrownBy(() -> JsonStringMap.parse("{\"a\":\"1\",\"\\u0061\":\"2\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}",
            "{\"a\":\"\\ud800x\"}", "{\"\\udfff\":\"a\"}", "{\"a\":\"\uD800\"}", "{\"a\":\"\uDC00\uD800\"}"})
    void refusesLoneSurrogates(String json) {
        assertThatThrownBy(() -> JsonStringMap.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("surrogate");
    }

    @Test
    void errorsGivePositionsNotText() {
        assertThatThrownBy(() -> JsonStringMap.parse("{\"secret-ish\":42}"))
                .hasMessage("value is not a string at offset 14").hasMessageNotContaining("secret-ish");
    }

    @Test
    void writesEscapesAndRawUnicode() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("q\"b\\", "\n\r\t\b\f\u0001/");
        map.put("名前", "\uD83D\uDD11");
        assertThat(JsonStringMap.write(map))
                .isEqualTo("{\"q\\\"b\\\\\":\"\\n\\r\\t\\b\\f\\u0001/\",\"名前\":\"\uD83D\uDD11\"}");
        assertThat(JsonStringMap.write(Map.of())).isEqualTo("{}");
    }

    @Test
    void writingALoneSurrogateFails() {
        assertThatThrownBy(() -> JsonStringMap.write(Map.of("a", "x\uD800"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonStringMap.write(Map.of("\uDC00", "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void writeThenParseIsTheIdentity(@ForAll("stringMaps") Map<String, String> map) {
        assertThat(JsonStringMap.parse(JsonStringMap.write(map))).containsExactlyEntriesOf(map);
    }

    @Provide
    Arbitrary<Map<String, String>> stringMaps() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(12)
                .filter(s -> s.codePoints().allMatch(Character::isValidCodePoint) && wellFormed(s));
        return Arbitraries.maps(text, text).ofMaxSize(6).map(LinkedHashMap::new);
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}

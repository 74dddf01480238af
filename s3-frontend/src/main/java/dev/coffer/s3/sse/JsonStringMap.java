package dev.coffer.s3.sse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict reader and writer of one JSON shape (RFC 8259): an object whose members are all strings,
 * which is what an SSE-KMS encryption context is. It exists so that s3-frontend does not take a
 * JSON library for a dozen lines of grammar, and it is stricter than a general parser on purpose:
 * the map it returns becomes KMS additional authenticated data and policy input, so two readings of
 * one header must never differ.
 *
 * <p>Refused: anything but an object at the top level, non-string values, duplicate names, text
 * after the object, unescaped control characters, unknown escapes, lone surrogates (escaped or not),
 * and whitespace other than the four JSON ones. Error messages give a position, never the text.
 */
final class JsonStringMap {
    private final String text;
    private int pos;

    private JsonStringMap(String text) {
        this.text = text;
    }

    /**
     * The members of a JSON object of strings, in document order.
     *
     * @throws IllegalArgumentException when {@code json} is not exactly such an object
     */
    static Map<String, String> parse(String json) {
        return new JsonStringMap(json).object();
    }

    /**
     * The JSON text of {@code map}, members in iteration order, non-ASCII written as itself.
     *
     * @throws IllegalArgumentException when a name or value holds a lone surrogate, which UTF-8
     *     cannot carry
     */
    static String write(Map<String, String> map) {
        StringBuilder out = new StringBuilder(map.size() * 32 + 2).append('{');
        boolean first = true;
        for (Map.Entry<String, String> member : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(out, member.getKey());
            out.append(':');
            writeString(out, member.getValue());
        }
        return out.append('}').toString();
    }

    private Map<String, String> object() {
        skipWhitespace();
        expect('{');
        Map<String, String> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipWhitespace();
                int nameAt = pos;
                String name = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                if (peek() != '"') {
                    throw fail("value is not a string");
                }
                String value = string();
                if (members.putIfAbsent(name, value) != null) {
                    pos = nameAt;
                    throw fail("duplicate member name");
                }
                skipWhitespace();
                int c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    pos--;
                    throw fail("expected ',' or '}'");
                }
            }
        }
        skipWhitespace();
        if (pos != text.length()) {
            throw fail("text after the object");
        }
        return Collections.unmodifiableMap(members);
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            int c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                escape(out);
            } else if (c < 0x20) {
                pos--;
                throw fail(c < 0 ? "unterminated string" : "unescaped control character");
            } else if (Character.isHighSurrogate((char) c)) {
                if (pos >= text.length() || !Character.isLowSurrogate(text.charAt(pos))) {
                    pos--;
                    throw fail("lone surrogate");
                }
                out.append((char) c).append(text.charAt(pos++));
            } else if (Character.isLowSurrogate((char) c)) {
                pos--;
                throw fail("lone surrogate");
            } else {
                out.append((char) c);
            }
        }
    }

    private void escape(StringBuilder out) {
        int escapeAt = pos - 1;
        int c = next();
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                char unit = hex4();
                if (Character.isHighSurrogate(unit)) {
                    if (!text.startsWith("\\u", pos)) {
                        pos = escapeAt;
                        throw fail("lone surrogate");
                    }
                    pos += 2;
                    char low = hex4();
                    if (!Character.isLowSurrogate(low)) {
                        pos = escapeAt;
                        throw fail("lone surrogate");
                    }
                    out.append(unit).append(low);
                } else if (Character.isLowSurrogate(unit)) {
                    pos = escapeAt;
                    throw fail("lone surrogate");
                } else {
                    out.append(unit);
                }
            }
            default -> {
                pos = escapeAt;
                throw fail("invalid escape");
            }
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw fail("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos), 16);
            // Character.digit also accepts non-ASCII digits; JSON allows only [0-9a-fA-F].
            if (digit < 0 || text.charAt(pos) > 'f') {
                throw fail("invalid \\u escape");
            }
            value = value << 4 | digit;
            pos++;
        }
        return (char) value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void expect(char wanted) {
        if (peek() != wanted) {
            throw fail("expected '" + wanted + "'");
        }
        pos++;
    }

    private int peek() {
        return pos < text.length() ? text.charAt(pos) : -1;
    }

    private int next() {
        return pos < text.length() ? text.charAt(pos++) : -1;
    }

    private IllegalArgumentException fail(String what) {
        return new IllegalArgumentException(what + " at offset " + pos);
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c) && !pairedAt(s, i)) {
                        throw new IllegalArgumentException("lone surrogate at offset " + i);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether the surrogate at {@code i} is half of a well-formed pair. */
    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}

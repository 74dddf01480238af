package dev.coffer.auth.iam;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * A minimal streaming XML writer: elements, one namespace attribute, and escaped text; output is
 * UTF-8 with an XML declaration. Every character of text is written so that any conforming parser
 * reads back exactly what was given, except characters XML 1.0 cannot carry at all (most C0
 * controls, lone surrogates, U+FFFE, U+FFFF), which become U+FFFD: user input reaches error
 * messages, and one such character must not make the whole response unreadable.
 *
 * <p>Element names are the writer's own vocabulary, never user input; they are checked all the same.
 */
public final class IamXmlWriter {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    private static final char REPLACEMENT = '\uFFFD';

    private final StringBuilder out = new StringBuilder(256).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    /** Opens an element. */
    public IamXmlWriter start(String name) {
        out.append('<').append(checkName(name)).append('>');
        open.push(name);
        return this;
    }

    /** Opens an element that declares {@code namespace} as the default namespace. */
    public IamXmlWriter start(String name, String namespace) {
        out.append('<').append(checkName(name)).append(" xmlns=\"");
        escape(namespace, out);
        out.append("\">");
        open.push(name);
        return this;
    }

    /** Writes escaped character data into the open element. */
    public IamXmlWriter text(CharSequence value) {
        if (open.isEmpty()) {
            throw new IllegalStateException("text outside an element");
        }
        escape(value, out);
        return this;
    }

    /** {@code <name>value</name>}. */
    public IamXmlWriter element(String name, CharSequence value) {
        return start(name).text(value).end();
    }

    /** Closes the innermost open element. */
    public IamXmlWriter end() {
        if (open.isEmpty()) {
            throw new IllegalStateException("no element is open");
        }
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** The document as UTF-8; every element must have been closed. */
    public byte[] toUtf8() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements: " + open);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code value} escaped for XML text or a double-quoted attribute value. */
    public static String escape(CharSequence value) {
        StringBuilder b = new StringBuilder(value.length() + 16);
        escape(value, b);
        return b.toString();
    }

    private static void escape(CharSequence value, StringBuilder b) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                // A literal CR would be read back as LF by end-of-line normalisation.
                case '\r' -> b.append("&#xD;");
                case '\t', '\n' -> b.append(c);
                default -> {
                    if (c < 0x20 || c == '\uFFFE' || c == '\uFFFF') {
                        b.append(REPLACEMENT);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                            b.append(c).append(value.charAt(++i));
                        } else {
                            b.append(REPLACEMENT);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        b.append(REPLACEMENT);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }

    private static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an element name of this writer: " + name);
        }
        return name;
    }
}

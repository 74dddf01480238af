package dev.coffer.s3.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Builds the small XML documents S3 answers with, in the AWS namespace where AWS uses it. Text is
 * escaped for XML 1.0; characters XML 1.0 cannot carry at all must be avoided by the caller
 * (listings use encoding-type=url for such keys).
 */
public final class S3XmlWriter {
    public static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder out = new StringBuilder(512).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    /** A document whose root element carries the S3 namespace. */
    public static S3XmlWriter document(String root) {
        S3XmlWriter w = new S3XmlWriter();
        w.out.append('<').append(root).append(" xmlns=\"").append(S3_NAMESPACE).append("\">");
        w.open.push(root);
        return w;
    }

    /** A document that is a single namespaced element with text (LocationConstraint). */
    public static S3XmlWriter documentWithText(String root, String text) {
        S3XmlWriter w = new S3XmlWriter();
        w.out.append('<').append(root).append(" xmlns=\"").append(S3_NAMESPACE).append("\">");
        w.escape(text);
        w.out.append("</").append(root).append('>');
        return w;
    }

    /** A document whose root element has no namespace (Error). */
    public static S3XmlWriter plainDocument(String root) {
        S3XmlWriter w = new S3XmlWriter();
        w.out.append('<').append(root).append('>');
        w.open.push(root);
        return w;
    }

    public S3XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    public S3XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** An element with text content; nothing is written for a null value. */
    public S3XmlWriter element(String name, String value) {
        if (value != null) {
            out.append('<').append(name).append('>');
            escape(value);
            out.append("</").append(name).append('>');
        }
        return this;
    }

    public S3XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    public S3XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    public byte[] toBytes() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                case '\n' -> out.append("&#10;");
                case '\t' -> out.append("&#9;");
                default -> out.append(c);
            }
        }
    }
}

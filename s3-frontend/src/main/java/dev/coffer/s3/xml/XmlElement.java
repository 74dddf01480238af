package dev.coffer.s3.xml;

import java.util.List;
import java.util.Optional;

/** A parsed element of a request document: local name, trimmed text, children in order. */
public record XmlElement(String name, String text, List<XmlElement> children) {
    public XmlElement {
        children = List.copyOf(children);
    }

    public Optional<XmlElement> child(String childName) {
        return children.stream().filter(c -> c.name.equals(childName)).findFirst();
    }

    public List<XmlElement> children(String childName) {
        return children.stream().filter(c -> c.name.equals(childName)).toList();
    }

    /** The text of a child element, if present. */
    public Optional<String> childText(String childName) {
        return child(childName).map(XmlElement::text);
    }
}

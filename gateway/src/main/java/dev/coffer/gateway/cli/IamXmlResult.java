package dev.coffer.gateway.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An element of an IAM Query API answer, read by local name (the IAM namespace is the only one), with
 * the protocol's list shape built in: a list is {@code <Name><member>...</member>...</Name>}.
 */
final class IamXmlResult {
    /** The result of an action that has none (the Delete and Put actions). */
    static final IamXmlResult EMPTY = new IamXmlResult(null);

    private final Element element;

    private IamXmlResult(Element element) {
        this.element = element;
    }

    static IamXmlResult of(Element element) {
        return new IamXmlResult(element);
    }

    /** The element's own text, e.g. of a {@code <member>} of a list of names. */
    String text() {
        return element.getTextContent();
    }

    /** The text of a child element that every answer of this shape has. */
    String text(String name) {
        return child(name).element.getTextContent();
    }

    Optional<String> optionalText(String name) {
        return optionalChild(name).map(child -> child.element.getTextContent());
    }

    IamXmlResult child(String name) {
        return optionalChild(name).orElseThrow(() -> new CommandFailedException("unexpected answer: <"
                + (element == null ? "(none)" : element.getLocalName()) + "> has no <" + name + ">"));
    }

    Optional<IamXmlResult> optionalChild(String name) {
        return children(element, name).stream().findFirst().map(IamXmlResult::new);
    }

    /** The members of the list {@code name}; empty when the list is absent or empty. */
    List<IamXmlResult> members(String name) {
        return optionalChild(name).map(list -> children(list.element, "member").stream().map(IamXmlResult::new).toList())
                .orElse(List.of());
    }

    /** Whether a paged list has more: {@code <IsTruncated>true</IsTruncated>}. */
    boolean truncated() {
        return optionalText("IsTruncated").map(text -> text.strip().equals("true")).orElse(false);
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && localName.equals(child.getLocalName())) {
                found.add(child);
            }
        }
        return found;
    }
}

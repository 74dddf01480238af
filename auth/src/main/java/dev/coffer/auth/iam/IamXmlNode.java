package dev.coffer.auth.iam;

import dev.coffer.crypto.SecretBytes;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * A piece of a result element, as handlers build it and {@link IamXmlRenderer} writes it. Lists
 * follow the Query protocol: {@code <Users><member>...</member><member>...</member></Users>}.
 */
public sealed interface IamXmlNode permits IamXmlNode.Text, IamXmlNode.Secret, IamXmlNode.Element {

    /** {@code <name>value</name>}. */
    record Text(String name, String value) implements IamXmlNode {
        public Text {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * {@code <name>secret</name>} for the one secret this API returns (a new secret access key,
     * ASCII). It stays in {@link SecretBytes}, whose {@code toString} hides it, until the renderer
     * writes it; {@link #destroySecrets} wipes it once the response is built.
     */
    record Secret(String name, SecretBytes value) implements IamXmlNode {
        public Secret {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code <name>children</name>}. */
    record Element(String name, List<IamXmlNode> children) implements IamXmlNode {
        public Element {
            Objects.requireNonNull(name, "name");
            children = List.copyOf(children);
        }
    }

    static IamXmlNode text(String name, String value) {
        return new Text(name, value);
    }

    /** A timestamp as IAM writes them: ISO 8601 in UTC to the second, {@code 2026-11-28T12:00:00Z}. */
    static IamXmlNode date(String name, Instant value) {
        return new Text(name, DateTimeFormatter.ISO_INSTANT.format(value.truncatedTo(ChronoUnit.SECONDS)));
    }

    static IamXmlNode bool(String name, boolean value) {
        return new Text(name, Boolean.toString(value));
    }

    static IamXmlNode element(String name, IamXmlNode... children) {
        return new Element(name, List.of(children));
    }

    static IamXmlNode element(String name, List<IamXmlNode> children) {
        return new Element(name, children);
    }

    /** A list: each item becomes the content of one {@code <member>}. */
    static IamXmlNode members(String name, List<List<IamXmlNode>> items) {
        return new Element(name, items.stream().map(item -> (IamXmlNode) new Element("member", item)).toList());
    }

    /** A list of strings: {@code <name><member>a</member>...</name>}. */
    static IamXmlNode textMembers(String name, List<String> items) {
        return new Element(name, items.stream().map(item -> (IamXmlNode) new Text("member", item)).toList());
    }

    /** Destroys every {@link Secret} in {@code nodes}, at any depth. */
    static void destroySecrets(List<IamXmlNode> nodes) {
        for (IamXmlNode node : nodes) {
            switch (node) {
                case Secret s -> s.value().destroy();
                case Element e -> destroySecrets(e.children());
                case Text t -> { }
            }
        }
    }
}

package dev.coffer.blockstore.ec2;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A piece of an EC2 response body: a text element or an element with children. Handlers build these;
 * only {@link Ec2XmlRenderer} writes XML. Names are the model's {@code locationName}s.
 */
public sealed interface Ec2XmlNode permits Ec2XmlNode.Text, Ec2XmlNode.Element {
    String name();

    record Text(String name, String value) implements Ec2XmlNode {
        public Text {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    record Element(String name, List<Ec2XmlNode> children) implements Ec2XmlNode {
        public Element {
            Objects.requireNonNull(name, "name");
            children = List.copyOf(children);
        }
    }

    static Ec2XmlNode text(String name, String value) {
        return new Text(name, value);
    }

    static Ec2XmlNode bool(String name, boolean value) {
        return new Text(name, String.valueOf(value));
    }

    static Ec2XmlNode number(String name, long value) {
        return new Text(name, String.valueOf(value));
    }

    /** EC2's timestamp form: ISO 8601 in UTC with milliseconds ({@code 2026-11-28T12:00:00.000Z}). */
    static Ec2XmlNode date(String name, Instant value) {
        return new Text(name, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(value.truncatedTo(ChronoUnit.MILLIS)));
    }

    static Ec2XmlNode element(String name, List<Ec2XmlNode> children) {
        return new Element(name, children);
    }

    /** A list as the EC2 protocol writes it: {@code <name><item>...</item>...</name>}. */
    static Ec2XmlNode items(String name, List<List<Ec2XmlNode>> items) {
        List<Ec2XmlNode> children = new ArrayList<>(items.size());
        for (List<Ec2XmlNode> item : items) {
            children.add(new Element("item", item));
        }
        return new Element(name, children);
    }
}

package dev.coffer.s3.xml;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses a request document (CreateBucketConfiguration, Delete, CompleteMultipartUpload) into a
 * small tree. DTDs and external entities are refused (no XXE, no entity expansion); namespaces
 * are ignored as AWS ignores them; any parse failure is MalformedXML.
 */
public final class S3XmlReader {
    private static final XMLInputFactory FACTORY = newFactory();
    private static final int MAX_DEPTH = 16;

    private S3XmlReader() {
    }

    /** Parses {@code xml}; its root element must be {@code expectedRoot}. */
    public static XmlElement parse(byte[] xml, String expectedRoot) {
        XmlElement root = parse(xml);
        if (!root.name().equals(expectedRoot)) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        return root;
    }

    public static XmlElement parse(byte[] xml) {
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                return read(reader);
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof S3Exception s3) {
                throw s3;
            }
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
    }

    private static XmlElement read(XMLStreamReader reader) throws XMLStreamException {
        Deque<Builder> stack = new ArrayDeque<>();
        XmlElement root = null;
        while (reader.hasNext()) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (root != null || stack.size() >= MAX_DEPTH) {
                        throw new S3Exception(S3Error.MALFORMED_XML);
                    }
                    stack.push(new Builder(reader.getLocalName()));
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!stack.isEmpty()) {
                        stack.peek().text.append(reader.getText());
                    } else if (!reader.isWhiteSpace()) {
                        throw new S3Exception(S3Error.MALFORMED_XML);
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    XmlElement done = stack.pop().build();
                    if (stack.isEmpty()) {
                        root = done;
                    } else {
                        stack.peek().children.add(done);
                    }
                }
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE -> throw new S3Exception(S3Error.MALFORMED_XML);
                default -> {
                }
            }
        }
        if (root == null) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        return root;
    }

    private static final class Builder {
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<XmlElement> children = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        XmlElement build() {
            return new XmlElement(name, text.toString().strip(), children);
        }
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }
}

package dev.coffer.auth.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.auth.service.ServiceResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A response, parsed with the JDK's namespace-aware DOM parser. Lookups are by element name in the
 * IAM namespace only, so an element in no or another namespace is not found.
 */
final class IamTestReply {
    static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";

    final String requestId;
    final ServiceResponse response;
    final String body;
    final Document xml;

    IamTestReply(String requestId, ServiceResponse response) {
        this.requestId = requestId;
        this.response = response;
        this.body = new String(response.body(), StandardCharsets.UTF_8);
        this.xml = parse(response.body());
    }

    static Document parse(byte[] bytes) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
        } catch (Exception e) {
            throw new AssertionError("response is not well-formed XML: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    int status() {
        return response.status();
    }

    String header(String name) {
        return response.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** The root element's local name, e.g. {@code CreateUserResponse}. */
    String rootName() {
        return xml.getDocumentElement().getLocalName();
    }

    /** The text of the first element with this name, or null. */
    String text(String name) {
        NodeList nodes = xml.getElementsByTagNameNS(NS, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    int count(String name) {
        return xml.getElementsByTagNameNS(NS, name).getLength();
    }

    /** The text of each {@code <member>} of the list element {@code listName}. */
    List<String> memberTexts(String listName) {
        List<String> out = new ArrayList<>();
        for (Element member : members(listName)) {
            out.add(member.getTextContent());
        }
        return out;
    }

    /** Each {@code <member>} of {@code listName} as child name to text, in document order. */
    List<Map<String, String>> memberFields(String listName) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Element member : members(listName)) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (Node child = member.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element e) {
                    fields.put(e.getLocalName(), e.getTextContent());
                }
            }
            out.add(fields);
        }
        return out;
    }

    /** The child element names of the first element named {@code name}, in document order. */
    List<String> childNames(String name) {
        List<String> out = new ArrayList<>();
        Node parent = xml.getElementsByTagNameNS(NS, name).item(0);
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                out.add(e.getLocalName());
            }
        }
        return out;
    }

    private List<Element> members(String listName) {
        NodeList lists = xml.getElementsByTagNameNS(NS, listName);
        assertThat(lists.getLength()).as("list %s in %s", listName, body).isEqualTo(1);
        List<Element> out = new ArrayList<>();
        for (Node child = lists.item(0).getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                assertThat(e.getLocalName()).isEqualTo("member");
                out.add(e);
            }
        }
        return out;
    }

    /** Asserts a 200 with a {@code <ActionResponse>} document and returns this reply. */
    IamTestReply expectOk() {
        assertThat(status()).as(body).isEqualTo(200);
        return this;
    }

    /** Asserts an {@code <ErrorResponse>} with this code and status and returns this reply. */
    IamTestReply expectError(String code, int status) {
        assertThat(rootName()).as(body).isEqualTo("ErrorResponse");
        assertThat(text("Code")).as(body).isEqualTo(code);
        assertThat(status()).as(body).isEqualTo(status);
        assertThat(text("RequestId")).isEqualTo(requestId);
        assertThat(header("Content-Type")).isEqualTo("text/xml");
        return this;
    }

    String errorMessage() {
        return text("Message");
    }

    @Override
    public String toString() {
        return status() + " " + body;
    }
}

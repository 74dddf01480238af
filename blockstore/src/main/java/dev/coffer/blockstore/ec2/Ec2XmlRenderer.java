package dev.coffer.blockstore.ec2;

import dev.coffer.auth.iam.IamXmlWriter;
import dev.coffer.auth.service.ServiceResponse;
import java.util.List;
import java.util.Map;

/**
 * Renders every EC2 response, success or error, in the EC2 Query protocol's XML:
 *
 * <pre>{@code
 * <CreateVolumeResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
 *   <requestId>...</requestId><volumeId>vol-...</volumeId>...
 * </CreateVolumeResponse>
 *
 * <Response><Errors><Error><Code>InvalidVolume.NotFound</Code><Message>...</Message></Error></Errors>
 *   <RequestID>...</RequestID></Response>
 * }</pre>
 *
 * (shown indented; written without whitespace). The XML writer is the IAM one: a generic, escaping
 * writer that happens to live in auth's IAM package.
 */
public final class Ec2XmlRenderer {
    public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    public static final String CONTENT_TYPE = "text/xml;charset=UTF-8";

    private Ec2XmlRenderer() {
    }

    /** A success response: the request id, then the action's output members. */
    public static ServiceResponse success(String requestId, Ec2Operation operation, List<Ec2XmlNode> result) {
        IamXmlWriter xml = new IamXmlWriter().start(operation.name() + "Response", NAMESPACE)
                .element("requestId", requestId);
        result.forEach(node -> write(xml, node));
        xml.end();
        return new ServiceResponse(200, List.of(Map.entry("Content-Type", CONTENT_TYPE)), xml.toUtf8());
    }

    public static ServiceResponse error(String requestId, Ec2Error error, String message) {
        IamXmlWriter xml = new IamXmlWriter().start("Response")
                .start("Errors").start("Error")
                .element("Code", error.code())
                .element("Message", message)
                .end().end()
                .element("RequestID", requestId)
                .end();
        return new ServiceResponse(error.httpStatus(), List.of(Map.entry("Content-Type", CONTENT_TYPE)), xml.toUtf8());
    }

    private static void write(IamXmlWriter xml, Ec2XmlNode node) {
        switch (node) {
            case Ec2XmlNode.Text t -> xml.element(t.name(), t.value());
            case Ec2XmlNode.Element e -> {
                xml.start(e.name());
                e.children().forEach(child -> write(xml, child));
                xml.end();
            }
        }
    }
}

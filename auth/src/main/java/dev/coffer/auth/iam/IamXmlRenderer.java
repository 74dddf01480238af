package dev.coffer.auth.iam;

import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.crypto.SecretAccess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Renders every IAM response, success or error, in the Query protocol's XML:
 *
 * <pre>{@code
 * <CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
 *   <CreateUserResult>...</CreateUserResult>
 *   <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
 * </CreateUserResponse>
 *
 * <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
 *   <Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>...</Message></Error>
 *   <RequestId>...</RequestId>
 * </ErrorResponse>
 * }</pre>
 *
 * (shown indented; written without whitespace between elements).
 */
public final class IamXmlRenderer {
    /** The IAM namespace, from the botocore model's {@code xmlNamespace}. */
    public static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
    public static final String CONTENT_TYPE = "text/xml";

    private IamXmlRenderer() {
    }

    /** A success response; actions without a result get only the response metadata. */
    public static ServiceResponse success(String requestId, IamOperation operation, List<IamXmlNode> result) {
        IamXmlWriter xml = new IamXmlWriter().start(operation.name() + "Response", NAMESPACE);
        if (operation.hasResult()) {
            xml.start(operation.name() + "Result");
            result.forEach(node -> write(xml, node));
            xml.end();
        }
        xml.start("ResponseMetadata").element("RequestId", requestId).end().end();
        return response(200, requestId, null, xml.toUtf8());
    }

    /** An error response. */
    public static ServiceResponse error(String requestId, IamError error, String message) {
        IamXmlWriter xml = new IamXmlWriter().start("ErrorResponse", NAMESPACE)
                .start("Error")
                .element("Type", error.fault().wireName())
                .element("Code", error.code())
                .element("Message", message)
                .end()
                .element("RequestId", requestId)
                .end();
        return response(error.httpStatus(), requestId, error, xml.toUtf8());
    }

    private static void write(IamXmlWriter xml, IamXmlNode node) {
        switch (node) {
            case IamXmlNode.Text t -> xml.element(t.name(), t.value());
            case IamXmlNode.Secret s ->
                    xml.element(s.name(), new String(s.value().unsafeView(SecretAccess.explicitly()), StandardCharsets.US_ASCII));
            case IamXmlNode.Element e -> {
                xml.start(e.name());
                e.children().forEach(child -> write(xml, child));
                xml.end();
            }
        }
    }

    private static ServiceResponse response(int status, String requestId, IamError error, byte[] body) {
        List<Map.Entry<String, String>> headers = error == null
                ? List.of(Map.entry("Content-Type", CONTENT_TYPE), Map.entry("x-amzn-RequestId", requestId))
                : List.of(Map.entry("Content-Type", CONTENT_TYPE), Map.entry("x-amzn-RequestId", requestId),
                        Map.entry("x-amzn-ErrorType", error.code()));
        return new ServiceResponse(status, headers, body);
    }
}

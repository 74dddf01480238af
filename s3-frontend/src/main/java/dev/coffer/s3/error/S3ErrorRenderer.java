package dev.coffer.s3.error;

import dev.coffer.auth.service.ServiceResponse;
import dev.coffer.s3.xml.S3XmlWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The one place S3 errors become responses: AWS's XML error document, or no body for HEAD and 304. */
public final class S3ErrorRenderer {
    private S3ErrorRenderer() {
    }

    /**
     * @param resource the request path, shown as AWS shows it
     * @param head whether the request was a HEAD (its error responses have no body)
     */
    public static ServiceResponse render(S3Exception e, String requestId, String resource, boolean head) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("x-amz-request-id", requestId));
        headers.add(Map.entry("x-amz-id-2", requestId));
        if (head || e.error() == S3Error.NOT_MODIFIED) {
            return new ServiceResponse(e.error().status(), headers, new byte[0]);
        }
        S3XmlWriter xml = S3XmlWriter.plainDocument("Error")
                .element("Code", e.error().code())
                .element("Message", e.getMessage());
        for (Map.Entry<String, String> detail : e.orderedDetails()) {
            xml.element(detail.getKey(), detail.getValue());
        }
        xml.element("Resource", resource).element("RequestId", requestId).element("HostId", requestId);
        headers.add(Map.entry("Content-Type", "application/xml"));
        return new ServiceResponse(e.error().status(), headers, xml.toBytes());
    }
}

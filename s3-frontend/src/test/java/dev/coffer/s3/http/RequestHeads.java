package dev.coffer.s3.http;

import dev.coffer.auth.service.RequestHead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Request heads and addressed requests as the edge would hand them over, for unit tests of the routing and parsing steps. */
public final class RequestHeads {
    private static final S3Addressing PATH_STYLE_ONLY = new S3Addressing(Set.of());

    private RequestHeads() {
    }

    /** @param target the raw request target, path and query as sent ({@code /bucket/key?uploads}) */
    public static RequestHead head(String method, String target, String... headerNamesAndValues) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 0; i < headerNamesAndValues.length; i += 2) {
            headers.add(Map.entry(headerNamesAndValues[i], headerNamesAndValues[i + 1]));
        }
        return new RequestHead("req-1", method, path, query, headers, null, false, Instant.EPOCH);
    }

    /** A path-style request, addressed. */
    public static S3Request request(String method, String target, String... headerNamesAndValues) {
        return PATH_STYLE_ONLY.parse(head(method, target, headerNamesAndValues));
    }
}

package dev.coffer.auth.sigv4;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the verifier needs of an HTTP request, as it came off the wire.
 *
 * @param method the HTTP method
 * @param rawPath the request path, still percent-encoded as sent (no query)
 * @param rawQuery the query string without '?', still percent-encoded, or empty
 * @param headers every header in arrival order; names in any case; repeated names allowed
 * @param payloadHash the hex SHA-256 of the body, or the x-amz-content-sha256 value for S3
 *     ({@code UNSIGNED-PAYLOAD}, {@code STREAMING-...}); the protocol decides which
 */
public record SigV4Request(String method, String rawPath, String rawQuery,
                           List<Map.Entry<String, String>> headers, String payloadHash) {
    public SigV4Request {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        Objects.requireNonNull(payloadHash, "payloadHash");
    }

    /** The first value of a header (case-insensitive name), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }
}

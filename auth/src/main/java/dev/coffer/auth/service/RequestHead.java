package dev.coffer.auth.service;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The head of a request to a streaming protocol service (S3): everything but the body, which
 * arrives separately through {@link StreamingExchange#body()}.
 *
 * @param requestId the id the edge assigned (returned as x-amz-request-id)
 * @param rawPath the path as sent, still percent-encoded
 * @param rawQuery the query as sent without '?', still percent-encoded, or empty
 * @param headers every header in arrival order
 * @param remoteAddress the client's address
 * @param secureTransport whether it arrived over TLS (aws:SecureTransport)
 */
public record RequestHead(String requestId, String method, String rawPath, String rawQuery,
                          List<Map.Entry<String, String>> headers, InetSocketAddress remoteAddress,
                          boolean secureTransport, Instant receivedAt) {
    public RequestHead {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = List.copyOf(headers);
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The first value of a header (case-insensitive), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The client's IP address as text, or "127.0.0.1" for in-process callers. */
    public String sourceIp() {
        return remoteAddress == null || remoteAddress.getAddress() == null ? "127.0.0.1"
                : remoteAddress.getAddress().getHostAddress();
    }
}

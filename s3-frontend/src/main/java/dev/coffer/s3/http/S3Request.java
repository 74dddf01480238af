package dev.coffer.s3.http;

import dev.coffer.auth.service.RequestHead;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request after addressing: which bucket and key it is about (from the path or, virtual-hosted,
 * from the Host header) and its query parameters decoded.
 *
 * @param bucket the bucket name, or null for service-level requests (ListBuckets)
 * @param key the object key (decoded), or null for bucket-level requests
 * @param query decoded query parameters; a parameter without '=' maps to ""
 */
public record S3Request(RequestHead head, String bucket, String key, Map<String, List<String>> query) {
    public S3Request {
        Objects.requireNonNull(head, "head");
        query = Map.copyOf(query);
    }

    public String method() {
        return head.method();
    }

    public String header(String name) {
        return head.header(name);
    }

    public Optional<String> optionalHeader(String name) {
        return Optional.ofNullable(head.header(name));
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    public boolean hasParam(String name) {
        return query.containsKey(name);
    }

    /** The resource as AWS shows it in error documents: "/bucket/key". */
    public String resource() {
        if (bucket == null) {
            return "/";
        }
        return key == null ? "/" + bucket : "/" + bucket + "/" + key;
    }
}

package dev.coffer.s3.ops.object;

import dev.coffer.s3.S3Config;
import dev.coffer.s3.engine.ObjectRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP headers an object keeps: Content-Type, the standard representation headers, and user
 * metadata (x-amz-meta-*, names lower-cased as AWS stores them, at most 2 KB in all); and the
 * headers a GET or HEAD answers with, including the response-* overrides of a signed GET.
 */
public final class ObjectHeaders {
    public static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    /** Representation headers stored with an object and returned as sent. */
    public static final List<String> STORED = List.of("Cache-Control", "Content-Disposition", "Content-Encoding",
            "Content-Language", "Expires");
    private static final Map<String, String> OVERRIDES = Map.of(
            "response-content-type", "Content-Type",
            "response-content-language", "Content-Language",
            "response-expires", "Expires",
            "response-cache-control", "Cache-Control",
            "response-content-disposition", "Content-Disposition",
            "response-content-encoding", "Content-Encoding");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private ObjectHeaders() {
    }

    public static String contentType(S3Request request) {
        String type = request.header("Content-Type");
        return type == null || type.isBlank() ? DEFAULT_CONTENT_TYPE : type;
    }

    public static Map<String, String> storedHeaders(S3Request request) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : STORED) {
            String value = request.header(name);
            if (name.equals("Content-Encoding") && value != null) {
                value = withoutAwsChunked(value);
            }
            if (value != null) {
                out.put(name, value);
            }
        }
        return out;
    }

    /**
     * "aws-chunked" describes how the body travelled, not the object: S3 drops it from the stored
     * Content-Encoding (and stores none if nothing else is left).
     */
    static String withoutAwsChunked(String contentEncoding) {
        String kept = java.util.Arrays.stream(contentEncoding.split(","))
                .map(String::trim)
                .filter(e -> !e.isEmpty() && !e.equalsIgnoreCase("aws-chunked"))
                .collect(java.util.stream.Collectors.joining(","));
        return kept.isEmpty() ? null : kept;
    }

    /** The x-amz-meta-* headers, or MetadataTooLarge beyond 2 KB. */
    public static Map<String, String> userMetadata(S3Request request) {
        Map<String, String> out = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<String, String> h : request.head().headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-amz-meta-")) {
                String key = name.substring("x-amz-meta-".length());
                String value = h.getValue().strip();
                out.merge(key, value, (a, b) -> a + "," + b);
                bytes += key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (bytes > S3Config.MAX_USER_METADATA_BYTES) {
            throw new S3Exception(S3Error.METADATA_TOO_LARGE).with("Size", Integer.toString(bytes))
                    .with("MaxSizeAllowed", Integer.toString(S3Config.MAX_USER_METADATA_BYTES));
        }
        return out;
    }

    /** Object keys are at most 1024 bytes of UTF-8 and not empty. */
    public static void requireValidKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > S3Config.MAX_KEY_BYTES) {
            throw new S3Exception(S3Error.KEY_TOO_LONG).with("MaxSizeAllowed", Integer.toString(S3Config.MAX_KEY_BYTES))
                    .with("Size", Integer.toString(key.getBytes(StandardCharsets.UTF_8).length));
        }
    }

    /** The headers describing a stored object, as GET and HEAD send them (without Content-Length). */
    public static List<Map.Entry<String, String>> forRecord(ObjectRecord record, S3Request request, boolean signedRequest) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        Map<String, String> overrides = overrides(request, signedRequest);
        headers.add(Map.entry("Content-Type", overrides.getOrDefault("Content-Type", record.attributes().contentType())));
        headers.add(Map.entry("ETag", record.etag()));
        headers.add(Map.entry("Last-Modified", HTTP_DATE.format(record.lastModified())));
        headers.add(Map.entry("Accept-Ranges", "bytes"));
        for (String name : STORED) {
            String value = overrides.getOrDefault(name, record.attributes().headers().get(name));
            if (value != null) {
                headers.add(Map.entry(name, value));
            }
        }
        record.attributes().userMetadata().forEach((k, v) -> headers.add(Map.entry("x-amz-meta-" + k, v)));
        if (!record.parts().isEmpty()) {
            headers.add(Map.entry("x-amz-mp-parts-count", Integer.toString(record.parts().size())));
        }
        return headers;
    }

    private static Map<String, String> overrides(S3Request request, boolean signedRequest) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> o : OVERRIDES.entrySet()) {
            String value = request.param(o.getKey());
            if (value != null) {
                if (!signedRequest) {
                    throw new S3Exception(S3Error.INVALID_REQUEST,
                            "Request specific response headers cannot be used for anonymous GET requests.");
                }
                out.put(o.getValue(), value);
            }
        }
        return out;
    }

    public static String httpDate(java.time.Instant instant) {
        return HTTP_DATE.format(instant);
    }
}

package dev.coffer.auth.service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A complete response from a protocol service: status, headers, body. */
public record ServiceResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    public ServiceResponse {
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    public static ServiceResponse of(int status, String contentType, String body) {
        return new ServiceResponse(status, List.of(Map.entry("Content-Type", contentType)), body.getBytes(StandardCharsets.UTF_8));
    }

    public static ServiceResponse of(int status, String contentType, byte[] body) {
        return new ServiceResponse(status, List.of(Map.entry("Content-Type", contentType)), body);
    }
}

package dev.coffer.gateway.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * What an admin endpoint answers, before it becomes Netty objects. Holds a {@code String}, not a
 * buffer, so an endpoint running on another thread never owns a reference-counted object.
 *
 * @param status      HTTP status
 * @param contentType value of the Content-Type header
 * @param body        the body, sent as UTF-8
 */
public record AdminResponse(HttpResponseStatus status, String contentType, String body) {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";

    public AdminResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** A short plain-text answer, for errors. */
    static AdminResponse text(HttpResponseStatus status, String message) {
        return new AdminResponse(status, TEXT, message + "\n");
    }
}

package dev.coffer.gateway.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The admin route table: path to endpoint, looked up exactly (no prefixes, no patterns).
 *
 * <p>Every admin route shares one policy, declared here rather than per route because it does not
 * vary: methods GET and HEAD only; no request body (the pipeline caps any body at {@link
 * AdminServerInitializer#MAX_REQUEST_BODY_BYTES}); no authentication, because the port serves no
 * secret and no action, and listens on {@code --bind}, loopback by default.
 */
public final class AdminRoutes {
    /** The Allow header of a 405. */
    static final String ALLOWED_METHODS = "GET, HEAD";

    private final Map<String, AdminEndpoint> endpointsByPath;

    private AdminRoutes(Map<String, AdminEndpoint> endpointsByPath) {
        this.endpointsByPath = Map.copyOf(endpointsByPath);
    }

    public static Builder builder() {
        return new Builder();
    }

    Optional<AdminEndpoint> find(String path) {
        return Optional.ofNullable(endpointsByPath.get(path));
    }

    /** Collects routes; a path may be routed once. */
    public static final class Builder {
        private final Map<String, AdminEndpoint> endpointsByPath = new LinkedHashMap<>();

        private Builder() {}

        public Builder route(String path, AdminEndpoint endpoint) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with /: " + path);
            }
            if (endpointsByPath.putIfAbsent(path, endpoint) != null) {
                throw new IllegalArgumentException("path routed twice: " + path);
            }
            return this;
        }

        public AdminRoutes build() {
            return new AdminRoutes(endpointsByPath);
        }
    }
}

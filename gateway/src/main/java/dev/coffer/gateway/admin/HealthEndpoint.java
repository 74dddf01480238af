package dev.coffer.gateway.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code /health}: 200 when UP, 503 when any component is DOWN, so load balancers can act on it. */
public final class HealthEndpoint implements AdminEndpoint {
    private final HealthRegistry registry;

    public HealthEndpoint(HealthRegistry registry) {
        this.registry = registry;
    }

    @Override
    public AdminResponse respond() {
        HealthReport report = registry.report();
        HttpResponseStatus status = report.status() == HealthStatus.DOWN
                ? HttpResponseStatus.SERVICE_UNAVAILABLE
                : HttpResponseStatus.OK;
        return new AdminResponse(status, AdminResponse.JSON, report.toJson());
    }
}

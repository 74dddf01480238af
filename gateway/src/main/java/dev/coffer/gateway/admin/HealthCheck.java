package dev.coffer.gateway.admin;

/**
 * Reports one component's state. Called off the event loop, once per {@code /health} request, so it
 * may look at real state (a database handle, an HSM session) but should answer within milliseconds.
 */
@FunctionalInterface
public interface HealthCheck {
    HealthStatus check();
}

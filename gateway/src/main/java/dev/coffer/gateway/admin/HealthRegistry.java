package dev.coffer.gateway.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named health checks of one process. Each service registers its own check when it starts; the
 * admin server only asks. Thread-safe: registration happens at start-up, checks on admin threads.
 */
public final class HealthRegistry {
    private static final Logger log = LoggerFactory.getLogger(HealthRegistry.class);
    private static final Pattern COMPONENT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private final Map<String, HealthCheck> checks = new LinkedHashMap<>();

    /**
     * Adds a component.
     *
     * @param component lower-case name, e.g. {@code s3}; appears as a key in the JSON
     * @throws IllegalArgumentException if the name is malformed or already registered
     */
    public synchronized void register(String component, HealthCheck check) {
        if (!COMPONENT_NAME.matcher(component).matches()) {
            throw new IllegalArgumentException("component name must match " + COMPONENT_NAME + ": " + component);
        }
        if (checks.putIfAbsent(component, check) != null) {
            throw new IllegalArgumentException("component already registered: " + component);
        }
    }

    /** Runs every check. A check that throws counts as DOWN: a broken probe is not a healthy service. */
    public HealthReport report() {
        Map<String, HealthCheck> snapshot;
        synchronized (this) {
            snapshot = new LinkedHashMap<>(checks);
        }
        Map<String, HealthStatus> statuses = new LinkedHashMap<>();
        snapshot.forEach((component, check) -> statuses.put(component, run(component, check)));
        return HealthReport.of(statuses);
    }

    private static HealthStatus run(String component, HealthCheck check) {
        try {
            HealthStatus status = check.check();
            return status == null ? HealthStatus.DOWN : status;
        } catch (RuntimeException e) {
            log.warn("health check of {} failed", component, e);
            return HealthStatus.DOWN;
        }
    }
}

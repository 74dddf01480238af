package dev.coffer.gateway.admin;

/** The state of one component, as {@code /health} reports it. */
public enum HealthStatus {
    /** Serving. */
    UP,
    /** Requested but failing: makes the whole process report DOWN. */
    DOWN,
    /**
     * Requested, but this version of Coffer does not contain it yet. Not a failure: the process does
     * everything this build can do.
     */
    NOT_BUILT
}

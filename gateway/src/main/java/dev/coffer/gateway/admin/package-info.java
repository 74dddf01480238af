/**
 * The admin HTTP server: {@code GET /health} (JSON) and {@code GET /metrics} (Prometheus text), on its
 * own port, apart from the data path. Built as Netty's own servers are: {@link
 * dev.coffer.gateway.admin.AdminServer} binds, {@link dev.coffer.gateway.admin.AdminServerInitializer}
 * reads top to bottom as the protocol stack, {@link dev.coffer.gateway.admin.AdminHandler} routes.
 *
 * <p>Health is a registry of named checks. Protocol modules may not depend on the gateway (see
 * LayeringTest), so the composition root registers each service's check, adapting whatever status
 * the module's own service interface exposes into a {@link dev.coffer.gateway.admin.HealthCheck}.
 */
package dev.coffer.gateway.admin;

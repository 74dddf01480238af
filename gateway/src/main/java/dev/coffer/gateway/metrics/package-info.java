/**
 * The process-wide meter registry: Micrometer with Prometheus exposition, pre-loaded with the JVM
 * binders. Services add their own meters to it; the admin server's {@code /metrics} scrapes it.
 */
package dev.coffer.gateway.metrics;

package dev.coffer.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one meter registry of a {@code coffer serve} process, in Prometheus format, with JVM memory,
 * thread, GC and uptime meters bound.
 */
public final class GatewayMetrics implements AutoCloseable {
    /** The Prometheus text exposition format that {@link #scrape()} produces. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    /** Listens to GC notifications until closed, so it is kept to be closed. */
    private final JvmGcMetrics gcMetrics;

    private GatewayMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics) {
        this.registry = registry;
        this.gcMetrics = gcMetrics;
    }

    public static GatewayMetrics create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        return new GatewayMetrics(registry, gcMetrics);
    }

    /** Where services register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * All meters in the Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). Walks every meter, so
     * callers keep it off event loops.
     */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}

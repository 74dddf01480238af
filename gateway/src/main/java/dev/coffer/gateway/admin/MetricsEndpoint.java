package dev.coffer.gateway.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;

/** {@code /metrics}: the Prometheus text exposition of the process's meter registry. */
public final class MetricsEndpoint implements AdminEndpoint {
    private final Supplier<String> scrape;
    private final String contentType;

    /**
     * @param scrape      renders every meter
     * @param contentType the exposition format {@code scrape} produces
     */
    public MetricsEndpoint(Supplier<String> scrape, String contentType) {
        this.scrape = scrape;
        this.contentType = contentType;
    }

    @Override
    public AdminResponse respond() {
        return new AdminResponse(HttpResponseStatus.OK, contentType, scrape.get());
    }
}

package dev.coffer.gateway.edge;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;

/** What every response on the edge port carries, whichever protocol answered. */
final class EdgeResponses {
    private EdgeResponses() {
    }

    static void addCommonHeaders(HttpHeaders headers) {
        headers.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        headers.set(HttpHeaderNames.SERVER, "Coffer");
    }
}

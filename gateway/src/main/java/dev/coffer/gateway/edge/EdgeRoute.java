package dev.coffer.gateway.edge;

import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.StreamingProtocolService;

/** Where the edge sends a request: a service that takes a small buffered body, or one that streams. */
sealed interface EdgeRoute {
    String signingName();

    record Buffered(ProtocolService service) implements EdgeRoute {
        @Override
        public String signingName() {
            return service.signingName();
        }
    }

    record Streaming(StreamingProtocolService service) implements EdgeRoute {
        @Override
        public String signingName() {
            return service.signingName();
        }
    }
}

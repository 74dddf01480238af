package dev.coffer.gateway.kmsclient;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.kms.endpoints.KmsEndpointParams;
import software.amazon.awssdk.services.kms.endpoints.KmsEndpointProvider;

/**
 * The KmsClient's endpoint, resolved at the first call rather than when the client is built: the
 * embedded KMS lives on the gateway's own edge port, which binds after the services that call it are built
 * and may be port 0 (ephemeral) until then. Once resolved, the endpoint is kept.
 */
final class KmsEndpointResolver implements KmsEndpointProvider {
    private final Supplier<Optional<URI>> endpoint;
    private volatile CompletableFuture<Endpoint> resolved;

    private KmsEndpointResolver(Supplier<Optional<URI>> endpoint) {
        this.endpoint = endpoint;
    }

    /** A fixed endpoint ({@code --kms-endpoint}). */
    static KmsEndpointResolver fixed(URI endpoint) {
        return new KmsEndpointResolver(() -> Optional.of(endpoint));
    }

    /** The embedded KMS on the edge HTTP port, once it is bound. */
    static KmsEndpointResolver edge(Supplier<Optional<InetSocketAddress>> boundEdgeAddress) {
        return new KmsEndpointResolver(() -> boundEdgeAddress.get().map(KmsEndpointResolver::edgeUri));
    }

    /**
     * {@code http://} plus the address the edge port is bound to, except that a wildcard bind
     * (0.0.0.0 or ::) is reached over the loopback address, so the key traffic never leaves the host.
     */
    static URI edgeUri(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        if (address.isAnyLocalAddress()) {
            address = InetAddress.ofLiteral(address instanceof Inet6Address ? "::1" : "127.0.0.1");
        }
        try {
            // The multi-argument constructor brackets an IPv6 literal itself.
            return new URI("http", null, address.getHostAddress(), bound.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no URI for " + bound, e);
        }
    }

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(KmsEndpointParams params) {
        CompletableFuture<Endpoint> done = resolved;
        if (done != null) {
            return done;
        }
        Optional<URI> uri = endpoint.get();
        if (uri.isEmpty()) {
            return CompletableFuture.failedFuture(SdkClientException.create("the embedded KMS is not listening yet"));
        }
        done = CompletableFuture.completedFuture(Endpoint.builder().url(uri.get()).build());
        resolved = done;
        return done;
    }
}

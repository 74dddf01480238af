package dev.coffer.blockstore.ec2;

import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.ServiceRequest;
import dev.coffer.auth.service.ServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An AWS SDK HTTP transport that hands each request to a {@link ProtocolService} in this process,
 * exactly as the edge server would (headers, raw path and query, body). The SDK itself is real: it
 * serialises, signs, and parses responses and errors; only the socket is skipped. The edge server
 * and its Netty pipeline are tested with real sockets in the gateway's integration tests.
 */
final class InProcessHttpClient implements SdkHttpClient {
    private final Supplier<? extends ProtocolService> services;

    /** {@code services} gives the service to call now (tests restart it under the same client). */
    InProcessHttpClient(Supplier<? extends ProtocolService> services) {
        this.services = services;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return execute(request);
            }

            @Override
            public void abort() {
            }
        };
    }

    private HttpExecuteResponse execute(HttpExecuteRequest request) {
        SdkHttpRequest http = request.httpRequest();
        byte[] body;
        try {
            Optional<InputStream> stream = request.contentStreamProvider().map(p -> p.newStream());
            body = stream.isPresent() ? stream.get().readAllBytes() : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean defaultPort = http.port() == (http.protocol().equals("https") ? 443 : 80);
        headers.add(Map.entry("Host", defaultPort ? http.host() : http.host() + ":" + http.port()));
        http.headers().forEach((name, values) -> values.forEach(v -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(Map.entry(name, v));
            }
        }));
        ServiceRequest serviceRequest = new ServiceRequest(UUID.randomUUID().toString(), http.method().name(),
                http.encodedPath().isEmpty() ? "/" : http.encodedPath(), http.encodedQueryParameters().orElse(""), headers, body,
                new InetSocketAddress("127.0.0.1", 50000), http.protocol().equals("https"), Instant.now());
        ProtocolService service = services.get();
        ServiceResponse response = body.length > service.maxRequestBodyBytes()
                ? service.requestTooLarge(serviceRequest.requestId()) : service.handle(serviceRequest);
        SdkHttpFullResponse.Builder out = SdkHttpFullResponse.builder().statusCode(response.status());
        response.headers().forEach(h -> out.appendHeader(h.getKey(), h.getValue()));
        return HttpExecuteResponse.builder().response(out.build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(response.body()))).build();
    }

    @Override
    public void close() {
    }
}

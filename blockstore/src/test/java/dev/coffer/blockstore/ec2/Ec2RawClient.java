package dev.coffer.blockstore.ec2;

import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.ServiceRequest;
import dev.coffer.auth.service.ServiceResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Hand-made EC2 Query requests, for what the SDK will not send (an unknown action, a GET, a broken
 * signature), signed by the SDK's own SigV4 signer with service {@code ec2}.
 */
final class Ec2RawClient {
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:9000/");

    private final ProtocolService service;
    private final String accessKeyId;
    private final String secret;

    Ec2RawClient(ProtocolService service, String accessKeyId, String secret) {
        this.service = service;
        this.accessKeyId = accessKeyId;
        this.secret = secret;
    }

    /** {@code POST /} with the form {@code Action=...&Version=2016-11-15&name=value...}, signed. */
    ServiceResponse post(String... nameValuePairs) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&").append(encode(nameValuePairs[i])).append('=').append(encode(nameValuePairs[i + 1]));
        }
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(ENDPOINT)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        return deliver(sign(http, body.toString(), "ec2"), body.toString());
    }

    /** {@code GET /?name=value...}, signed. */
    ServiceResponse get(String... nameValuePairs) {
        SdkHttpRequest.Builder http = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(ENDPOINT);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            http.putRawQueryParameter(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return deliver(sign(http.build(), "", "ec2"), "");
    }

    /** A POST signed for another service's scope. */
    ServiceResponse postSignedFor(String signingService, String body) {
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(ENDPOINT)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        return deliver(sign(http, body, signingService), body);
    }

    /** A POST with no signature at all. */
    ServiceResponse postUnsigned(String body) {
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(ENDPOINT)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
        return deliver(http, body);
    }

    private SdkHttpRequest sign(SdkHttpRequest http, String body, String signingService) {
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                .request(http)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingService)
                .putProperty(AwsV4HttpSigner.REGION_NAME, Ec2Fixture.REGION)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.systemUTC())).request();
    }

    private ServiceResponse deliver(SdkHttpRequest http, String body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Host", http.host() + ":" + http.port()));
        http.headers().forEach((name, values) -> values.forEach(v -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(Map.entry(name, v));
            }
        }));
        return service.handle(new ServiceRequest("req-1", http.method().name(), http.encodedPath(),
                http.encodedQueryParameters().orElse(""), headers, body.getBytes(StandardCharsets.UTF_8),
                new InetSocketAddress("127.0.0.1", 50000), false, Instant.now()));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String body(ServiceResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}

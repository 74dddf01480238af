package dev.coffer.auth.iam;

import dev.coffer.auth.service.ServiceRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Sends IAM Query requests to {@link IamService#handle} the way the AWS SDK and CLI do: parameters
 * form-encoded, signed by the AWS SDK v2's own SigV4 signer with service {@code iam}.
 */
final class IamTestClient {
    static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    private static final URI ENDPOINT = URI.create("http://127.0.0.1:9000/");
    private static final AtomicInteger REQUEST_IDS = new AtomicInteger();

    private final IamService service;
    private final String accessKeyId;
    private final String secretAccessKey;

    IamTestClient(IamService service, String accessKeyId, String secretAccessKey) {
        this.service = service;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    String accessKeyId() {
        return accessKeyId;
    }

    String secretAccessKey() {
        return secretAccessKey;
    }

    /** {@code POST /} with {@code Action}, {@code Version} and the given name/value pairs as a form body. */
    IamTestReply call(String action, String... nameValuePairs) {
        return post(form(action, nameValuePairs));
    }

    /** {@code POST /} with exactly this body, signed. */
    IamTestReply post(String body) {
        return send(formRequest(), body, IamFixture.NOW, "us-east-1", "iam");
    }

    /** {@code GET /?Action=...} with the parameters in the query string, signed. */
    IamTestReply get(String action, String... nameValuePairs) {
        SdkHttpRequest.Builder http = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(ENDPOINT)
                .putRawQueryParameter("Action", action).putRawQueryParameter("Version", "2010-05-08");
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            http.putRawQueryParameter(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return send(http.build(), "", IamFixture.NOW, "us-east-1", "iam");
    }

    /** Signs {@code http} with {@code body} at {@code signedAt} for the given scope, and sends it. */
    IamTestReply send(SdkHttpRequest http, String body, Instant signedAt, String region, String service) {
        return deliver(sign(http, body, signedAt, region, service), body);
    }

    /** Sends an already built request as the edge would hand it over. */
    IamTestReply deliver(SdkHttpRequest http, String body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Host", http.host() + ":" + http.port()));
        http.headers().forEach((name, values) -> values.forEach(v -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.add(Map.entry(name, v));
            }
        }));
        ServiceRequest request = new ServiceRequest("req-" + REQUEST_IDS.incrementAndGet(), http.method().name(),
                http.encodedPath(), http.encodedQueryParameters().orElse(""), headers, body.getBytes(StandardCharsets.UTF_8),
                new InetSocketAddress("127.0.0.1", 50000), false, IamFixture.NOW);
        return new IamTestReply(request.requestId(), service.handle(request));
    }

    SdkHttpRequest sign(SdkHttpRequest http, String body, Instant signedAt, String region, String service) {
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKeyId, secretAccessKey))
                .request(http)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        return signed.request();
    }

    static SdkHttpRequest formRequest() {
        return SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(ENDPOINT)
                .putHeader("Content-Type", FORM_CONTENT_TYPE).build();
    }

    /** A form body as botocore writes one: {@code Action=..&Version=2010-05-08&Name=value...}. */
    static String form(String action, String... nameValuePairs) {
        StringBuilder b = new StringBuilder("Action=").append(encode(action)).append("&Version=2010-05-08");
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            b.append('&').append(encode(nameValuePairs[i])).append('=').append(encode(nameValuePairs[i + 1]));
        }
        return b.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

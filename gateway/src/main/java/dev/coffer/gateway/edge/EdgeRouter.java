package dev.coffer.gateway.edge;

import dev.coffer.auth.service.ProtocolService;
import dev.coffer.auth.service.StreamingProtocolService;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Tells the protocols on the one edge port apart from a request's head alone: the SigV4 credential
 * scope names the service ({@code Credential=AKID/20261128/us-east-1/kms/aws4_request}, in the
 * Authorization header or the presigned {@code X-Amz-Credential}); an unsigned request with
 * {@code X-Amz-Target: TrentService.*} is KMS; anything else is S3, as S3 allows anonymous access.
 */
public final class EdgeRouter {
    private static final Pattern SCOPE_SERVICE = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[^/,\\s]+/([^/,\\s]+)/aws4_request");
    private static final Pattern QUERY_SCOPE_SERVICE = Pattern.compile("^[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request$");

    private final Map<String, EdgeRoute> bySigningName;

    /** @param services the buffered protocols (KMS, IAM, EC2); @param streaming those whose bodies stream (S3) */
    public EdgeRouter(List<ProtocolService> services, List<StreamingProtocolService> streaming) {
        this.bySigningName = Stream.concat(
                        services.stream().map(EdgeRoute.Buffered::new),
                        streaming.stream().map(EdgeRoute.Streaming::new))
                .collect(Collectors.toUnmodifiableMap(EdgeRoute::signingName, r -> r));
    }

    public EdgeRouter(List<ProtocolService> services) {
        this(services, List.of());
    }

    /** The signing name a request is for: {@code kms}, {@code iam}, {@code ec2}, {@code s3}. */
    public static String signingName(HttpRequest request) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            Matcher m = SCOPE_SERVICE.matcher(authorization);
            if (m.find()) {
                return m.group(1);
            }
        }
        List<String> credential = new QueryStringDecoder(request.uri()).parameters().get("X-Amz-Credential");
        if (credential != null && !credential.isEmpty()) {
            Matcher m = QUERY_SCOPE_SERVICE.matcher(credential.getFirst());
            if (m.matches()) {
                return m.group(1);
            }
        }
        String target = request.headers().get("X-Amz-Target");
        if (target != null && target.startsWith("TrentService.")) {
            return "kms";
        }
        return "s3";
    }

    /**
     * The service that answers requests which cannot be routed by content (not valid HTTP): S3's,
     * as an unsigned request without a KMS target is S3's by default.
     */
    Optional<StreamingProtocolService> unroutable() {
        return bySigningName.get("s3") instanceof EdgeRoute.Streaming s ? Optional.of(s.service()) : Optional.empty();
    }

    /** The service that answers this request, if this gateway runs it. */
    Optional<EdgeRoute> route(HttpRequest request) {
        return Optional.ofNullable(bySigningName.get(signingName(request)));
    }
}

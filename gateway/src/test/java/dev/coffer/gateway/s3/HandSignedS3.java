package dev.coffer.gateway.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * S3 requests that the SDK's clients refuse to send (malformed documents, invalid bucket names,
 * skewed clocks, tampered aws-chunked bodies), signed by the SDK's own SigV4 signer with S3's
 * settings (no path normalisation, no double encoding) and sent by java.net.http over HTTP/1.1.
 */
final class HandSignedS3 {
    /** java.net.http sets these itself (and refuses them from callers). */
    private static final Set<String> SET_BY_HTTP_CLIENT = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final String accessKeyId;
    private final String secret;
    private final HttpClient http;

    HandSignedS3(URI endpoint, String accessKeyId, String secret) {
        this(endpoint, accessKeyId, secret, null);
    }

    /** @param tls the TLS context for an https endpoint (e.g. trusting the development CA), or null for the default */
    HandSignedS3(URI endpoint, String accessKeyId, String secret, javax.net.ssl.SSLContext tls) {
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
        this.secret = secret;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** An answer: status, headers and body text, with the error document's elements at hand. */
    record Answer(int status, HttpResponse<String> response) {
        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** The text of the first {@code <name>} element of the body, or null. */
        String element(String name) {
            return HandSignedS3.element(body(), name);
        }

        String errorCode() {
            return element("Code");
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }

    /** How a request is signed and framed. */
    enum Signing {
        /** The header signature over the SHA-256 of the body. */
        SIGNED_PAYLOAD,
        /** The header signature with x-amz-content-sha256: UNSIGNED-PAYLOAD. */
        UNSIGNED_PAYLOAD,
        /** aws-chunked, every chunk signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD). */
        SIGNED_CHUNKS,
        /** aws-chunked, chunks unsigned, a CRC32 trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER), as SDKs send over TLS. */
        UNSIGNED_CHUNKS_CRC32_TRAILER,
        /** A presigned URL (query parameters), UNSIGNED-PAYLOAD. */
        PRESIGNED,
        /** No signature at all: anonymous. */
        ANONYMOUS
    }

    /** One request to build, sign and send. */
    final class Call {
        private final String method;
        private final String target;
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private Signing signing = Signing.SIGNED_PAYLOAD;
        private Clock clock = Clock.systemUTC();
        private Duration presignedFor = Duration.ofMinutes(5);
        private String signingSecret = secret;
        private String signingAccessKeyId = accessKeyId;
        private UnaryOperator<byte[]> tamper = UnaryOperator.identity();
        private boolean withoutContentLength;

        private Call(String method, String target) {
            this.method = method;
            this.target = target;
        }

        Call header(String name, String value) {
            headers.add(Map.entry(name, value));
            return this;
        }

        Call body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        Call body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        Call signing(Signing how) {
            this.signing = how;
            return this;
        }

        /** Signs as of this clock (skewed or past requests). */
        Call clock(Clock signingClock) {
            this.clock = signingClock;
            return this;
        }

        Call presignedFor(Duration expiry) {
            this.signing = Signing.PRESIGNED;
            this.presignedFor = expiry;
            return this;
        }

        Call credentials(String keyId, String secretKey) {
            this.signingAccessKeyId = keyId;
            this.signingSecret = secretKey;
            return this;
        }

        /** Changes the bytes on the wire after signing (for aws-chunked: the encoded body, signatures included). */
        Call tamper(UnaryOperator<byte[]> change) {
            this.tamper = change;
            return this;
        }

        /** Sends the body with Transfer-Encoding: chunked and no Content-Length. */
        Call withoutContentLength() {
            this.withoutContentLength = true;
            return this;
        }

        Answer send() {
            Signed request = sign();
            return transmit(request.head(), tamper.apply(request.body()));
        }

        /**
         * Sends the signed head and only the first {@code bodyBytes} of the body, then hangs up, as a
         * client that dies mid-upload does. Returns what the gateway answered before the connection
         * closed, if anything.
         */
        String sendTruncatedAndHangUp(int bodyBytes) throws IOException {
            Signed request = sign();
            StringBuilder head = new StringBuilder(method + " " + request.head().getUri().getRawPath()
                    + (request.head().getUri().getRawQuery() == null ? "" : "?" + request.head().getUri().getRawQuery())
                    + " HTTP/1.1\r\n");
            request.head().forEachHeader((name, values) -> values.forEach(v -> head.append(name).append(": ").append(v)
                    .append("\r\n")));
            if (request.head().firstMatchingHeader("Content-Length").isEmpty()) {
                head.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            head.append("\r\n");
            try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(request.body(), 0, bodyBytes);
                out.flush();
                socket.shutdownOutput();
                return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketException e) {
                return "";
            }
        }

        private record Signed(SdkHttpRequest head, byte[] body) {
        }

        /**
         * Signs as for https: the SDK's signer signs "unsigned" payloads anyway over plain HTTP, and
         * the scheme is no part of what is signed, so the request is sent over the endpoint's http.
         */
        private Signed sign() {
            URI tls = URI.create("https://" + endpoint.getHost() + ":" + endpoint.getPort() + target);
            SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(tls);
            headers.forEach(h -> unsigned.appendHeader(h.getKey(), h.getValue()));
            if (signing == Signing.SIGNED_CHUNKS || signing == Signing.UNSIGNED_CHUNKS_CRC32_TRAILER) {
                // The signer moves this to x-amz-decoded-content-length and frames the body.
                unsigned.putHeader("Content-Length", Integer.toString(body.length));
            }
            SdkHttpRequest wire = unsigned.build();
            byte[] wireBody = body;
            if (signing != Signing.ANONYMOUS) {
                SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
                    r.identity(AwsCredentialsIdentity.create(signingAccessKeyId, signingSecret))
                            .request(unsigned.build())
                            .payload(ContentStreamProvider.fromByteArray(body))
                            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                            .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                            .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                            .putProperty(HttpSigner.SIGNING_CLOCK, clock);
                    switch (signing) {
                        case SIGNED_PAYLOAD -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true);
                        case UNSIGNED_PAYLOAD -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false);
                        case SIGNED_CHUNKS -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true);
                        case UNSIGNED_CHUNKS_CRC32_TRAILER -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true)
                                .putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
                        case PRESIGNED -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, presignedFor);
                        case ANONYMOUS -> throw new IllegalStateException();
                    }
                });
                wire = signed.request();
                if (signed.payload().isPresent()) {
                    try (InputStream in = signed.payload().get().newStream()) {
                        wireBody = in.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            return new Signed(wire.toBuilder().protocol(endpoint.getScheme()).build(), wireBody);
        }

        private Answer transmit(SdkHttpRequest wire, byte[] wireBody) {
            HttpRequest.BodyPublisher publisher = withoutContentLength
                    ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(wireBody))
                    : wireBody.length == 0 && (method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"))
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(wireBody);
            HttpRequest.Builder request = HttpRequest.newBuilder(wire.getUri()).timeout(TIMEOUT).method(method, publisher);
            wire.forEachHeader((name, values) -> {
                if (!SET_BY_HTTP_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                return new Answer(response.statusCode(), response);
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + target + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The text of the first {@code <name>} element of an XML document (character references decoded), or null. */
    static String element(String xml, String name) {
        if (xml == null || xml.isEmpty()) {
            return null;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList found = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getElementsByTagName(name);
            return found.getLength() == 0 ? null : found.item(0).getTextContent();
        } catch (Exception e) {
            throw new AssertionError("not an XML document: " + xml, e);
        }
    }

    /** @param target the request target as sent: raw (already percent-encoded) path and query */
    Call request(String method, String target) {
        return new Call(method, target);
    }

    /** The java.net.http client the calls go through, for requests that need no signature. */
    HttpClient http() {
        return http;
    }
}

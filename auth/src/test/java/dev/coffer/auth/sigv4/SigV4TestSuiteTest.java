package dev.coffer.auth.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coffer.crypto.SecretBytes;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AWS's published SigV4 test suite (src/test/resources/aws-sig-v4-test-suite, see its NOTICE) as
 * known-answer vectors: for each case the canonical request must match AWS's byte for byte, the
 * signed request must verify, and the same request with one signature character changed must not.
 */
class SigV4TestSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> cases() throws IOException, URISyntaxException {
        Path root = Path.of(SigV4TestSuiteTest.class.getResource("/aws-sig-v4-test-suite").toURI());
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(30);
        return dirs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void headerSignedRequestMatchesAwsAndVerifies(Path dir) throws Exception {
        Case c = Case.load(dir);
        WireRequest signed = WireRequest.parse(read(dir, "header-signed-request.txt"));
        SigV4Request request = signed.toSigV4(CanonicalRequest.sha256Hex(signed.body));

        String authorization = request.header("Authorization");
        String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        assertThat(CanonicalRequest.build(request, List.of(signedHeaders.split(";")), c.pathStyle, null))
                .isEqualTo(read(dir, "header-canonical-request.txt"));

        SigV4Verified<String> verified = c.verifier().verify(request, c.service, c.pathStyle);
        assertThat(verified.principal()).isEqualTo("example-user");
        assertThat(verified.seedSignature()).isEqualTo(read(dir, "header-signature.txt").trim());
        assertThat(verified.presigned()).isFalse();

        SigV4Request tampered = signed.withHeader("Authorization", flipLastHexDigit(authorization))
                .toSigV4(CanonicalRequest.sha256Hex(signed.body));
        String expectedCanonical = read(dir, "header-canonical-request.txt");
        assertThatThrownBy(() -> c.verifier().verify(tampered, c.service, c.pathStyle))
                .isInstanceOfSatisfying(SigV4Exception.class, e -> {
                    assertThat(e.failure()).isEqualTo(SigV4Failure.SIGNATURE_DOES_NOT_MATCH);
                    assertThat(e.canonicalRequest()).isEqualTo(expectedCanonical);
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void presignedRequestMatchesAwsAndVerifies(Path dir) throws Exception {
        Case c = Case.load(dir);
        // "omit_session_token" cases add the token to the query after signing, a signer option for
        // services that do not sign it; S3, KMS, EC2 and IAM sign it, so Coffer verifies it as signed.
        assumeFalse(c.omitSessionToken, "signer-side omit_session_token option");
        WireRequest signed = WireRequest.parse(read(dir, "query-signed-request.txt"));
        SigV4Request request = signed.toSigV4(CanonicalRequest.sha256Hex(signed.body));

        SigV4Verified<String> verified = c.verifier().verify(request, c.service, c.pathStyle);
        assertThat(verified.presigned()).isTrue();
        assertThat(verified.seedSignature()).isEqualTo(read(dir, "query-signature.txt").trim());

        String otherSignature = request.rawQuery().replaceAll("X-Amz-Signature=([0-9a-f]+)",
                "X-Amz-Signature=" + flipLastHexDigit(verified.seedSignature()));
        SigV4Request tampered = new SigV4Request(request.method(), request.rawPath(), otherSignature,
                request.headers(), request.payloadHash());
        assertThatThrownBy(() -> c.verifier().verify(tampered, c.service, c.pathStyle))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.failure()).isEqualTo(SigV4Failure.SIGNATURE_DOES_NOT_MATCH));
    }

    static String flipLastHexDigit(String s) {
        char last = s.charAt(s.length() - 1);
        return s.substring(0, s.length() - 1) + (last == '0' ? '1' : '0');
    }

    static String read(Path dir, String file) throws IOException {
        return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    }

    /** One test case's context.json. */
    record Case(String accessKeyId, String secret, String region, String service, Instant timestamp,
                CanonicalRequest.PathStyle pathStyle, boolean omitSessionToken) {
        static Case load(Path dir) throws IOException {
            JsonNode ctx = JSON.readTree(dir.resolve("context.json").toFile());
            return new Case(ctx.at("/credentials/access_key_id").asText(), ctx.at("/credentials/secret_access_key").asText(),
                    ctx.get("region").asText(), ctx.get("service").asText(), Instant.parse(ctx.get("timestamp").asText()),
                    ctx.get("normalize").asBoolean() ? CanonicalRequest.PathStyle.NORMALIZED : CanonicalRequest.PathStyle.S3,
                    ctx.path("omit_session_token").asBoolean(false));
        }

        SigV4Verifier<String> verifier() {
            CredentialLookup<String> lookup = id -> id.equals(accessKeyId)
                    ? Optional.of(new SigningCredential<>(id, SecretBytes.copyOf(secret.getBytes(StandardCharsets.UTF_8)), "example-user"))
                    : Optional.empty();
            return new SigV4Verifier<>(lookup, region, Clock.fixed(timestamp.plusSeconds(30), ZoneOffset.UTC));
        }
    }

    /**
     * A request in the suite's text form, turned into what a server receives on the wire: the path
     * and query percent-encoded as a client sends them, folded header lines joined.
     */
    record WireRequest(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers, byte[] body) {
        static WireRequest parse(String text) {
            int headerEnd = text.indexOf("\n\n");
            String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
            byte[] body = headerEnd < 0 ? new byte[0] : text.substring(headerEnd + 2).getBytes(StandardCharsets.UTF_8);
            String[] lines = head.split("\n");
            String requestLine = lines[0];
            String method = requestLine.substring(0, requestLine.indexOf(' '));
            String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            String query = q < 0 ? "" : target.substring(q + 1);
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && !headers.isEmpty()) {
                    Map.Entry<String, String> last = headers.removeLast();
                    headers.add(Map.entry(last.getKey(), last.getValue() + "\n" + line));
                    continue;
                }
                int colon = line.indexOf(':');
                headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1)));
            }
            return new WireRequest(method, wireEncode(path), wireEncode(query), headers, body);
        }

        WireRequest withHeader(String name, String value) {
            List<Map.Entry<String, String>> copy = new ArrayList<>();
            for (Map.Entry<String, String> h : headers) {
                copy.add(h.getKey().equalsIgnoreCase(name) ? Map.entry(h.getKey(), value) : h);
            }
            return new WireRequest(method, rawPath, rawQuery, copy, body);
        }

        SigV4Request toSigV4(String payloadHash) {
            return new SigV4Request(method, rawPath, rawQuery, headers, payloadHash);
        }

        /** What an HTTP client puts on the wire: spaces and non-ASCII characters percent-encoded, the rest as written. */
        static String wireEncode(String s) {
            StringBuilder b = new StringBuilder();
            for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
                int c = x & 0xff;
                if (c <= 0x20 || c >= 0x7f) {
                    b.append('%').append(String.format("%02X", c));
                } else {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }
}

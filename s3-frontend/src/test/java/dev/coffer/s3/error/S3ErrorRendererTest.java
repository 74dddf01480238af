package dev.coffer.s3.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.auth.service.ServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one place errors become responses: AWS's document, its element order, and no body where HTTP allows none. */
class S3ErrorRendererTest {
    private static String body(ServiceResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String header(ServiceResponse response, String name) {
        return response.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    @Test
    void rendersAwsErrorDocumentWithCodeMessageResourceAndRequestId() {
        ServiceResponse response = S3ErrorRenderer.render(new S3Exception(S3Error.NO_SUCH_KEY).with("Key", "a/b"), "req-7",
                "/bucket/a/b", false);
        assertThat(response.status()).isEqualTo(404);
        assertThat(header(response, "Content-Type")).isEqualTo("application/xml");
        assertThat(header(response, "x-amz-request-id")).isEqualTo("req-7");
        assertThat(header(response, "x-amz-id-2")).isEqualTo("req-7");
        assertThat(body(response)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a/b</Key>"
                + "<Resource>/bucket/a/b</Resource><RequestId>req-7</RequestId><HostId>req-7</HostId></Error>");
    }

    @Test
    void detailsAppearInTheOrderTheyWereAddedBetweenMessageAndResource() {
        S3Exception e = new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH).with("AWSAccessKeyId", "AKID")
                .with("StringToSign", "AWS4-HMAC-SHA256\n...").with("SignatureProvided", "abc")
                .with("CanonicalRequest", "GET\n/\n").with("Skipped", null);
        String xml = body(S3ErrorRenderer.render(e, "r", "/", false));
        assertThat(xml).containsSubsequence("<Code>SignatureDoesNotMatch</Code>", "<Message>", "<AWSAccessKeyId>AKID<",
                "<StringToSign>", "<SignatureProvided>abc<", "<CanonicalRequest>GET&#10;/&#10;</CanonicalRequest>", "<Resource>/<",
                "<RequestId>r<", "<HostId>r<");
        assertThat(xml).doesNotContain("Skipped");
        // Newlines travel as character references, which every XML parser reads back as newlines.
        assertThat(xml).doesNotContain("\n/");
    }

    @Test
    void headErrorsHaveTheStatusButNoBody() {
        ServiceResponse response = S3ErrorRenderer.render(new S3Exception(S3Error.NO_SUCH_KEY), "r", "/b/k", true);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "x-amz-request-id")).isEqualTo("r");
        assertThat(header(response, "Content-Type")).isNull();
    }

    @Test
    void notModifiedHasNoBodyEvenOnGet() {
        ServiceResponse response = S3ErrorRenderer.render(new S3Exception(S3Error.NOT_MODIFIED), "r", "/b/k", false);
        assertThat(response.status()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Content-Type")).isNull();
    }

    @Test
    void valuesAreXmlEscaped() {
        String xml = body(S3ErrorRenderer.render(new S3Exception(S3Error.NO_SUCH_KEY).with("Key", "<a&b>\"'"), "r",
                "/b/<a&b>", false));
        assertThat(xml).contains("<Key>&lt;a&amp;b&gt;").contains("<Resource>/b/&lt;a&amp;b&gt;</Resource>");
        assertThat(xml).doesNotContain("<a&b>");
    }

    @Test
    void everyErrorRendersWithItsOwnStatusAndCode() {
        for (S3Error error : S3Error.values()) {
            ServiceResponse response = S3ErrorRenderer.render(new S3Exception(error), "r", "/", false);
            assertThat(response.status()).as(error.name()).isEqualTo(error.status());
            if (error != S3Error.NOT_MODIFIED) {
                assertThat(body(response)).as(error.name()).contains("<Code>" + error.code() + "</Code>");
            }
        }
        assertThat(List.of(S3Error.values())).allSatisfy(error -> assertThat(error.status()).isBetween(300, 599));
    }
}

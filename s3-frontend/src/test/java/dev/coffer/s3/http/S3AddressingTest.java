package dev.coffer.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.auth.service.RequestHead;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which bucket and key a request's Host header and path address, with the default domains localhost and s3.localhost. */
class S3AddressingTest {
    private final S3Addressing addressing = new S3Addressing(Set.of("localhost", "s3.localhost"));

    @Test
    void bucketUnderEitherDomainIsVirtualHosted() {
        assertThat(parse("photos.localhost:9000", "/2026/cat.jpg")).isEqualTo(new Addressed("photos", "2026/cat.jpg"));
        assertThat(parse("photos.s3.localhost:9000", "/2026/cat.jpg")).isEqualTo(new Addressed("photos", "2026/cat.jpg"));
        assertThat(parse("Photos.S3.Localhost", "/")).isEqualTo(new Addressed("photos", null));
    }

    /** Bucket names may hold dots; the longest domain wins whatever order the domains were configured in. */
    @Test
    void longestMatchingDomainDecidesWhereTheBucketNameEnds() {
        for (int i = 0; i < 20; i++) {
            S3Addressing either = new S3Addressing(Set.copyOf(List.of("localhost", "s3.localhost", "a" + i + ".localhost")));
            assertThat(either.parse(head("my.photos.s3.localhost", "/k")).bucket()).isEqualTo("my.photos");
            assertThat(either.parse(head("my.photos.localhost", "/k")).bucket()).isEqualTo("my.photos");
        }
    }

    @Test
    void theDomainsThemselvesArePathStyleEndpoints() {
        assertThat(parse("s3.localhost:9000", "/photos/2026/cat.jpg")).isEqualTo(new Addressed("photos", "2026/cat.jpg"));
        assertThat(parse("localhost:9000", "/photos/2026/cat.jpg")).isEqualTo(new Addressed("photos", "2026/cat.jpg"));
        assertThat(parse("s3.localhost", "/")).isEqualTo(new Addressed(null, null));
    }

    @Test
    void otherHostsArePathStyle() {
        assertThat(parse("127.0.0.1:9000", "/photos/a%20b")).isEqualTo(new Addressed("photos", "a b"));
        assertThat(parse("[::1]:9000", "/photos")).isEqualTo(new Addressed("photos", null));
        assertThat(parse("photos.example.com", "/other/k")).isEqualTo(new Addressed("other", "k"));
    }

    private record Addressed(String bucket, String key) {}

    private Addressed parse(String host, String rawPath) {
        S3Request request = addressing.parse(head(host, rawPath));
        return new Addressed(request.bucket(), request.key());
    }

    private static RequestHead head(String host, String rawPath) {
        return new RequestHead("req-1", "GET", rawPath, "", List.of(Map.entry("Host", host)), null, false, Instant.now());
    }
}

package dev.coffer.s3.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.auth.service.RequestHead;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class S3AddressingDomainsTest {
    private final S3Addressing addressing = new S3Addressing(Set.of("localhost", "s3.localhost"));

    private S3Request parse(String host, String path) {
        return addressing.parse(new RequestHead("id", "GET", path, "", List.of(Map.entry("Host", host)), null, false,
                Instant.EPOCH));
    }

    @Test
    void theLongestMatchingDomainWins() {
        S3Request request = parse("photos.s3.localhost:9000", "/cat.jpg");
        assertThat(request.bucket()).isEqualTo("photos");
        assertThat(request.key()).isEqualTo("cat.jpg");
    }

    @Test
    void aDomainItselfIsPathStyle() {
        S3Request request = parse("s3.localhost:9000", "/photos/cat.jpg");
        assertThat(request.bucket()).isEqualTo("photos");
        assertThat(request.key()).isEqualTo("cat.jpg");
        assertThat(parse("localhost", "/photos").bucket()).isEqualTo("photos");
    }

    @Test
    void anIpAddressHostIsPathStyle() {
        S3Request request = parse("127.0.0.1:9000", "/photos/a//b/../c");
        assertThat(request.bucket()).isEqualTo("photos");
        assertThat(request.key()).isEqualTo("a//b/../c");
    }
}

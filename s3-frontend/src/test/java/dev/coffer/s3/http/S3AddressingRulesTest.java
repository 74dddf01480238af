package dev.coffer.s3.http;

import static dev.coffer.s3.http.RequestHeads.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which bucket and key a request is about: path style, virtual-hosted style, and the exact key as the client sent it. */
class S3AddressingRulesTest {
    private final S3Addressing addressing = new S3Addressing(Set.of("localhost", "s3.localhost", "s3.example.com"));

    private S3Request parse(String target, String host) {
        return addressing.parse(head("GET", target, "Host", host));
    }

    @Test
    void pathStyleNamesTheBucketThenTheKey() {
        S3Request r = parse("/photos/2026/cat.jpg", "127.0.0.1:9000");
        assertThat(r.bucket()).isEqualTo("photos");
        assertThat(r.key()).isEqualTo("2026/cat.jpg");
        assertThat(r.resource()).isEqualTo("/photos/2026/cat.jpg");
    }

    @Test
    void pathStyleServiceAndBucketLevels() {
        S3Request service = parse("/", "127.0.0.1");
        assertThat(service.bucket()).isNull();
        assertThat(service.key()).isNull();
        assertThat(service.resource()).isEqualTo("/");
        S3Request bucket = parse("/photos", "127.0.0.1");
        assertThat(bucket.bucket()).isEqualTo("photos");
        assertThat(bucket.key()).isNull();
        assertThat(parse("/photos/", "127.0.0.1").key()).as("a lone trailing slash addresses the bucket").isNull();
    }

    @Test
    void virtualHostedStyleTakesTheBucketFromTheHostWithOrWithoutPort() {
        for (String host : List.of("photos.localhost:9000", "photos.localhost", "PHOTOS.LocalHost:9000")) {
            S3Request r = parse("/2026/cat.jpg", host);
            assertThat(r.bucket()).as(host).isEqualTo("photos");
            assertThat(r.key()).as(host).isEqualTo("2026/cat.jpg");
        }
        S3Request bucketLevel = parse("/", "photos.s3.example.com:443");
        assertThat(bucketLevel.bucket()).isEqualTo("photos");
        assertThat(bucketLevel.key()).isNull();
        assertThat(parse("/?list-type=2", "my.dotted.bucket.localhost").bucket()).isEqualTo("my.dotted.bucket");
    }

    @Test
    void theLongestConfiguredDomainDecidesTheBucket() {
        // s3.localhost and localhost are both configured: photos.s3.localhost is bucket photos, never "photos.s3".
        for (int i = 0; i < 20; i++) {
            S3Addressing fresh = new S3Addressing(Set.of("s3.localhost", "localhost", "example.com", "s3.example.com"));
            assertThat(fresh.parse(head("GET", "/k", "Host", "photos.s3.localhost:9000")).bucket()).isEqualTo("photos");
            assertThat(fresh.parse(head("GET", "/k", "Host", "photos.s3.example.com")).bucket()).isEqualTo("photos");
        }
    }

    @Test
    void aHostThatIsItselfAConfiguredDomainIsPathStyle() {
        // The endpoint http://s3.localhost:9000 is path style; "s3" is not a bucket under "localhost".
        S3Request r = parse("/photos/cat.jpg", "s3.localhost:9000");
        assertThat(r.bucket()).isEqualTo("photos");
        assertThat(r.key()).isEqualTo("cat.jpg");
        assertThat(parse("/photos/cat.jpg", "localhost:9000").bucket()).isEqualTo("photos");
    }

    @Test
    void unrelatedHostsIpAddressesAndMissingHostsArePathStyle() {
        for (String host : new String[] {"127.0.0.1:9000", "[::1]:9000", "[::1]", "coffer.internal", "notlocalhost",
                "photos.localhost.evil.com"}) {
            S3Request r = parse("/photos/k", host);
            assertThat(r.bucket()).as(host).isEqualTo("photos");
            assertThat(r.key()).as(host).isEqualTo("k");
        }
        S3Request noHost = addressing.parse(head("GET", "/photos/k"));
        assertThat(noHost.bucket()).isEqualTo("photos");
    }

    @Test
    void keysArePercentDecodedAsUtf8() {
        assertThat(parse("/b/a%20b%2Bc+d", "127.0.0.1").key()).as("'+' is a plus, not a space").isEqualTo("a b+c+d");
        assertThat(parse("/b/caf%C3%A9", "127.0.0.1").key()).isEqualTo("caf\u00e9");
        assertThat(parse("/b/%F0%9F%98%80.txt", "127.0.0.1").key()).isEqualTo("\uD83D\uDE00.txt");
        assertThat(parse("/b/a%2Fb", "127.0.0.1").key()).isEqualTo("a/b");
        assertThat(parse("/b/%25", "127.0.0.1").key()).isEqualTo("%");
        assertThat(parse("/b/%e2%82%ac", "127.0.0.1").key()).as("lower-case escapes").isEqualTo("\u20ac");
        assertThat(parse("/my%2Dbucket/k", "127.0.0.1").bucket()).isEqualTo("my-bucket");
        assertThat(parse("/caf%C3%A9", "photos.localhost").key()).isEqualTo("caf\u00e9");
    }

    @Test
    void nfcAndNfdSpellingsStayDistinctKeys() {
        String nfc = parse("/b/caf%C3%A9", "127.0.0.1").key();
        String nfd = parse("/b/cafe%CC%81", "127.0.0.1").key();
        assertThat(nfc).isEqualTo("caf\u00e9");
        assertThat(nfd).isEqualTo("cafe\u0301");
        assertThat(nfc).isNotEqualTo(nfd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/b/%", "/b/a%2", "/b/%zz", "/b/%G1", "/b/%C3%28", "/b/%C3", "/b/%80", "/b/%ED%A0%80",
            "/b/%F8%88%80%80%80", "/b/%C0%AF", "/b%zz/k", "/b%FF/k"})
    void invalidEscapesAndInvalidUtf8AreInvalidUri(String target) {
        assertThatThrownBy(() -> parse(target, "127.0.0.1"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.INVALID_URI);
                    assertThat(e.error().status()).isEqualTo(400);
                });
    }

    @Test
    void invalidEscapesInTheQueryAreInvalidUriToo() {
        assertThatThrownBy(() -> parse("/b?prefix=%zz", "127.0.0.1"))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_URI));
        assertThatThrownBy(() -> parse("/b?prefix=%C3%28", "127.0.0.1"))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_URI));
    }

    @Test
    void aTargetThatIsNotAnOriginFormPathIsInvalidUri() {
        for (String target : new String[] {"*", "photos/k"}) {
            assertThatThrownBy(() -> parse(target, "127.0.0.1")).as(target)
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_URI));
        }
    }

    @Test
    void keysAreKeptExactlyAsSentWithoutPathNormalisation() {
        assertThat(parse("/b/a//b", "127.0.0.1").key()).isEqualTo("a//b");
        assertThat(parse("/b//leading", "127.0.0.1").key()).isEqualTo("/leading");
        assertThat(parse("/b//", "127.0.0.1").key()).isEqualTo("/");
        assertThat(parse("/b/../etc/passwd", "127.0.0.1").key()).isEqualTo("../etc/passwd");
        assertThat(parse("/b/a/./b/../c", "127.0.0.1").key()).isEqualTo("a/./b/../c");
        assertThat(parse("/b/..", "127.0.0.1").key()).isEqualTo("..");
        assertThat(parse("/b/%2E%2E/x", "127.0.0.1").key()).isEqualTo("../x");
        assertThat(parse("/b/dir/", "127.0.0.1").key()).as("trailing slash kept").isEqualTo("dir/");
        assertThat(parse("/b/dir//", "127.0.0.1").key()).isEqualTo("dir//");
        assertThat(parse("//k", "photos.localhost").key()).isEqualTo("/k");
        assertThat(parse("/dir/", "photos.localhost").key()).isEqualTo("dir/");
        assertThat(parse("/a//b/../", "photos.localhost").key()).isEqualTo("a//b/../");
    }

    @Test
    void queryParametersAreDecodedAndValuelessOnesArePresent() {
        S3Request r = parse("/b?uploads&prefix=a%20b%2Fc&delimiter=%2F&marker=x+y&empty=&dup=1&dup=2", "127.0.0.1");
        assertThat(r.hasParam("uploads")).isTrue();
        assertThat(r.param("uploads")).isEmpty();
        assertThat(r.param("prefix")).isEqualTo("a b/c");
        assertThat(r.param("delimiter")).isEqualTo("/");
        assertThat(r.param("marker")).as("'+' is kept").isEqualTo("x+y");
        assertThat(r.param("empty")).isEmpty();
        assertThat(r.param("dup")).isEqualTo("1");
        assertThat(r.query().get("dup")).containsExactly("1", "2");
        assertThat(r.hasParam("missing")).isFalse();
        assertThat(r.param("missing")).isNull();
    }
}

package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.gateway.s3.HandSignedS3.Answer;
import dev.coffer.gateway.s3.HandSignedS3.Signing;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Bad, broken and hostile input against the real edge port: each is refused with the error AWS
 * gives, and a refused write leaves what was stored exactly as it was. The AWS SDK sends what it
 * can; what it refuses to send (malformed documents, invalid bucket names, skewed clocks, tampered
 * aws-chunked bodies) is signed by the SDK's own signer and sent by java.net.http.
 */
class S3BadInputIT {
    private static final String BUCKET = "bad-input";
    private static final String XXE = """
            <?xml version="1.0"?>
            <!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            """;

    @TempDir
    Path temp;
    S3Gateway coffer;
    S3Client s3;
    HandSignedS3 signed;

    @BeforeEach
    void start() throws Exception {
        coffer = new S3Gateway(temp.resolve("data"));
        s3 = coffer.rootS3();
        signed = new HandSignedS3(coffer.endpoint, S3Gateway.ROOT_ACCESS_KEY, S3Gateway.ROOT_SECRET);
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterEach
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (coffer != null) {
            coffer.close();
        }
    }

    // ---- malformed request documents

    @Test
    void malformedCompleteMultipartUploadIsMalformedXmlAndTheUploadStaysOpen() {
        put("doc", "version one");
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("doc")).uploadId();
        String etag = s3.uploadPart(b -> b.bucket(BUCKET).key("doc").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("the only part")).eTag();
        String target = "/" + BUCKET + "/doc?uploadId=" + enc(uploadId);
        for (String document : List.of("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>",
                "not xml at all", "",
                "<CompleteMultipartUpload></CompleteMultipartUpload>",
                "<Delete><Object><Key>doc</Key></Object></Delete>",
                "<CompleteMultipartUpload><Part><ETag>" + etag + "</ETag></Part></CompleteMultipartUpload>",
                XXE + "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&xxe;</ETag></Part></CompleteMultipartUpload>")) {
            Answer answer = signed.request("POST", target).body(document).send();
            assertThat(answer.status()).as(document).isEqualTo(400);
            assertThat(answer.errorCode()).as(document).isEqualTo("MalformedXML");
            assertThat(answer.body()).doesNotContain("root:");
        }
        assertThat(get("doc")).isEqualTo("version one");
        assertThat(s3.listParts(b -> b.bucket(BUCKET).key("doc").uploadId(uploadId)).parts()).hasSize(1);
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("doc").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertThat(get("doc")).isEqualTo("the only part");
    }

    @Test
    void malformedDeleteObjectsIsMalformedXmlAndNothingIsDeleted() throws Exception {
        put("keep", "kept");
        for (String document : List.of("<Delete><Object><Key>keep</Key></Object>", "<Delete></Delete>",
                "<Delete><Object></Object></Delete>", "<Other><Object><Key>keep</Key></Object></Other>",
                XXE + "<Delete><Object><Key>&xxe;</Key></Object></Delete>",
                "<Delete>" + "<Object><Key>keep</Key></Object>".repeat(1001) + "</Delete>")) {
            byte[] body = document.getBytes(StandardCharsets.UTF_8);
            Answer answer = signed.request("POST", "/" + BUCKET + "?delete").header("Content-MD5", md5Base64(body))
                    .body(body).send();
            assertThat(answer.status()).as(document).isEqualTo(400);
            assertThat(answer.errorCode()).as(document).isEqualTo("MalformedXML");
        }
        assertThat(get("keep")).isEqualTo("kept");
    }

    @Test
    void aDeleteDocumentSentWithoutContentLengthIsStillCheckedAgainstItsContentMd5() {
        put("keep", "kept");
        put("other", "other");
        byte[] meant = "<Delete><Object><Key>other</Key></Object></Delete>".getBytes(StandardCharsets.UTF_8);
        byte[] received = "<Delete><Object><Key>keep</Key></Object></Delete>".getBytes(StandardCharsets.UTF_8);
        // Transfer-Encoding: chunked, no Content-Length, and a body that is not the one the Content-MD5 names.
        Answer answer = signed.request("POST", "/" + BUCKET + "?delete").signing(Signing.UNSIGNED_PAYLOAD)
                .header("Content-MD5", md5Base64(meant)).body(received).withoutContentLength().send();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("BadDigest");
        assertThat(get("keep")).isEqualTo("kept");
        assertThat(get("other")).isEqualTo("other");
        Answer right = signed.request("POST", "/" + BUCKET + "?delete").signing(Signing.UNSIGNED_PAYLOAD)
                .header("Content-MD5", md5Base64(meant)).body(meant).withoutContentLength().send();
        assertThat(right.status()).as(right.toString()).isEqualTo(200);
        assertNoSuchKey("other");
        assertThat(get("keep")).isEqualTo("kept");
    }

    @Test
    void malformedCreateBucketConfigurationIsMalformedXmlAndNoBucketIsCreated() {
        for (String document : List.of("<CreateBucketConfiguration><LocationConstraint>us-east-1",
                "<LocationConstraint>us-east-1</LocationConstraint>", "{\"LocationConstraint\": \"us-east-1\"}",
                XXE + "<CreateBucketConfiguration><LocationConstraint>&xxe;</LocationConstraint></CreateBucketConfiguration>")) {
            Answer answer = signed.request("PUT", "/new-bucket").body(document).send();
            assertThat(answer.status()).as(document).isEqualTo(400);
            assertThat(answer.errorCode()).as(document).isEqualTo("MalformedXML");
        }
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly(BUCKET);
        Answer ok = signed.request("PUT", "/new-bucket")
                .body("<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>")
                .send();
        assertThat(ok.status()).isEqualTo(200);
    }

    // ---- authentication

    @Test
    void anExpiredPresignedUrlIsAccessDeniedAndStoresNothing() {
        put("pre", "old");
        Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        Answer get = signed.request("GET", "/" + BUCKET + "/pre").clock(anHourAgo).presignedFor(Duration.ofMinutes(1)).send();
        assertThat(get.status()).isEqualTo(403);
        assertThat(get.errorCode()).isEqualTo("AccessDenied");
        assertThat(get.element("Message")).isEqualTo("Request has expired");
        assertThat(get.body()).doesNotContain("old");
        Answer put = signed.request("PUT", "/" + BUCKET + "/pre").body("new").clock(anHourAgo)
                .presignedFor(Duration.ofMinutes(1)).send();
        assertThat(put.status()).isEqualTo(403);
        assertThat(get("pre")).isEqualTo("old");
        Answer fresh = signed.request("GET", "/" + BUCKET + "/pre").presignedFor(Duration.ofMinutes(1)).send();
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.body()).isEqualTo("old");
    }

    @Test
    void aWrongSecretIsSignatureDoesNotMatchWithTheCanonicalRequestAndStoresNothing() {
        put("sig", "old");
        try (S3Client wrongSecret = coffer.s3(S3Gateway.ROOT_ACCESS_KEY, "not-the-secret")) {
            assertThatThrownBy(() -> wrongSecret.putObject(b -> b.bucket(BUCKET).key("sig"), RequestBody.fromString("new")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                    });
        }
        // The error carries the canonical request the gateway computed: what a developer compares to find the difference.
        Answer answer = signed.request("PUT", "/" + BUCKET + "/sig?x-id=PutObject").credentials(S3Gateway.ROOT_ACCESS_KEY, "wrong")
                .header("x-amz-meta-note", "a  b").body("new").send();
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(answer.element("CanonicalRequest")).startsWith("PUT\n/" + BUCKET + "/sig\nx-id=PutObject\n")
                .contains("host:127.0.0.1:" + coffer.endpoint.getPort() + "\n", "x-amz-meta-note:a b\n")
                .endsWith("\n" + sha256Hex("new"));
        assertThat(answer.element("StringToSign")).startsWith("AWS4-HMAC-SHA256\n");
        assertThat(answer.element("AWSAccessKeyId")).isEqualTo(S3Gateway.ROOT_ACCESS_KEY);
        assertThat(answer.element("SignatureProvided")).matches("[0-9a-f]{64}");
        assertThat(answer.body()).doesNotContain(S3Gateway.ROOT_SECRET);
        assertThat(get("sig")).isEqualTo("old");
    }

    @Test
    void aRequestMoreThanFifteenMinutesOffIsRequestTimeTooSkewed() {
        put("skew", "old");
        for (Duration offset : List.of(Duration.ofMinutes(20), Duration.ofMinutes(-20))) {
            Answer answer = signed.request("PUT", "/" + BUCKET + "/skew").body("new")
                    .clock(Clock.offset(Clock.systemUTC(), offset)).send();
            assertThat(answer.status()).as(offset.toString()).isEqualTo(403);
            assertThat(answer.errorCode()).isEqualTo("RequestTimeTooSkewed");
            assertThat(answer.element("MaxAllowedSkewMilliseconds")).isEqualTo("900000");
            assertThat(answer.element("RequestTime")).isNotBlank();
            assertThat(answer.element("ServerTime")).isNotBlank();
        }
        assertThat(get("skew")).isEqualTo("old");
        Answer within = signed.request("PUT", "/" + BUCKET + "/skew").body("new")
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10))).send();
        assertThat(within.status()).isEqualTo(200);
    }

    @Test
    void anUnknownAccessKeyIsInvalidAccessKeyId() {
        put("who", "old");
        try (S3Client unknown = coffer.s3("AKIAUNKNOWNUNKNOWN00", "whatever")) {
            assertThatThrownBy(() -> unknown.putObject(b -> b.bucket(BUCKET).key("who"), RequestBody.fromString("new")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
                    });
        }
        Answer answer = signed.request("PUT", "/" + BUCKET + "/who").credentials("AKIAUNKNOWNUNKNOWN00", "whatever").body("new")
                .send();
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.element("AWSAccessKeyId")).isEqualTo("AKIAUNKNOWNUNKNOWN00");
        assertThat(get("who")).isEqualTo("old");
    }

    // ---- body integrity

    @Test
    void aSignedChunkedBodyIsStoredWhenEveryChunkSignatureHolds() {
        byte[] data = random(300 * 1024);
        Answer answer = signed.request("PUT", "/" + BUCKET + "/chunked").signing(Signing.SIGNED_CHUNKS).body(data).send();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(getBytes("chunked")).isEqualTo(data);
    }

    @Test
    void anAlteredChunkSignatureIsSignatureDoesNotMatchAndThePreviousVersionStays() {
        put("chunked", "previous version");
        byte[] data = random(300 * 1024);
        // 128 KiB chunks: three with data, then the final empty one. Each is refused, the last one too.
        for (int chunk : new int[] {0, 1, 2, 3}) {
            Answer answer = signed.request("PUT", "/" + BUCKET + "/chunked").signing(Signing.SIGNED_CHUNKS).body(data)
                    .tamper(encoded -> alterChunkSignature(encoded, chunk)).send();
            assertThat(answer.status()).as("chunk " + chunk + ": " + answer).isEqualTo(403);
            assertThat(answer.errorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(get("chunked")).isEqualTo("previous version");
        }
    }

    @Test
    void alteredChunkDataIsSignatureDoesNotMatchAndThePreviousVersionStays() {
        put("chunked", "previous version");
        byte[] data = random(300 * 1024);
        Answer answer = signed.request("PUT", "/" + BUCKET + "/chunked").signing(Signing.SIGNED_CHUNKS).body(data)
                .tamper(encoded -> {
                    byte[] copy = encoded.clone();
                    copy[copy.length / 2] ^= 1;
                    return copy;
                }).send();
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(get("chunked")).isEqualTo("previous version");
    }

    @Test
    void aClientThatHangsUpMidBodyStoresNothing() throws Exception {
        put("cut", "previous version");
        byte[] data = random(300 * 1024);
        var chunked = signed.request("PUT", "/" + BUCKET + "/cut").signing(Signing.SIGNED_CHUNKS).body(data);
        // Every data chunk sent and signed, only the final empty chunk missing; then cut inside a chunk.
        byte[] encoded = encodedChunks(data);
        int beforeFinalChunk = new String(encoded, StandardCharsets.ISO_8859_1).lastIndexOf("0;chunk-signature=");
        for (int sent : new int[] {beforeFinalChunk, beforeFinalChunk / 2, 10}) {
            String answer = chunked.sendTruncatedAndHangUp(sent);
            assertThat(answer).as("cut after " + sent + " bytes").doesNotStartWith("HTTP/1.1 200");
            assertThat(get("cut")).isEqualTo("previous version");
        }
        String answer = signed.request("PUT", "/" + BUCKET + "/cut").body(data).sendTruncatedAndHangUp(data.length - 1);
        assertThat(answer).doesNotStartWith("HTTP/1.1 200");
        assertThat(get("cut")).isEqualTo("previous version");
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).extracting(S3Object::key).containsExactly("cut");
    }

    @Test
    void aWrongChecksumIsBadDigestAndStoresNothing() {
        put("sum", "old");
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("sum").checksumCRC32("AAAAAA=="),
                RequestBody.fromString("new")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("fresh").checksumCRC32("AAAAAA=="),
                RequestBody.fromString("new")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        Answer header = signed.request("PUT", "/" + BUCKET + "/sum").header("x-amz-checksum-crc32", crc32Base64("other"))
                .body("new").send();
        assertThat(header.status()).isEqualTo(400);
        assertThat(header.errorCode()).isEqualTo("BadDigest");
        assertThat(get("sum")).isEqualTo("old");
        assertNoSuchKey("fresh");
    }

    @Test
    void aWrongChecksumInAnUnsignedTrailerIsBadDigestAndStoresNothing() {
        put("trailer", "old");
        byte[] data = random(200 * 1024);
        Answer answer = signed.request("PUT", "/" + BUCKET + "/trailer").signing(Signing.UNSIGNED_CHUNKS_CRC32_TRAILER)
                .body(data).tamper(encoded -> replaceTrailerValue(encoded, crc32Base64("other"))).send();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("BadDigest");
        assertThat(get("trailer")).isEqualTo("old");
        Answer ok = signed.request("PUT", "/" + BUCKET + "/trailer").signing(Signing.UNSIGNED_CHUNKS_CRC32_TRAILER)
                .body(data).send();
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(getBytes("trailer")).isEqualTo(data);
    }

    @Test
    void aWrongContentMd5IsBadDigestAndAnUnreadableOneIsInvalidDigest() throws Exception {
        put("md5", "old");
        String md5OfOther = md5Base64("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("md5").contentMD5(md5OfOther), RequestBody.fromString("new")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
                });
        for (String unreadable : List.of("not-base64!", "AAAA", Base64.getEncoder().encodeToString(new byte[17]))) {
            Answer answer = signed.request("PUT", "/" + BUCKET + "/md5").header("Content-MD5", unreadable).body("new").send();
            assertThat(answer.status()).as(unreadable).isEqualTo(400);
            assertThat(answer.errorCode()).as(unreadable).isEqualTo("InvalidDigest");
        }
        assertThat(get("md5")).isEqualTo("old");
        s3.putObject(b -> b.bucket(BUCKET).key("md5").contentMD5(md5Base64("new".getBytes(StandardCharsets.UTF_8))),
                RequestBody.fromString("new"));
        assertThat(get("md5")).isEqualTo("new");
    }

    @Test
    void aBodyThatIsNotTheSignedSha256IsXAmzContentSha256MismatchAndStoresNothing() {
        put("sha", "old");
        Answer answer = signed.request("PUT", "/" + BUCKET + "/sha").body("signed body")
                .tamper(body -> "forged body".getBytes(StandardCharsets.UTF_8)).send();
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("XAmzContentSHA256Mismatch");
        assertThat(get("sha")).isEqualTo("old");
    }

    @Test
    void aBodyWithoutContentLengthIsMissingContentLengthAndStoresNothing() {
        put("length", "old");
        for (Signing signing : List.of(Signing.UNSIGNED_PAYLOAD, Signing.SIGNED_PAYLOAD)) {
            Answer answer = signed.request("PUT", "/" + BUCKET + "/length").signing(signing).body("new")
                    .withoutContentLength().send();
            assertThat(answer.status()).as(signing.name()).isEqualTo(411);
            assertThat(answer.errorCode()).isEqualTo("MissingContentLength");
        }
        assertThat(get("length")).isEqualTo("old");
        Answer none = signed.request("PUT", "/" + BUCKET + "/fresh").signing(Signing.UNSIGNED_PAYLOAD)
                .withoutContentLength().send();
        assertThat(none.status()).isEqualTo(411);
        assertNoSuchKey("fresh");
    }

    @Test
    void userMetadataOverTwoKilobytesIsMetadataTooLargeAndStoresNothing() {
        put("meta", "old");
        // 2 KB counts the UTF-8 bytes of every name and value: exactly 2048 is allowed, 2049 is not.
        Map<String, String> exactly = Map.of("a", "x".repeat(1023), "b", "y".repeat(1023));
        s3.putObject(b -> b.bucket(BUCKET).key("meta2048").metadata(exactly), RequestBody.fromString("fits"));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("meta2048")).metadata()).isEqualTo(exactly);
        Map<String, String> over = Map.of("a", "x".repeat(1024), "b", "y".repeat(1023));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key("meta").metadata(over), RequestBody.fromString("new")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MetadataTooLarge");
                });
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("key" + i, "value-" + "v".repeat(20));
        }
        assertThatThrownBy(() -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key("meta").metadata(many)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("MetadataTooLarge"));
        assertThat(get("meta")).isEqualTo("old");
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    }

    // ---- the edge

    @Test
    void headersBeyondThirtyTwoKilobytesGetACleanClientErrorWithoutHangingTheConnection() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(coffer.endpoint + "/" + BUCKET + "/k");
        HttpResponse<String> huge = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("x-amz-meta-big", "b".repeat(40 * 1024)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("<Code>RequestHeaderSectionTooLarge</Code>", "<RequestId>");
        HttpResponse<String> many = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .headers(manyHeaders(400, 100)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(many.body()).contains("<Code>RequestHeaderSectionTooLarge</Code>");
        HttpResponse<String> longUrl = http.send(HttpRequest.newBuilder(URI.create(uri + "?" + "a".repeat(20 * 1024)))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(longUrl.statusCode()).isEqualTo(400);
        assertThat(longUrl.body()).contains("<Code>RequestHeaderSectionTooLarge</Code>");
        // The gateway still serves.
        put("after", "still here");
        assertThat(get("after")).isEqualTo("still here");
    }

    @Test
    void invalidRangesAreIgnoredOrInvalidRangeAsRfc9110Says() {
        byte[] data = random(1000);
        s3.putObject(b -> b.bucket(BUCKET).key("ranged"), RequestBody.fromBytes(data));
        for (String ignored : List.of("bytes=5-2", "bytes=0-1,3-4", "items=0-1", "bytes=a-b", "bytes=")) {
            var whole = s3.getObject(b -> b.bucket(BUCKET).key("ranged").range(ignored), ResponseTransformer.toBytes());
            assertThat(whole.asByteArray()).as(ignored).isEqualTo(data);
            assertThat(whole.response().contentRange()).as(ignored).isNull();
        }
        for (String unsatisfiable : List.of("bytes=1000-", "bytes=5000-6000", "bytes=-0")) {
            assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("ranged").range(unsatisfiable),
                    ResponseTransformer.toBytes()))
                    .as(unsatisfiable)
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(416);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
                    });
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("ranged").range(unsatisfiable)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(416));
        }
        var tail = s3.getObject(b -> b.bucket(BUCKET).key("ranged").range("bytes=990-99999"), ResponseTransformer.toBytes());
        assertThat(tail.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(data, 990, 1000));
        assertThat(tail.response().contentRange()).isEqualTo("bytes 990-999/1000");
    }

    // ---- names

    @Test
    void keysAreStoredExactlyAsSentWithoutPathNormalisation() {
        List<String> keys = List.of("a/../b", "../escape", "..", ".", "a/./b", "a//b", "/leading", "//double", "dir/",
                "dir//", "trailing.", "with space", "plus+sign", "percent%25", "question?mark", "hash#tag", "tab\tkey",
                "caf\u00e9", "cafe\u0301", "\uD83D\uDE00/emoji", "back\\slash");
        for (String key : keys) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("value of " + key));
        }
        for (String key : keys) {
            assertThat(get(key)).as(key).isEqualTo("value of " + key);
        }
        List<String> listed = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(keys);
        // NFC and NFD spellings of "café" are two keys, as in S3: no Unicode normalisation.
        assertThat(get("caf\u00e9")).isNotEqualTo(get("cafe\u0301"));
        assertNoSuchKey("a/b");
        assertNoSuchKey("b");
    }

    @Test
    void keysAreAtMost1024BytesOfUtf8() {
        String longest = "\u00e9".repeat(512);
        assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        s3.putObject(b -> b.bucket(BUCKET).key(longest), RequestBody.fromString("fits"));
        assertThat(get(longest)).isEqualTo("fits");
        String ascii = "k".repeat(1024);
        s3.putObject(b -> b.bucket(BUCKET).key(ascii), RequestBody.fromString("fits too"));
        assertThat(get(ascii)).isEqualTo("fits too");
        for (String tooLong : List.of(longest + "x", "k".repeat(1025), "k".repeat(1023) + "\u00e9")) {
            assertThatThrownBy(() -> s3.putObject(b -> b.bucket(BUCKET).key(tooLong), RequestBody.fromString("no")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KeyTooLongError");
                    });
            assertThatThrownBy(() -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key(tooLong)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("KeyTooLongError"));
            assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(ascii).destinationBucket(BUCKET)
                    .destinationKey(tooLong)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("KeyTooLongError"));
        }
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).extracting(S3Object::key)
                .containsExactlyInAnyOrder(longest, ascii);
    }

    @Test
    void invalidPercentEncodingInTheKeyIsInvalidUri() {
        // Escapes that are not UTF-8 (java.net.URI itself refuses to send "%zz"; the unit tests cover it).
        for (String raw : List.of("%C3%28", "%FF", "%C0%AF", "%ED%A0%80", "ok/%E2%82")) {
            Answer answer = signed.request("PUT", "/" + BUCKET + "/" + raw).body("x").send();
            assertThat(answer.status()).as(raw).isEqualTo(400);
            assertThat(answer.errorCode()).as(raw).isEqualTo("InvalidURI");
        }
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).isEmpty();
    }

    @Test
    void bucketNamesBreakingTheRulesAreInvalidBucketName() {
        for (String name : List.of("ab", "a".repeat(64), "UPPER", "under_score", "-leading", "trailing-", "a..b", "a.-b",
                "192.168.1.1", "xn--punycode", "sthree-bucket", "amzn-s3-demo-bucket", "bucket-s3alias", "bucket--ol-s3",
                "bucket.mrap", "bucket--x-s3", "bucket--table-s3", "caf%C3%A9", "sp%20ace")) {
            Answer answer = signed.request("PUT", "/" + name).send();
            assertThat(answer.status()).as(name).isEqualTo(400);
            assertThat(answer.errorCode()).as(name).isEqualTo("InvalidBucketName");
            assertThat(answer.element("BucketName")).as(name).isNotNull();
        }
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly(BUCKET);
    }

    @Test
    void aVersionIdIsRefusedInsteadOfActingOnTheCurrentObject() {
        put("versioned", "current");
        assertThatThrownBy(() -> s3.deleteObject(b -> b.bucket(BUCKET).key("versioned").versionId("3HL4kqtJlcpXroDTDmJ")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidArgument"));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("versioned").versionId("3HL4kqtJlcpXroDTDmJ"),
                ResponseTransformer.toBytes()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidArgument"));
        var deleted = s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(o -> o.key("versioned")
                .versionId("3HL4kqtJlcpXroDTDmJ"))));
        assertThat(deleted.deleted()).isEmpty();
        assertThat(deleted.errors()).singleElement().satisfies(error -> {
            assertThat(error.key()).isEqualTo("versioned");
            assertThat(error.code()).isEqualTo("InvalidArgument");
        });
        assertThat(get("versioned")).isEqualTo("current");
        assertThat(s3.getObject(b -> b.bucket(BUCKET).key("versioned").versionId("null"), ResponseTransformer.toBytes())
                .asUtf8String()).isEqualTo("current");
    }

    // ---- helpers

    private void put(String key, String value) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(value));
    }

    private String get(String key) {
        return s3.getObject(b -> b.bucket(BUCKET).key(key), ResponseTransformer.toBytes()).asUtf8String();
    }

    private byte[] getBytes(String key) {
        return s3.getObject(b -> b.bucket(BUCKET).key(key), ResponseTransformer.toBytes()).asByteArray();
    }

    private void assertNoSuchKey(String key) {
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key(key)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    /** Flips one hex digit of the {@code index}-th chunk signature of an aws-chunked body. */
    static byte[] alterChunkSignature(byte[] encoded, int index) {
        String text = new String(encoded, StandardCharsets.ISO_8859_1);
        int at = -1;
        for (int i = 0; i <= index; i++) {
            at = text.indexOf(";chunk-signature=", at + 1);
            if (at < 0) {
                throw new AssertionError("the body has no chunk signature " + index);
            }
        }
        int digit = at + ";chunk-signature=".length();
        byte[] copy = encoded.clone();
        copy[digit] = (byte) (copy[digit] == '0' ? '1' : '0');
        return copy;
    }

    /** The aws-chunked encoding of {@code data} as the signer frames it (128 KiB chunks, each with its signature). */
    private byte[] encodedChunks(byte[] data) {
        byte[][] seen = new byte[1][];
        signed.request("PUT", "/" + BUCKET + "/scratch").signing(Signing.SIGNED_CHUNKS).body(data).tamper(encoded -> {
            seen[0] = encoded;
            return encoded;
        }).send();
        s3.deleteObject(b -> b.bucket(BUCKET).key("scratch"));
        return seen[0];
    }

    /** Replaces the value of the x-amz-checksum-crc32 trailer of an aws-chunked body. */
    static byte[] replaceTrailerValue(byte[] encoded, String value) {
        String text = new String(encoded, StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("x-amz-checksum-crc32:");
        if (at < 0) {
            throw new AssertionError("the body has no x-amz-checksum-crc32 trailer");
        }
        int start = at + "x-amz-checksum-crc32:".length();
        int end = text.indexOf("\r\n", start);
        return (text.substring(0, start) + value + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String[] manyHeaders(int count, int valueBytes) {
        String[] headers = new String[count * 2];
        for (int i = 0; i < count; i++) {
            headers[2 * i] = "x-amz-meta-h" + i;
            headers[2 * i + 1] = "v".repeat(valueBytes);
        }
        return headers;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String md5Base64(byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String crc32Base64(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        long value = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16),
                (byte) (value >>> 8), (byte) value});
    }

    static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}

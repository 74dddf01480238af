package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Buckets and single-part objects through the AWS SDK v2 clients (default integrity checksums on) against the real edge port. */
class S3ObjectIT {
    @TempDir
    Path temp;
    S3Gateway coffer;
    S3Client s3;

    @BeforeEach
    void start() throws Exception {
        coffer = new S3Gateway(temp.resolve("data"));
        s3 = coffer.rootS3();
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

    @Test
    void putGetHeadDeleteRoundTripWithMetadataAndChecksums() throws Exception {
        s3.createBucket(b -> b.bucket("photos"));
        byte[] data = random(3 * 1024 * 1024 + 17);
        var put = s3.putObject(b -> b.bucket("photos").key("2026/cat.jpg").contentType("image/jpeg")
                .metadata(Map.of("owner", "alice")).cacheControl("max-age=60"), RequestBody.fromBytes(data));
        assertThat(put.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
        assertThat(put.checksumCRC32()).isNotNull();

        ResponseBytes<GetObjectResponse> got = s3.getObject(b -> b.bucket("photos").key("2026/cat.jpg")
                .checksumMode(ChecksumMode.ENABLED), ResponseTransformer.toBytes());
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().contentType()).isEqualTo("image/jpeg");
        assertThat(got.response().metadata()).containsEntry("owner", "alice");
        assertThat(got.response().cacheControl()).isEqualTo("max-age=60");
        // The SDK sent the body aws-chunked: that is transport, not a Content-Encoding of the object.
        assertThat(got.response().contentEncoding()).isNull();
        assertThat(got.response().checksumCRC32()).isEqualTo(put.checksumCRC32());

        HeadObjectResponse head = s3.headObject(b -> b.bucket("photos").key("2026/cat.jpg"));
        assertThat(head.contentLength()).isEqualTo(data.length);
        assertThat(head.eTag()).isEqualTo(put.eTag());

        s3.deleteObject(b -> b.bucket("photos").key("2026/cat.jpg"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("photos").key("2026/cat.jpg")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("photos").key("2026/cat.jpg"), ResponseTransformer.toBytes()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey"));
    }

    @Test
    void everyChecksumAlgorithmIsVerifiedAndReturned() {
        s3.createBucket(b -> b.bucket("sums"));
        byte[] data = random(200_000);
        for (ChecksumAlgorithm algorithm : new ChecksumAlgorithm[] {ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C,
                ChecksumAlgorithm.CRC64_NVME, ChecksumAlgorithm.SHA1, ChecksumAlgorithm.SHA256}) {
            String key = "k-" + algorithm;
            s3.putObject(b -> b.bucket("sums").key(key).checksumAlgorithm(algorithm), RequestBody.fromBytes(data));
            var got = s3.getObject(b -> b.bucket("sums").key(key).checksumMode(ChecksumMode.ENABLED), ResponseTransformer.toBytes());
            assertThat(got.asByteArray()).isEqualTo(data);
        }
    }

    @Test
    void wrongChecksumHeaderIsRejectedAndNothingIsStored() {
        s3.createBucket(b -> b.bucket("sums"));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("sums").key("bad").checksumCRC32("AAAAAA=="),
                RequestBody.fromBytes(random(1000))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("sums").key("bad")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void aLargeBodyIsCheckedAgainstItsContentMd5AndItsETagIsItsMd5() throws Exception {
        // 3 MiB: past the size from which the MD5 is computed on its own thread beside the write
        s3.createBucket(b -> b.bucket("md5s"));
        byte[] data = random(3 << 20);
        byte[] md5 = MessageDigest.getInstance("MD5").digest(data);
        byte[] other = MessageDigest.getInstance("MD5").digest(random(10));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("md5s").key("bad")
                        .contentMD5(java.util.Base64.getEncoder().encodeToString(other)), RequestBody.fromBytes(data)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("md5s").key("bad")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        String etag = s3.putObject(b -> b.bucket("md5s").key("good")
                .contentMD5(java.util.Base64.getEncoder().encodeToString(md5)), RequestBody.fromBytes(data)).eTag();
        assertThat(etag).isEqualTo("\"" + HexFormat.of().formatHex(md5) + "\"");
        assertThat(s3.getObjectAsBytes(b -> b.bucket("md5s").key("good")).asByteArray()).isEqualTo(data);
    }

    @Test
    void rangesSuffixesAndOpenRanges() {
        s3.createBucket(b -> b.bucket("ranges"));
        byte[] data = random(300_000);
        s3.putObject(b -> b.bucket("ranges").key("k"), RequestBody.fromBytes(data));
        assertThat(range("bytes=10-19")).isEqualTo(java.util.Arrays.copyOfRange(data, 10, 20));
        assertThat(range("bytes=-100")).isEqualTo(java.util.Arrays.copyOfRange(data, data.length - 100, data.length));
        assertThat(range("bytes=299990-")).isEqualTo(java.util.Arrays.copyOfRange(data, 299_990, data.length));
        assertThat(range("bytes=299990-999999999")).isEqualTo(java.util.Arrays.copyOfRange(data, 299_990, data.length));
        assertThatThrownBy(() -> range("bytes=300000-"))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(416);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
                });
    }

    @Test
    void conditionalGets() {
        s3.createBucket(b -> b.bucket("conds"));
        String etag = s3.putObject(b -> b.bucket("conds").key("k"), RequestBody.fromString("v1")).eTag();
        assertThat(s3.getObject(b -> b.bucket("conds").key("k").ifMatch(etag), ResponseTransformer.toBytes()).asUtf8String())
                .isEqualTo("v1");
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("conds").key("k").ifMatch("\"nope\""), ResponseTransformer.toBytes()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("conds").key("k").ifNoneMatch(etag), ResponseTransformer.toBytes()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("conds").key("k").ifModifiedSince(java.time.Instant.now().plusSeconds(60)),
                ResponseTransformer.toBytes()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket("conds").key("k").ifUnmodifiedSince(java.time.Instant.now().minusSeconds(3600)),
                ResponseTransformer.toBytes()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        var overridden = s3.getObject(b -> b.bucket("conds").key("k").responseContentType("text/x-test")
                .responseContentDisposition("attachment"), ResponseTransformer.toBytes());
        assertThat(overridden.response().contentType()).isEqualTo("text/x-test");
        assertThat(overridden.response().contentDisposition()).isEqualTo("attachment");
    }

    @Test
    void bucketLifecycleAndErrors() {
        s3.createBucket(b -> b.bucket("life"));
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("life");
        s3.headBucket(b -> b.bucket("life"));
        assertThat(s3.getBucketLocation(b -> b.bucket("life")).locationConstraintAsString()).isNullOrEmpty();
        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("life")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("BucketAlreadyOwnedByYou"));
        s3.putObject(b -> b.bucket("life").key("x"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("life")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty"));
        s3.deleteObject(b -> b.bucket("life").key("x"));
        s3.deleteBucket(b -> b.bucket("life"));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("life")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("life").key("x"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));
    }

    @Test
    void asyncNettyClientStreamsLargeObjectsBothWays() throws Exception {
        s3.createBucket(b -> b.bucket("big"));
        byte[] data = random(24 * 1024 * 1024 + 5);
        try (S3AsyncClient async = coffer.rootS3Async()) {
            async.putObject(b -> b.bucket("big").key("blob"), AsyncRequestBody.fromBytes(data)).get();
            byte[] back = async.getObject(b -> b.bucket("big").key("blob"), AsyncResponseTransformer.toBytes()).get().asByteArray();
            assertThat(back).isEqualTo(data);
        }
    }

    @Test
    void badCredentialsGetAwsErrors() {
        s3.createBucket(b -> b.bucket("auth"));
        try (S3Client wrongSecret = coffer.s3(S3Gateway.ROOT_ACCESS_KEY, "not-the-secret");
             S3Client unknownKey = coffer.s3("AKIAUNKNOWNUNKNOWN00", "whatever")) {
            assertThatThrownBy(() -> wrongSecret.listObjectsV2(b -> b.bucket("auth")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("SignatureDoesNotMatch"));
            assertThatThrownBy(() -> unknownKey.putObject(b -> b.bucket("auth").key("k"), RequestBody.fromString("x")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("InvalidAccessKeyId"));
        }
    }

    @Test
    void presignedUrlsWorkUntilTheyExpire() throws Exception {
        s3.createBucket(b -> b.bucket("pre"));
        s3.putObject(b -> b.bucket("pre").key("doc.txt"), RequestBody.fromString("presigned hello"));
        HttpClient http = HttpClient.newHttpClient();
        try (var presigner = coffer.rootPresigner()) {
            var url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("pre").key("doc.txt"))).url();
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(url.toURI()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("presigned hello");
            var shortLived = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofSeconds(1))
                    .getObjectRequest(g -> g.bucket("pre").key("doc.txt"))).url();
            Thread.sleep(2100);
            HttpResponse<String> expired = http.send(HttpRequest.newBuilder(shortLived.toURI()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(expired.statusCode()).isEqualTo(403);
            assertThat(expired.body()).contains("<Code>AccessDenied</Code>", "Request has expired");
        }
    }

    private byte[] range(String range) {
        return s3.getObject(b -> b.bucket("ranges").key("k").range(range), ResponseTransformer.toBytes()).asByteArray();
    }

    static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    static String md5Hex(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}

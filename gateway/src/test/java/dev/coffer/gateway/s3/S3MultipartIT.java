package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.services.s3.multipart.MultipartConfiguration;

/**
 * Multipart uploads, UploadPartCopy, part reads and multipart checksums through the AWS SDK v2
 * (sync and the async multipart client) and boto3's managed transfers, against the real edge port.
 */
class S3MultipartIT {
    static final int MIB = 1024 * 1024;
    static final int MIN_PART = 5 * MIB;
    static final String BUCKET = "multipart";

    @TempDir
    Path temp;
    S3Gateway coffer;
    S3Client s3;

    @BeforeEach
    void start() throws Exception {
        coffer = new S3Gateway(temp.resolve("data"));
        s3 = coffer.rootS3();
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

    @Test
    void completedUploadHasMultipartEtagAndServesEachPart() throws Exception {
        byte[] p1 = random(MIN_PART, 1);
        byte[] p2 = random(MIN_PART + 7, 2);
        byte[] p3 = random(1234, 3);
        String uploadId = create("photos/big.bin", b -> b.contentType("image/png").metadata(Map.of("who", "carol")));
        List<CompletedPart> parts = List.of(upload("photos/big.bin", uploadId, 1, p1), upload("photos/big.bin", uploadId, 2, p2),
                upload("photos/big.bin", uploadId, 3, p3));
        assertThat(parts.get(1).eTag()).isEqualTo("\"" + hex(md5(p2)) + "\"");

        CompleteMultipartUploadResponse done = complete("photos/big.bin", uploadId, parts);
        String expectedEtag = "\"" + hex(md5(concat(md5(p1), md5(p2), md5(p3)))) + "-3\"";
        assertThat(done.eTag()).isEqualTo(expectedEtag);
        assertThat(done.key()).isEqualTo("photos/big.bin");
        assertThat(done.bucket()).isEqualTo(BUCKET);

        var whole = s3.getObject(b -> b.bucket(BUCKET).key("photos/big.bin"), ResponseTransformer.toBytes());
        assertThat(whole.asByteArray()).isEqualTo(concat(p1, p2, p3));
        assertThat(whole.response().eTag()).isEqualTo(expectedEtag);
        assertThat(whole.response().contentType()).isEqualTo("image/png");
        assertThat(whole.response().metadata()).containsEntry("who", "carol");

        var second = s3.getObject(b -> b.bucket(BUCKET).key("photos/big.bin").partNumber(2), ResponseTransformer.toBytes());
        assertThat(second.asByteArray()).isEqualTo(p2);
        assertThat(second.response().sdkHttpResponse().statusCode()).isEqualTo(206);
        assertThat(second.response().partsCount()).isEqualTo(3);
        assertThat(second.response().contentRange()).isEqualTo("bytes " + p1.length + "-" + (p1.length + p2.length - 1) + "/"
                + (p1.length + p2.length + p3.length));
        assertThat(second.response().eTag()).isEqualTo(expectedEtag);

        var last = s3.headObject(b -> b.bucket(BUCKET).key("photos/big.bin").partNumber(3));
        assertThat(last.sdkHttpResponse().statusCode()).isEqualTo(206);
        assertThat(last.contentLength()).isEqualTo(p3.length);
        assertThat(last.partsCount()).isEqualTo(3);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("photos/big.bin")).contentLength())
                .isEqualTo(p1.length + p2.length + p3.length);

        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("photos/big.bin").partNumber(4)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(416));
        assertThatThrownBy(() -> s3.getObject(b -> b.bucket(BUCKET).key("photos/big.bin").partNumber(4), ResponseTransformer.toBytes()))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPartNumber"));
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    }

    @Test
    void emptyLastPartIsServedEmptyByPartNumber() {
        byte[] p1 = random(MIN_PART, 11);
        String uploadId = create("trailing-empty", b -> { });
        List<CompletedPart> parts = List.of(upload("trailing-empty", uploadId, 1, p1), upload("trailing-empty", uploadId, 2, new byte[0]));
        complete("trailing-empty", uploadId, parts);
        var empty = s3.getObject(b -> b.bucket(BUCKET).key("trailing-empty").partNumber(2), ResponseTransformer.toBytes());
        assertThat(empty.asByteArray()).isEmpty();
        assertThat(empty.response().partsCount()).isEqualTo(2);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("trailing-empty").partNumber(2)).contentLength()).isZero();
        assertThat(s3.getObject(b -> b.bucket(BUCKET).key("trailing-empty").partNumber(1), ResponseTransformer.toBytes())
                .asByteArray()).isEqualTo(p1);
    }

    @Test
    void completionRejectsWrongEtagsMissingPartsDisorderAndSmallParts() {
        byte[] big = random(MIN_PART, 4);
        byte[] small = random(100, 5);
        String key = "bad";
        String uploadId = create(key, b -> { });
        CompletedPart one = upload(key, uploadId, 1, big);
        CompletedPart two = upload(key, uploadId, 2, small);
        CompletedPart smallFirst = upload(key, uploadId, 3, small);

        assertS3Error(() -> complete(key, uploadId, List.of(one, part(2, "\"" + hex(md5(big)) + "\""))), 400, "InvalidPart");
        assertS3Error(() -> complete(key, uploadId, List.of(one, part(7, two.eTag()))), 400, "InvalidPart");
        assertS3Error(() -> complete(key, uploadId, List.of(two, one)), 400, "InvalidPartOrder");
        assertS3Error(() -> complete(key, uploadId, List.of(one, one)), 400, "InvalidPartOrder");
        assertS3Error(() -> complete(key, uploadId, List.of(two, smallFirst)), 400, "EntityTooSmall");

        // None of the failures ended the upload: the right list still completes it.
        complete(key, uploadId, List.of(one, two));
        assertThat(get(key)).isEqualTo(concat(big, small));
    }

    @Test
    void abortedAndCompletedUploadsAreGone() {
        String aborted = create("gone", b -> { });
        CompletedPart part = upload("gone", aborted, 1, random(10, 6));
        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("gone").uploadId(aborted));
        assertS3Error(() -> upload("gone", aborted, 2, random(10, 7)), 404, "NoSuchUpload");
        assertS3Error(() -> s3.listParts(b -> b.bucket(BUCKET).key("gone").uploadId(aborted)), 404, "NoSuchUpload");
        assertS3Error(() -> complete("gone", aborted, List.of(part)), 404, "NoSuchUpload");
        assertS3Error(() -> s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("gone").uploadId(aborted)), 404, "NoSuchUpload");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("gone")), 404, null);

        String completed = create("done", b -> { });
        CompletedPart only = upload("done", completed, 1, random(10, 8));
        complete("done", completed, List.of(only));
        assertS3Error(() -> upload("done", completed, 2, random(10, 9)), 404, "NoSuchUpload");
        assertS3Error(() -> s3.listParts(b -> b.bucket(BUCKET).key("done").uploadId(completed)), 404, "NoSuchUpload");
        assertS3Error(() -> s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("done").uploadId(completed)), 404, "NoSuchUpload");
        // An upload id belongs to its key.
        String other = create("other", b -> { });
        assertS3Error(() -> upload("done", other, 1, random(10, 10)), 404, "NoSuchUpload");
        assertS3Error(() -> s3.listParts(b -> b.bucket(BUCKET).key("done").uploadId("not-an-upload-id")), 404, "NoSuchUpload");
    }

    @Test
    void uploadingAPartNumberAgainReplacesIt() {
        String uploadId = create("replace", b -> { });
        byte[] first = random(MIN_PART, 12);
        byte[] second = random(MIN_PART + 99, 13);
        byte[] tail = random(50, 14);
        CompletedPart old = upload("replace", uploadId, 1, first);
        CompletedPart replaced = upload("replace", uploadId, 1, second);
        CompletedPart end = upload("replace", uploadId, 2, tail);

        ListPartsResponse listed = s3.listParts(b -> b.bucket(BUCKET).key("replace").uploadId(uploadId));
        assertThat(listed.parts()).extracting(Part::partNumber).containsExactly(1, 2);
        assertThat(listed.parts().getFirst().eTag()).isEqualTo(replaced.eTag());
        assertThat(listed.parts().getFirst().size()).isEqualTo(second.length);

        assertS3Error(() -> complete("replace", uploadId, List.of(old, end)), 400, "InvalidPart");
        complete("replace", uploadId, List.of(replaced, end));
        assertThat(get("replace")).isEqualTo(concat(second, tail));
    }

    @Test
    void listPartsPagesWithMaxPartsAndPartNumberMarker() {
        String uploadId = create("paged", b -> { });
        List<String> etags = new ArrayList<>();
        for (int n = 1; n <= 7; n++) {
            etags.add(upload("paged", uploadId, n * 3, random(10 + n, 20 + n)).eTag());
        }
        List<Integer> numbers = new ArrayList<>();
        Integer marker = null;
        List<Boolean> truncations = new ArrayList<>();
        for (int page = 0; page < 10; page++) {
            Integer from = marker;
            ListPartsResponse response = s3.listParts(b -> b.bucket(BUCKET).key("paged").uploadId(uploadId).maxParts(3)
                    .partNumberMarker(from));
            assertThat(response.maxParts()).isEqualTo(3);
            assertThat(response.partNumberMarker()).isEqualTo(from == null ? 0 : from);
            response.parts().forEach(p -> numbers.add(p.partNumber()));
            truncations.add(response.isTruncated());
            if (!response.isTruncated()) {
                break;
            }
            assertThat(response.nextPartNumberMarker()).isEqualTo(response.parts().getLast().partNumber());
            marker = response.nextPartNumberMarker();
        }
        assertThat(numbers).containsExactly(3, 6, 9, 12, 15, 18, 21);
        assertThat(truncations).containsExactly(true, true, false);

        var all = s3.listPartsPaginator(b -> b.bucket(BUCKET).key("paged").uploadId(uploadId).maxParts(2)).parts().stream().toList();
        assertThat(all).extracting(Part::eTag).containsExactlyElementsOf(etags);
        assertThat(all).extracting(Part::size).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L);
        var afterLast = s3.listParts(b -> b.bucket(BUCKET).key("paged").uploadId(uploadId).partNumberMarker(21));
        assertThat(afterLast.parts()).isEmpty();
        assertThat(afterLast.isTruncated()).isFalse();
    }

    @Test
    void listMultipartUploadsWithPrefixDelimiterAndMarkers() {
        List<String> keys = List.of("a/1", "a/2", "b/x/1", "c", "c", "c", "d", "e");
        List<String[]> created = new ArrayList<>(); // key, upload id, in creation order
        for (String key : keys) {
            created.add(new String[] {key, create(key, b -> { })});
            sleepMillis(2); // distinct initiation times, so the expected order of one key's uploads is known
        }
        List<String> all = created.stream().map(u -> u[0] + " " + u[1]).toList();

        ListMultipartUploadsResponse everything = s3.listMultipartUploads(b -> b.bucket(BUCKET));
        assertThat(everything.isTruncated()).isFalse();
        assertThat(everything.uploads()).extracting(u -> u.key() + " " + u.uploadId()).containsExactlyElementsOf(all);

        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("a/")).uploads()).extracting(MultipartUpload::key)
                .containsExactly("a/1", "a/2");

        ListMultipartUploadsResponse rolled = s3.listMultipartUploads(b -> b.bucket(BUCKET).delimiter("/"));
        assertThat(rolled.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("a/", "b/");
        assertThat(rolled.uploads()).extracting(MultipartUpload::key).containsExactly("c", "c", "c", "d", "e");
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("b/").delimiter("/")).commonPrefixes())
                .extracting(p -> p.prefix()).containsExactly("b/x/");

        // key-marker alone skips every upload of that key; with upload-id-marker, only the ones up to that id.
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).keyMarker("c")).uploads()).extracting(MultipartUpload::key)
                .containsExactly("d", "e");
        String secondC = created.get(4)[1];
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).keyMarker("c").uploadIdMarker(secondC)).uploads())
                .extracting(u -> u.key() + " " + u.uploadId()).containsExactlyElementsOf(all.subList(5, 8));

        for (int pageSize = 1; pageSize <= 3; pageSize++) {
            assertThat(pagedUploads(null, pageSize)).as("page size %d", pageSize).containsExactlyElementsOf(all);
        }
        assertThat(pagedUploads("/", 2)).containsExactly("a/", "b/", all.get(3), all.get(4), all.get(5), all.get(6), all.get(7));
        assertThat(s3.listMultipartUploadsPaginator(b -> b.bucket(BUCKET).maxUploads(3)).uploads().stream()
                .map(u -> u.key() + " " + u.uploadId()).toList()).containsExactlyElementsOf(all);
    }

    /** Every upload (key and id) and common prefix, page by page with the Next markers. */
    private List<String> pagedUploads(String delimiter, int pageSize) {
        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        for (int page = 0; page < 50; page++) {
            String k = keyMarker;
            String u = uploadIdMarker;
            ListMultipartUploadsResponse response = s3.listMultipartUploads(b -> b.bucket(BUCKET).delimiter(delimiter)
                    .maxUploads(pageSize).keyMarker(k).uploadIdMarker(u));
            assertThat(response.uploads().size() + response.commonPrefixes().size()).isLessThanOrEqualTo(pageSize);
            response.commonPrefixes().forEach(p -> seen.add(p.prefix()));
            response.uploads().forEach(x -> seen.add(x.key() + " " + x.uploadId()));
            if (!response.isTruncated()) {
                return seen;
            }
            keyMarker = response.nextKeyMarker();
            uploadIdMarker = response.nextUploadIdMarker();
        }
        throw new AssertionError("listing did not end");
    }

    @Test
    void uploadPartCopyFromSinglePartAndMultipartSourcesWithAndWithoutRanges() throws Exception {
        byte[] single = random(MIN_PART + 1000, 30);
        s3.putObject(b -> b.bucket(BUCKET).key("src/single"), RequestBody.fromBytes(single));
        byte[] m1 = random(MIN_PART, 31);
        byte[] m2 = random(MIN_PART, 32);
        String source = create("src/multi", b -> { });
        complete("src/multi", source, List.of(upload("src/multi", source, 1, m1), upload("src/multi", source, 2, m2)));
        byte[] multi = concat(m1, m2);

        String uploadId = create("assembled", b -> { });
        var whole = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("src/single").destinationBucket(BUCKET)
                .destinationKey("assembled").uploadId(uploadId).partNumber(1));
        assertThat(whole.copyPartResult().eTag()).isEqualTo("\"" + hex(md5(single)) + "\"");
        // A range across the source's part boundary.
        int from = MIN_PART - 100_000;
        int to = from + MIN_PART + 9;
        var ranged = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("src/multi").destinationBucket(BUCKET)
                .destinationKey("assembled").uploadId(uploadId).partNumber(2).copySourceRange("bytes=" + from + "-" + to));
        byte[] rangedBytes = Arrays.copyOfRange(multi, from, to + 1);
        assertThat(ranged.copyPartResult().eTag()).isEqualTo("\"" + hex(md5(rangedBytes)) + "\"");
        var multiWhole = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("src/multi").destinationBucket(BUCKET)
                .destinationKey("assembled").uploadId(uploadId).partNumber(3));
        var smallRange = s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("src/single").destinationBucket(BUCKET)
                .destinationKey("assembled").uploadId(uploadId).partNumber(4).copySourceRange("bytes=10-19"));

        assertThat(s3.listParts(b -> b.bucket(BUCKET).key("assembled").uploadId(uploadId)).parts()).extracting(Part::size)
                .containsExactly((long) single.length, (long) rangedBytes.length, (long) multi.length, 10L);
        complete("assembled", uploadId, List.of(part(1, whole.copyPartResult().eTag()), part(2, ranged.copyPartResult().eTag()),
                part(3, multiWhole.copyPartResult().eTag()), part(4, smallRange.copyPartResult().eTag())));
        assertThat(get("assembled")).isEqualTo(concat(single, rangedBytes, multi, Arrays.copyOfRange(single, 10, 20)));

        String another = create("assembled2", b -> { });
        for (String badRange : List.of("bytes=0-" + single.length, "bytes=5-4", "bytes=-5", "0-10")) {
            assertS3Error(() -> s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("src/single").destinationBucket(BUCKET)
                    .destinationKey("assembled2").uploadId(another).partNumber(1).copySourceRange(badRange)), 400, "InvalidArgument");
        }
        assertS3Error(() -> s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("src/none").destinationBucket(BUCKET)
                .destinationKey("assembled2").uploadId(another).partNumber(1)), 404, "NoSuchKey");
        assertS3Error(() -> s3.uploadPartCopy(b -> b.sourceBucket(BUCKET).sourceKey("src/single").destinationBucket(BUCKET)
                .destinationKey("assembled2").uploadId(another).partNumber(1).copySourceIfMatch("\"0123\"")), 412, "PreconditionFailed");
    }

    @Test
    void compositeCrc32ChecksumIsTheCrcOfThePartCrcs() {
        byte[] p1 = random(MIN_PART, 40);
        byte[] p2 = random(3 * MIB + 5, 41);
        var created = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("composite").checksumAlgorithm(ChecksumAlgorithm.CRC32));
        assertThat(created.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
        assertThat(created.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        String uploadId = created.uploadId();
        UploadPartResponse r1 = s3.uploadPart(b -> b.bucket(BUCKET).key("composite").uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(p1));
        UploadPartResponse r2 = s3.uploadPart(b -> b.bucket(BUCKET).key("composite").uploadId(uploadId).partNumber(2)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(p2));
        assertThat(r1.checksumCRC32()).isEqualTo(base64(crc32(p1)));
        assertThat(r2.checksumCRC32()).isEqualTo(base64(crc32(p2)));
        var listed = s3.listParts(b -> b.bucket(BUCKET).key("composite").uploadId(uploadId));
        assertThat(listed.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32);
        assertThat(listed.parts()).extracting(Part::checksumCRC32).containsExactly(r1.checksumCRC32(), r2.checksumCRC32());

        var done = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("composite").uploadId(uploadId)
                .multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(r1.eTag()).checksumCRC32(r1.checksumCRC32()).build(),
                        CompletedPart.builder().partNumber(2).eTag(r2.eTag()).checksumCRC32(r2.checksumCRC32()).build())));
        String expected = base64(crc32(concat(crc32(p1), crc32(p2)))) + "-2";
        assertThat(done.checksumCRC32()).isEqualTo(expected);
        assertThat(done.checksumType()).isEqualTo(ChecksumType.COMPOSITE);

        var got = s3.getObject(b -> b.bucket(BUCKET).key("composite").checksumMode(ChecksumMode.ENABLED), ResponseTransformer.toBytes());
        assertThat(got.asByteArray()).isEqualTo(concat(p1, p2));
        assertThat(got.response().checksumCRC32()).isEqualTo(expected);
        assertThat(got.response().checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        var head = s3.headObject(b -> b.bucket(BUCKET).key("composite").checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC32()).isEqualTo(expected);
        assertThat(head.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
    }

    @Test
    void fullObjectCrc32ChecksumIsTheCrcOfTheWholeObject() {
        byte[] p1 = random(MIN_PART + 3, 50);
        byte[] p2 = random(MIN_PART, 51);
        byte[] p3 = random(777_777, 52);
        String key = "full-crc32";
        var created = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32)
                .checksumType(ChecksumType.FULL_OBJECT));
        assertThat(created.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        String uploadId = created.uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int n = 1;
        for (byte[] p : List.of(p1, p2, p3)) {
            int number = n++;
            UploadPartResponse r = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(p));
            parts.add(CompletedPart.builder().partNumber(number).eTag(r.eTag()).checksumCRC32(r.checksumCRC32()).build());
        }
        var done = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        byte[] whole = concat(p1, p2, p3);
        String expected = base64(crc32(whole));
        assertThat(done.checksumCRC32()).isEqualTo(expected);
        assertThat(done.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);

        // The SDK validates a full-object checksum against the body it receives.
        var got = s3.getObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED), ResponseTransformer.toBytes());
        assertThat(got.asByteArray()).isEqualTo(whole);
        assertThat(got.response().checksumCRC32()).isEqualTo(expected);
        assertThat(got.response().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        var head = s3.headObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC32()).isEqualTo(expected);
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    }

    @Test
    void fullObjectCrc64NvmeChecksumIsTheCrcOfTheWholeObject() {
        byte[] p1 = random(MIN_PART, 60);
        byte[] p2 = random(MIB + 1, 61);
        String key = "full-crc64";
        // CRC64NVME is full-object only: it is the default type.
        var created = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME));
        assertThat(created.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        String uploadId = created.uploadId();
        UploadPartResponse r1 = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME), RequestBody.fromBytes(p1));
        UploadPartResponse r2 = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2)
                .checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME), RequestBody.fromBytes(p2));
        assertThat(r1.checksumCRC64NVME()).isEqualTo(crc64Nvme(p1));
        var done = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(r1.eTag()).checksumCRC64NVME(r1.checksumCRC64NVME()).build(),
                CompletedPart.builder().partNumber(2).eTag(r2.eTag()).checksumCRC64NVME(r2.checksumCRC64NVME()).build())));
        byte[] whole = concat(p1, p2);
        String expected = crc64Nvme(whole);
        assertThat(done.checksumCRC64NVME()).isEqualTo(expected);
        assertThat(done.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        var got = s3.getObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED), ResponseTransformer.toBytes());
        assertThat(got.asByteArray()).isEqualTo(whole);
        assertThat(got.response().checksumCRC64NVME()).isEqualTo(expected);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED)).checksumCRC64NVME())
                .isEqualTo(expected);
        // A single-part upload of the same bytes has the same checksum.
        var put = s3.putObject(b -> b.bucket(BUCKET).key(key + "-single").checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME),
                RequestBody.fromBytes(whole));
        assertThat(put.checksumCRC64NVME()).isEqualTo(expected);
    }

    @Test
    void completionChecksTheChecksumsTheClientSends() {
        byte[] p1 = random(MIN_PART, 65);
        byte[] p2 = random(4321, 66);
        String key = "claimed";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32)
                .checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        UploadPartResponse r1 = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(p1));
        UploadPartResponse r2 = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(2)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(p2));
        CompletedPart c1 = CompletedPart.builder().partNumber(1).eTag(r1.eTag()).checksumCRC32(r1.checksumCRC32()).build();
        CompletedPart c2 = CompletedPart.builder().partNumber(2).eTag(r2.eTag()).checksumCRC32(r2.checksumCRC32()).build();
        String expected = base64(crc32(concat(p1, p2)));

        CompletedPart wrongPartSum = c1.toBuilder().checksumCRC32(r2.checksumCRC32()).build();
        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(wrongPartSum, c2))), 400, "InvalidPart");
        assertS3Error(() -> s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(c1, c2)).checksumCRC32(base64(crc32(p1)))), 400, "BadDigest");
        // The x-amz-checksum-crc32 of a completion is the object's, not the request document's.
        var done = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(c1, c2)).checksumCRC32(expected).checksumType(ChecksumType.FULL_OBJECT));
        assertThat(done.checksumCRC32()).isEqualTo(expected);
        assertThat(get(key)).isEqualTo(concat(p1, p2));

        String compositeId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("claimed-composite")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        UploadPartResponse only = s3.uploadPart(b -> b.bucket(BUCKET).key("claimed-composite").uploadId(compositeId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(p2));
        String composite = base64(crc32(crc32(p2))) + "-1";
        var compositeDone = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("claimed-composite").uploadId(compositeId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(only.eTag())
                        .checksumCRC32(only.checksumCRC32()).build())).checksumCRC32(composite));
        assertThat(compositeDone.checksumCRC32()).isEqualTo(composite);
    }

    @Test
    void asyncMultipartClientSendsTheFullObjectChecksumItWasGiven() throws Exception {
        byte[] data = random(12 * MIB + 5, 67);
        String expected = base64(crc32(data));
        try (S3AsyncClient async = multipartAsyncClient()) {
            var put = async.putObject(b -> b.bucket(BUCKET).key("async/claimed").checksumCRC32(expected),
                    AsyncRequestBody.fromBytes(data)).get(120, TimeUnit.SECONDS);
            assertThat(put.eTag()).matches("\"[0-9a-f]{32}-2\"");
            assertThat(put.checksumCRC32()).isEqualTo(expected);
        }
        var head = s3.headObject(b -> b.bucket(BUCKET).key("async/claimed").checksumMode(ChecksumMode.ENABLED));
        assertThat(head.checksumCRC32()).isEqualTo(expected);
        assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    }

    @Test
    void partsMustUseTheUploadsChecksumAlgorithm() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("algo").checksumAlgorithm(ChecksumAlgorithm.SHA256))
                .uploadId();
        assertS3Error(() -> s3.uploadPart(b -> b.bucket(BUCKET).key("algo").uploadId(uploadId).partNumber(1)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(random(100, 70))), 400, "InvalidRequest");
        assertS3Error(() -> s3.createMultipartUpload(b -> b.bucket(BUCKET).key("algo2").checksumAlgorithm(ChecksumAlgorithm.SHA256)
                .checksumType(ChecksumType.FULL_OBJECT)), 400, "InvalidRequest");
    }

    @Test
    void asyncMultipartClientUploadsAndDownloadsFortyMebibytes() throws Exception {
        byte[] data = random(40 * MIB, 80);
        try (S3AsyncClient async = multipartAsyncClient()) {
            var put = async.putObject(b -> b.bucket(BUCKET).key("async/forty"), AsyncRequestBody.fromBytes(data)).get(120, TimeUnit.SECONDS);
            assertThat(put.eTag()).matches("\"[0-9a-f]{32}-5\"");
            byte[] back = async.getObject(b -> b.bucket(BUCKET).key("async/forty"), AsyncResponseTransformer.toBytes())
                    .get(120, TimeUnit.SECONDS).asByteArray();
            assertThat(back).isEqualTo(data);
            var head = s3.headObject(b -> b.bucket(BUCKET).key("async/forty"));
            assertThat(head.contentLength()).isEqualTo(data.length);
            assertThat(head.eTag()).isEqualTo(put.eTag());
        }
        assertThat(get("async/forty")).isEqualTo(data);
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
    }

    @Test
    void boto3ManagedTransfersUseMultipartForUploadDownloadAndCopy() throws Exception {
        byte[] data = random(13 * MIB + 321, 90);
        Path source = temp.resolve("upload.bin");
        Files.write(source, data);
        Path back = temp.resolve("download.bin");
        Path script = temp.resolve("transfer.py");
        Files.writeString(script, """
                import sys, boto3
                from boto3.s3.transfer import TransferConfig
                endpoint, bucket, source, target = sys.argv[1:5]
                s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
                config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024,
                                        max_concurrency=4)
                s3.upload_file(source, bucket, "boto/upload.bin", Config=config)
                head = s3.head_object(Bucket=bucket, Key="boto/upload.bin")
                print("ETAG", head["ETag"])
                print("LENGTH", head["ContentLength"])
                s3.download_file(bucket, "boto/upload.bin", target, Config=config)
                s3.copy({"Bucket": bucket, "Key": "boto/upload.bin"}, bucket, "boto/copy.bin", Config=config)
                print("COPY", s3.head_object(Bucket=bucket, Key="boto/copy.bin")["ETag"])
                """);
        ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), coffer.endpoint.toString(), BUCKET, source.toString(),
                back.toString()).directory(temp.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", S3Gateway.ROOT_ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Gateway.ROOT_SECRET);
        env.put("AWS_CONFIG_FILE", temp.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", temp.resolve("no-aws-credentials").toString());
        env.put("AWS_MAX_ATTEMPTS", "1");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("ETAG \"[0-9a-f]{32}-3\"").contains("LENGTH " + data.length);
        assertThat(Files.readAllBytes(back)).isEqualTo(data);
        assertThat(get("boto/upload.bin")).isEqualTo(data);
        // A managed copy above the threshold is UploadPartCopy with source ranges.
        assertThat(output).containsPattern("COPY \"[0-9a-f]{32}-3\"");
        assertThat(get("boto/copy.bin")).isEqualTo(data);
    }

    /** The SDK's own multipart client on Netty: objects above 8 MiB go up in 8 MiB parts and come down by part. */
    private S3AsyncClient multipartAsyncClient() {
        return S3AsyncClient.builder().endpointOverride(coffer.endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Gateway.ROOT_ACCESS_KEY,
                        S3Gateway.ROOT_SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .multipartEnabled(true)
                .multipartConfiguration(MultipartConfiguration.builder().thresholdInBytes(8L * MIB)
                        .minimumPartSizeInBytes(8L * MIB).build())
                .build();
    }

    private String create(String key, Consumer<software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest.Builder> more) {
        return s3.createMultipartUpload(b -> {
            b.bucket(BUCKET).key(key);
            more.accept(b);
        }).uploadId();
    }

    private CompletedPart upload(String key, String uploadId, int partNumber, byte[] data) {
        String etag = s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(partNumber),
                RequestBody.fromBytes(data)).eTag();
        return part(partNumber, etag);
    }

    private CompleteMultipartUploadResponse complete(String key, String uploadId, List<CompletedPart> parts) {
        return s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    private byte[] get(String key) {
        return s3.getObject(b -> b.bucket(BUCKET).key(key), ResponseTransformer.toBytes()).asByteArray();
    }

    static CompletedPart part(int number, String etag) {
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    static void assertS3Error(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
            if (code != null) {
                assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
            }
        });
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** CRC32 as S3 writes it: four big-endian bytes. */
    static byte[] crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    }

    static String crc64Nvme(byte[] data) {
        SdkChecksum checksum = SdkChecksum.forAlgorithm(DefaultChecksumAlgorithm.CRC64NVME);
        checksum.update(data, 0, data.length);
        return base64(checksum.getChecksumBytes());
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.coffer.gateway.s3;

import static dev.coffer.gateway.s3.S3MultipartIT.assertS3Error;
import static dev.coffer.gateway.s3.S3MultipartIT.concat;
import static dev.coffer.gateway.s3.S3MultipartIT.hex;
import static dev.coffer.gateway.s3.S3MultipartIT.md5;
import static dev.coffer.gateway.s3.S3MultipartIT.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** CopyObject and the object listings (V1 and V2) through the AWS SDK v2 against the real edge port. */
class S3CopyAndListIT {
    static final String BUCKET = "copies";
    /** S3 lists keys in UTF-8 byte order, which differs from String order above U+FFFF. */
    static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
            b.getBytes(StandardCharsets.UTF_8));

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
    void copyKeepsMetadataUnlessTheDirectiveReplacesIt() {
        byte[] data = random(70_000, 1);
        String etag = s3.putObject(b -> b.bucket(BUCKET).key("src").contentType("text/plain").metadata(Map.of("color", "blue"))
                .cacheControl("max-age=5").contentDisposition("inline"), RequestBody.fromBytes(data)).eTag();

        var copied = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("src").destinationBucket(BUCKET).destinationKey("kept"));
        assertThat(copied.copyObjectResult().eTag()).isEqualTo(etag);
        var kept = s3.headObject(b -> b.bucket(BUCKET).key("kept"));
        assertThat(kept.contentType()).isEqualTo("text/plain");
        assertThat(kept.metadata()).isEqualTo(Map.of("color", "blue"));
        assertThat(kept.cacheControl()).isEqualTo("max-age=5");
        assertThat(kept.contentDisposition()).isEqualTo("inline");
        assertThat(get(BUCKET, "kept")).isEqualTo(data);

        // COPY ignores the metadata sent with the request.
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("src").destinationBucket(BUCKET).destinationKey("kept2")
                .metadataDirective(MetadataDirective.COPY).contentType("application/json").metadata(Map.of("ignored", "yes")));
        var kept2 = s3.headObject(b -> b.bucket(BUCKET).key("kept2"));
        assertThat(kept2.contentType()).isEqualTo("text/plain");
        assertThat(kept2.metadata()).isEqualTo(Map.of("color", "blue"));

        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("src").destinationBucket(BUCKET).destinationKey("replaced")
                .metadataDirective(MetadataDirective.REPLACE).contentType("application/json").metadata(Map.of("size", "large")));
        var replaced = s3.headObject(b -> b.bucket(BUCKET).key("replaced"));
        assertThat(replaced.contentType()).isEqualTo("application/json");
        assertThat(replaced.metadata()).isEqualTo(Map.of("size", "large"));
        assertThat(replaced.cacheControl()).isNull();
        assertThat(replaced.eTag()).isEqualTo(etag);
        assertThat(get(BUCKET, "replaced")).isEqualTo(data);

        // The source's full-object checksum (the SDK sends CRC32 by default) is the copy's; another one can be asked for.
        String sourceCrc = s3.headObject(b -> b.bucket(BUCKET).key("src").checksumMode(ChecksumMode.ENABLED)).checksumCRC32();
        assertThat(sourceCrc).isEqualTo(S3MultipartIT.base64(S3MultipartIT.crc32(data)));
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("kept").checksumMode(ChecksumMode.ENABLED)).checksumCRC32())
                .isEqualTo(sourceCrc);
        var sha = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("src").destinationBucket(BUCKET).destinationKey("sha")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256));
        String expectedSha = java.util.Base64.getEncoder().encodeToString(sha256(data));
        assertThat(sha.copyObjectResult().checksumSHA256()).isEqualTo(expectedSha);
        var shaGot = s3.getObject(b -> b.bucket(BUCKET).key("sha").checksumMode(ChecksumMode.ENABLED), ResponseTransformer.toBytes());
        assertThat(shaGot.response().checksumSHA256()).isEqualTo(expectedSha);
        assertThat(shaGot.asByteArray()).isEqualTo(data);
    }

    static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void copyOntoItselfMustReplaceSomething() {
        s3.putObject(b -> b.bucket(BUCKET).key("self").metadata(Map.of("v", "1")), RequestBody.fromString("same bytes"));
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("self").destinationBucket(BUCKET)
                .destinationKey("self")), 400, "InvalidRequest");
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("self").destinationBucket(BUCKET)
                .destinationKey("self").metadataDirective(MetadataDirective.COPY)), 400, "InvalidRequest");
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("self").destinationBucket(BUCKET).destinationKey("self")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("v", "2")).contentType("text/x-new"));
        var head = s3.headObject(b -> b.bucket(BUCKET).key("self"));
        assertThat(head.metadata()).isEqualTo(Map.of("v", "2"));
        assertThat(head.contentType()).isEqualTo("text/x-new");
        assertThat(new String(get(BUCKET, "self"), StandardCharsets.UTF_8)).isEqualTo("same bytes");
    }

    @Test
    void copySourceConditionsFailWith412() {
        s3.putObject(b -> b.bucket(BUCKET).key("cond"), RequestBody.fromString("conditional"));
        var head = s3.headObject(b -> b.bucket(BUCKET).key("cond"));
        String etag = head.eTag();
        Instant modified = head.lastModified();
        Instant hourBefore = modified.minus(Duration.ofHours(1));

        assertS3Error(() -> copy("cond", "c1", b -> b.copySourceIfMatch("\"0123456789abcdef0123456789abcdef\"")), 412, "PreconditionFailed");
        assertS3Error(() -> copy("cond", "c2", b -> b.copySourceIfNoneMatch(etag)), 412, "PreconditionFailed");
        assertS3Error(() -> copy("cond", "c3", b -> b.copySourceIfModifiedSince(modified)), 412, "PreconditionFailed");
        assertS3Error(() -> copy("cond", "c4", b -> b.copySourceIfUnmodifiedSince(hourBefore)), 412, "PreconditionFailed");
        assertS3Error(() -> s3.headObject(b -> b.bucket(BUCKET).key("c1")), 404, null);

        copy("cond", "ok1", b -> b.copySourceIfMatch(etag));
        copy("cond", "ok2", b -> b.copySourceIfNoneMatch("\"0123456789abcdef0123456789abcdef\""));
        copy("cond", "ok3", b -> b.copySourceIfModifiedSince(hourBefore));
        copy("cond", "ok4", b -> b.copySourceIfUnmodifiedSince(modified));
        // If-Match holding wins over If-Unmodified-Since failing, as in S3.
        copy("cond", "ok5", b -> b.copySourceIfMatch(etag).copySourceIfUnmodifiedSince(hourBefore));
        for (String key : List.of("ok1", "ok2", "ok3", "ok4", "ok5")) {
            assertThat(new String(get(BUCKET, key), StandardCharsets.UTF_8)).isEqualTo("conditional");
        }
    }

    @Test
    void copyOfAMultipartObjectIsASinglePartObject() {
        byte[] p1 = random(5 * 1024 * 1024, 2);
        byte[] p2 = random(1000, 3);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("multi")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(BUCKET).key("multi").uploadId(uploadId).partNumber(1), RequestBody.fromBytes(p1)).eTag();
        String e2 = s3.uploadPart(b -> b.bucket(BUCKET).key("multi").uploadId(uploadId).partNumber(2), RequestBody.fromBytes(p2)).eTag();
        s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("multi").uploadId(uploadId).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
        byte[] whole = concat(p1, p2);

        var copied = s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("multi").destinationBucket(BUCKET).destinationKey("flat"));
        assertThat(copied.copyObjectResult().eTag()).isEqualTo("\"" + hex(md5(whole)) + "\"");
        var head = s3.headObject(b -> b.bucket(BUCKET).key("flat"));
        assertThat(head.eTag()).isEqualTo(copied.copyObjectResult().eTag());
        assertThat(head.partsCount()).isNull();
        assertThat(get(BUCKET, "flat")).isEqualTo(whole);
    }

    @Test
    void copyAcrossBucketsAndFromMissingSources() {
        s3.createBucket(b -> b.bucket("elsewhere"));
        String key = "dir/a b+c%d ü😀.txt";
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("travels"));
        s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(key).destinationBucket("elsewhere").destinationKey(key));
        assertThat(new String(get("elsewhere", key), StandardCharsets.UTF_8)).isEqualTo("travels");

        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey("no-such-key").destinationBucket(BUCKET)
                .destinationKey("x")), 404, "NoSuchKey");
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket("no-such-bucket").sourceKey(key).destinationBucket(BUCKET)
                .destinationKey("x")), 404, "NoSuchBucket");
        assertS3Error(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(key).destinationBucket("no-such-bucket")
                .destinationKey("x")), 404, "NoSuchBucket");
    }

    @Test
    void listingsPageThroughThousandsOfKeysInUtf8Order() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            keys.add(String.format("flat-%04d", i));
        }
        for (int i = 0; i < 500; i++) {
            keys.add(String.format("dir-%03d/a", i));
            keys.add(String.format("dir-%03d/b", i));
        }
        // U+FF21 sorts before U+1D11E as UTF-16 does not, and a key that rolls up right after a plain key.
        keys.addAll(List.of("flat-0100\uFF21", "flat-0100\uD834\uDD1E", "flat-0100\u00E9", "flat-0750/child"));
        putAll("listing", keys);
        List<String> sorted = keys.stream().sorted(UTF8_ORDER).toList();

        List<List<S3Object>> pages = s3.listObjectsV2Paginator(b -> b.bucket("listing").maxKeys(1000)).stream()
                .map(ListObjectsV2Response::contents).toList();
        assertThat(pages).extracting(List::size).containsExactly(1000, 1000, keys.size() - 2000);
        assertThat(pages.stream().flatMap(List::stream).map(S3Object::key).toList()).containsExactlyElementsOf(sorted);
        // The SDK's default page size is the server's (1000); the paginator sees every key once.
        assertThat(s3.listObjectsV2Paginator(b -> b.bucket("listing")).contents().stream().map(S3Object::key).toList())
                .containsExactlyElementsOf(sorted);

        List<String> rolledUp = Stream.concat(keys.stream().filter(k -> !k.startsWith("dir-") && !k.contains("/")),
                Stream.of("flat-0750/")).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        for (int i = 0; i < 500; i++) {
            rolledUp.add(String.format("dir-%03d/", i));
        }
        rolledUp.sort(UTF8_ORDER);
        for (int pageSize : new int[] {1000, 250, 7}) {
            List<String> seen = new ArrayList<>();
            int pageCount = 0;
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket("listing").delimiter("/").maxKeys(pageSize))) {
                assertThat(page.keyCount()).isEqualTo(page.contents().size() + page.commonPrefixes().size());
                assertThat(page.keyCount()).isLessThanOrEqualTo(pageSize);
                seen.addAll(pageEntries(page.contents(), page.commonPrefixes()));
                pageCount++;
            }
            assertThat(seen).as("delimiter listing with max-keys %d", pageSize).containsExactlyElementsOf(rolledUp);
            assertThat(pageCount).isEqualTo((rolledUp.size() + pageSize - 1) / pageSize);
        }

        var afterFlat1000 = s3.listObjectsV2(b -> b.bucket("listing").startAfter("flat-1000").maxKeys(3));
        assertThat(afterFlat1000.contents()).extracting(S3Object::key).containsExactly("flat-1001", "flat-1002", "flat-1003");
        assertThat(afterFlat1000.startAfter()).isEqualTo("flat-1000");
        assertThat(afterFlat1000.isTruncated()).isTrue();
        var afterEverything = s3.listObjectsV2(b -> b.bucket("listing").startAfter("zzz"));
        assertThat(afterEverything.contents()).isEmpty();
        assertThat(afterEverything.isTruncated()).isFalse();

        // ListObjects (v1): NextMarker only with a delimiter; without one the client continues from the last key.
        assertThat(pagedV1("listing", null, 1000)).containsExactlyElementsOf(sorted);
        assertThat(pagedV1("listing", "/", 250)).containsExactlyElementsOf(rolledUp);
    }

    /** One page's keys and common prefixes in listing order. */
    private static List<String> pageEntries(List<S3Object> contents, List<CommonPrefix> prefixes) {
        return Stream.concat(contents.stream().map(S3Object::key), prefixes.stream().map(CommonPrefix::prefix)).sorted(UTF8_ORDER).toList();
    }

    private List<String> pagedV1(String bucket, String delimiter, int pageSize) {
        List<String> seen = new ArrayList<>();
        String marker = null;
        for (int page = 0; page < 1000; page++) {
            String from = marker;
            ListObjectsResponse response = s3.listObjects(b -> b.bucket(bucket).delimiter(delimiter).maxKeys(pageSize).marker(from));
            assertThat(response.marker()).isEqualTo(from == null ? "" : from);
            assertThat(response.contents().size() + response.commonPrefixes().size()).isLessThanOrEqualTo(pageSize);
            assertThat(response.contents()).allSatisfy(o -> assertThat(o.owner()).isNotNull());
            List<String> entries = pageEntries(response.contents(), response.commonPrefixes());
            seen.addAll(entries);
            if (!response.isTruncated()) {
                assertThat(response.nextMarker()).isNull();
                return seen;
            }
            if (delimiter == null) {
                assertThat(response.nextMarker()).isNull();
                marker = entries.getLast();
            } else {
                assertThat(response.nextMarker()).isEqualTo(entries.getLast());
                marker = response.nextMarker();
            }
        }
        throw new AssertionError("listing did not end");
    }

    @Test
    void fetchOwnerAddsOwnersToListObjectsV2() {
        putAll(BUCKET, List.of("o1", "o2"));
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).allSatisfy(o -> assertThat(o.owner()).isNull());
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).fetchOwner(false)).contents()).allSatisfy(o -> assertThat(o.owner()).isNull());
        var owned = s3.listObjectsV2(b -> b.bucket(BUCKET).fetchOwner(true)).contents();
        assertThat(owned).hasSize(2).allSatisfy(o -> assertThat(o.owner().id()).isNotBlank());
        assertThat(s3.listObjects(b -> b.bucket(BUCKET)).contents()).allSatisfy(o -> assertThat(o.owner().id()).isNotBlank());
    }

    @Test
    void urlEncodedListingsRoundTripAwkwardKeys() {
        List<String> keys = List.of("with space", "plus+sign", "a+b c%2Bd", "100%", "percent%20literal", "ünïcödé/ключ",
                "emoji😀/x", "amp&<tag>\"'", "tab\tkey", "new\nline", "carriage\rreturn", "ctrl\u0001key", "del\u007Fkey",
                "sp ace/inner key", "sp ace/inner+plus", "tilde~and*star", "question?mark#hash", "x\uFF21", "x\uD834\uDD1E");
        putAll(BUCKET, keys);
        List<String> sorted = keys.stream().sorted(UTF8_ORDER).toList();

        var v2 = s3.listObjectsV2(b -> b.bucket(BUCKET).encodingType(EncodingType.URL));
        assertThat(v2.encodingType()).isEqualTo(EncodingType.URL);
        assertThat(v2.contents()).extracting(S3Object::key).containsExactlyElementsOf(sorted);
        List<String> paged = s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).encodingType(EncodingType.URL).maxKeys(4))
                .contents().stream().map(S3Object::key).toList();
        assertThat(paged).containsExactlyElementsOf(sorted);

        var rolled = s3.listObjectsV2(b -> b.bucket(BUCKET).encodingType(EncodingType.URL).delimiter("/"));
        assertThat(rolled.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("emoji😀/", "sp ace/", "ünïcödé/");
        var inner = s3.listObjectsV2(b -> b.bucket(BUCKET).encodingType(EncodingType.URL).prefix("sp ace/").delimiter("/")
                .startAfter("sp ace/inner key"));
        assertThat(inner.prefix()).isEqualTo("sp ace/");
        assertThat(inner.startAfter()).isEqualTo("sp ace/inner key");
        assertThat(inner.contents()).extracting(S3Object::key).containsExactly("sp ace/inner+plus");

        var v1 = s3.listObjects(b -> b.bucket(BUCKET).encodingType(EncodingType.URL).marker("a+b c%2Bd").delimiter("/").maxKeys(2));
        assertThat(v1.marker()).isEqualTo("a+b c%2Bd");
        assertThat(v1.contents()).extracting(S3Object::key).containsExactly("amp&<tag>\"'", "carriage\rreturn");
        assertThat(v1.nextMarker()).isEqualTo("carriage\rreturn");

        // Not a character XML 1.0 cannot carry: CreateMultipartUpload echoes the key without encoding-type.
        String uploadKey = "uploads/a b+c%\tü";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(uploadKey)).uploadId();
        var uploads = s3.listMultipartUploads(b -> b.bucket(BUCKET).encodingType(EncodingType.URL).prefix("uploads/"));
        assertThat(uploads.uploads()).extracting(u -> u.key() + " " + u.uploadId()).containsExactly(uploadKey + " " + uploadId);
    }

    @Test
    void zeroMaxKeysAndUnmatchedPrefixesListNothing() {
        putAll(BUCKET, List.of("a", "b/c"));
        var zero = s3.listObjectsV2(b -> b.bucket(BUCKET).maxKeys(0));
        assertThat(zero.keyCount()).isZero();
        assertThat(zero.contents()).isEmpty();
        assertThat(zero.maxKeys()).isZero();
        assertThat(zero.isTruncated()).isFalse();
        var zeroV1 = s3.listObjects(b -> b.bucket(BUCKET).maxKeys(0));
        assertThat(zeroV1.contents()).isEmpty();
        assertThat(zeroV1.isTruncated()).isFalse();

        var nothing = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("nothing/").delimiter("/"));
        assertThat(nothing.keyCount()).isZero();
        assertThat(nothing.contents()).isEmpty();
        assertThat(nothing.commonPrefixes()).isEmpty();
        assertThat(nothing.isTruncated()).isFalse();
        assertThat(nothing.prefix()).isEqualTo("nothing/");
        assertThat(s3.listObjects(b -> b.bucket(BUCKET).prefix("b/c/")).contents()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("b/")).contents()).extracting(S3Object::key).containsExactly("b/c");
    }

    @Test
    void deleteObjectsAnswersEveryKeyUnlessQuiet() {
        List<String> quietKeys = List.of("q/1", "q/2 & <3>", "q/ü");
        List<String> verboseKeys = List.of("v/1", "v/2 & <3>", "v/ü");
        putAll(BUCKET, Stream.concat(quietKeys.stream(), verboseKeys.stream()).toList());

        var quiet = s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.quiet(true).objects(identifiers(quietKeys, "q/never"))));
        assertThat(quiet.deleted()).isEmpty();
        assertThat(quiet.errors()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("q/")).contents()).isEmpty();

        var verbose = s3.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.quiet(false).objects(identifiers(verboseKeys, "v/never"))));
        assertThat(verbose.errors()).isEmpty();
        assertThat(verbose.deleted()).extracting(DeletedObject::key).containsExactlyInAnyOrder("v/1", "v/2 & <3>", "v/ü", "v/never");
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).isEmpty();
    }

    private static List<ObjectIdentifier> identifiers(List<String> keys, String missing) {
        return Stream.concat(keys.stream(), Stream.of(missing)).map(k -> ObjectIdentifier.builder().key(k).build()).toList();
    }

    private void copy(String from, String to,
                      java.util.function.Consumer<software.amazon.awssdk.services.s3.model.CopyObjectRequest.Builder> more) {
        s3.copyObject(b -> {
            b.sourceBucket(BUCKET).sourceKey(from).destinationBucket(BUCKET).destinationKey(to);
            more.accept(b);
        });
    }

    private byte[] get(String bucket, String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asByteArray();
    }

    /** Puts a small object under each key (its own name as content), eight at a time; creates the bucket if needed. */
    private void putAll(String bucket, List<String> keys) {
        if (!bucket.equals(BUCKET)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        assertThat(new HashSet<>(keys)).hasSize(keys.size());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : keys) {
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } catch (Exception e) {
            throw new AssertionError("a put failed", e);
        } finally {
            pool.shutdownNow();
        }
    }
}

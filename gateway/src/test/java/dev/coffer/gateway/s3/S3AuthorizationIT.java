package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Who may do what on the real edge port: IAM users made through the IAM API with identity
 * policies, bucket policies set through the SDK, anonymous callers over plain java.net.http, and
 * aws:SecureTransport over the HTTPS port with a client that trusts only the development CA.
 */
class S3AuthorizationIT {
    @TempDir
    Path temp;
    S3Gateway coffer;
    S3Client root;

    private void start(boolean https) throws Exception {
        coffer = new S3Gateway(temp.resolve("data"), https);
        root = coffer.rootS3();
    }

    @AfterEach
    void stop() {
        if (root != null) {
            root.close();
        }
        if (coffer != null) {
            coffer.close();
        }
    }

    @Test
    void userAllowedToReadOneBucketReadsItAndIsDeniedEverythingElse() throws Exception {
        start(false);
        for (String bucket : List.of("granted", "other")) {
            root.createBucket(b -> b.bucket(bucket));
            put(root, bucket, "doc.txt", bucket);
        }
        S3Gateway.User reader = coffer.createUser("reader", Map.of("read-granted", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::granted"},
                  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::granted/*"}]}"""));

        try (S3Client s3 = coffer.s3(reader)) {
            assertThat(get(s3, "granted", "doc.txt")).isEqualTo("granted");
            assertThat(s3.listObjectsV2(b -> b.bucket("granted")).contents()).extracting(S3Object::key).containsExactly("doc.txt");
            s3.headBucket(b -> b.bucket("granted"));

            assertAccessDenied(() -> put(s3, "granted", "new.txt", "new"));
            assertAccessDenied(() -> s3.deleteObject(b -> b.bucket("granted").key("doc.txt")));
            assertAccessDenied(() -> s3.putBucketPolicy(b -> b.bucket("granted").policy(publicRead("granted", "*"))));
            assertAccessDenied(() -> get(s3, "other", "doc.txt"));
            assertAccessDenied(() -> s3.listObjectsV2(b -> b.bucket("other")));
            assertAccessDenied(s3::listBuckets);
        }
        assertThat(root.listObjectsV2(b -> b.bucket("granted")).contents()).extracting(S3Object::key).containsExactly("doc.txt");
        assertThat(get(root, "granted", "doc.txt")).isEqualTo("granted");

        try (IamClient iam = coffer.rootIam()) {
            iam.putUserPolicy(r -> r.userName("reader").policyName("list-all").policyDocument("""
                    {"Version":"2012-10-17","Statement":[
                      {"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"""));
        }
        try (S3Client s3 = coffer.s3(reader)) {
            assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).containsExactly("granted", "other");
        }
    }

    /** The home-directory policy of the AWS documentation, with the user's name as a policy variable. */
    @Test
    void prefixConditionLetsAUserListOnlyItsHomeDirectory() throws Exception {
        start(false);
        root.createBucket(b -> b.bucket("homes"));
        for (String key : List.of("home/alice/a.txt", "home/alice/docs/b.txt", "home/bob/c.txt", "shared.txt")) {
            put(root, "homes", key, key);
        }
        S3Gateway.User alice = coffer.createUser("alice", Map.of("home", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::homes",
                   "Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/","home/${aws:username}/*"]}}},
                  {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::homes/home/${aws:username}/*"}]}"""));

        try (S3Client s3 = coffer.s3(alice)) {
            assertThat(s3.listObjectsV2(b -> b.bucket("homes").prefix("home/alice/")).contents()).extracting(S3Object::key)
                    .containsExactly("home/alice/a.txt", "home/alice/docs/b.txt");
            assertThat(s3.listObjects(b -> b.bucket("homes").prefix("home/alice/docs/")).contents()).extracting(S3Object::key)
                    .containsExactly("home/alice/docs/b.txt");
            put(s3, "homes", "home/alice/new.txt", "mine");

            assertAccessDenied(() -> s3.listObjectsV2(b -> b.bucket("homes").prefix("home/bob/")));
            assertAccessDenied(() -> s3.listObjectsV2(b -> b.bucket("homes").prefix("home/")));
            assertAccessDenied(() -> s3.listObjectsV2(b -> b.bucket("homes")));
            assertAccessDenied(() -> s3.listObjectsV2(b -> b.bucket("homes").prefix("home/alice")));
            assertAccessDenied(() -> get(s3, "homes", "home/bob/c.txt"));
            assertAccessDenied(() -> put(s3, "homes", "home/bob/new.txt", "not mine"));
        }
    }

    @Test
    void explicitDenyInAnIdentityPolicyOrTheBucketPolicyBeatsAnAllow() throws Exception {
        start(false);
        root.createBucket(b -> b.bucket("vault"));
        put(root, "vault", "open.txt", "open");
        put(root, "vault", "secret/plan.txt", "plan");
        S3Gateway.User auditor = coffer.createUser("auditor", Map.of("all-but-secrets", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::vault","arn:aws:s3:::vault/*"]},
                  {"Effect":"Deny","Action":["s3:GetObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::vault/secret/*"}]}"""));
        root.putBucketPolicy(b -> b.bucket("vault").policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Deny","Principal":{"AWS":"%s"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::vault/frozen/*"}]}"""
                .formatted(auditor.arn())));

        try (S3Client s3 = coffer.s3(auditor)) {
            assertThat(get(s3, "vault", "open.txt")).isEqualTo("open");
            put(s3, "vault", "secret/new.txt", "the deny names GetObject and DeleteObject only");
            put(s3, "vault", "thawed/x.txt", "x");

            assertAccessDenied(() -> get(s3, "vault", "secret/plan.txt"));
            assertAccessDenied(() -> s3.deleteObject(b -> b.bucket("vault").key("secret/plan.txt")));
            assertAccessDenied(() -> put(s3, "vault", "frozen/x.txt", "x"));
        }
        put(root, "vault", "frozen/x.txt", "the bucket policy's deny names the auditor only");
        assertThat(get(root, "vault", "secret/plan.txt")).isEqualTo("plan");
    }

    @Test
    void wildcardsInObjectArnsMatchAcrossSlashesAndQuestionMarksMatchOneCharacter() throws Exception {
        start(false);
        List<String> keys = List.of("2026/summary-01.csv", "2026/q1/summary-02.csv", "2026/summary-1.csv",
                "2026/summary-01.csv.bak", "summary-01.csv");
        for (String bucket : List.of("reports-eu", "reports-us", "archive")) {
            root.createBucket(b -> b.bucket(bucket));
            for (String key : keys) {
                put(root, bucket, key, bucket + "/" + key);
            }
        }
        S3Gateway.User analyst = coffer.createUser("analyst", Map.of("summaries", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports-*/*/summary-??.csv"}]}"""));

        try (S3Client s3 = coffer.s3(analyst)) {
            for (String bucket : List.of("reports-eu", "reports-us")) {
                assertThat(get(s3, bucket, "2026/summary-01.csv")).isEqualTo(bucket + "/2026/summary-01.csv");
                assertThat(get(s3, bucket, "2026/q1/summary-02.csv")).isEqualTo(bucket + "/2026/q1/summary-02.csv");
                assertAccessDenied(() -> get(s3, bucket, "2026/summary-1.csv"));
                assertAccessDenied(() -> get(s3, bucket, "2026/summary-01.csv.bak"));
                assertAccessDenied(() -> get(s3, bucket, "summary-01.csv"));
            }
            assertAccessDenied(() -> get(s3, "archive", "2026/summary-01.csv"));
        }
    }

    @Test
    void bucketPolicyRoundTripsAndMalformedPoliciesAreRefused() throws Exception {
        start(false);
        root.createBucket(b -> b.bucket("policed"));
        String policy = publicRead("policed", "public/*");

        assertS3Error(() -> root.getBucketPolicy(b -> b.bucket("policed")), 404, "NoSuchBucketPolicy");
        root.putBucketPolicy(b -> b.bucket("policed").policy(policy));
        assertThat(root.getBucketPolicy(b -> b.bucket("policed")).policy()).isEqualTo(policy);

        assertS3Error(() -> root.putBucketPolicy(b -> b.bucket("policed").policy("{\"Version\":\"2012-10-17\",\"Statement\":[")),
                400, "MalformedPolicy");
        assertS3Error(() -> root.putBucketPolicy(b -> b.bucket("policed").policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::policed/*"}]}""")),
                400, "MalformedPolicy");
        assertThat(root.getBucketPolicy(b -> b.bucket("policed")).policy()).as("a refused policy leaves the old one").isEqualTo(policy);

        root.deleteBucketPolicy(b -> b.bucket("policed"));
        assertS3Error(() -> root.getBucketPolicy(b -> b.bucket("policed")), 404, "NoSuchBucketPolicy");
        root.deleteBucketPolicy(b -> b.bucket("policed"));
    }

    @Test
    void anonymousCallersGetOnlyWhatABucketPolicyGivesEveryone() throws Exception {
        start(false);
        root.createBucket(b -> b.bucket("site"));
        put(root, "site", "public/x", "public x");
        put(root, "site", "private/y", "private y");
        HttpResponse<String> beforePolicy = anonymous("GET", "/site/public/x");
        HttpResponse<String> noSuchBucket = anonymous("GET", "/no-such-site/public/x");
        HttpResponse<String> listBeforePolicy = anonymous("GET", "/site");
        HttpResponse<String> listNoSuchBucket = anonymous("GET", "/no-such-site");
        HttpResponse<String> deleteObjectsBeforePolicy = anonymousDeleteObjects("/site?delete", "public/x");
        HttpResponse<String> deleteObjectsNoSuchBucket = anonymousDeleteObjects("/no-such-site?delete", "public/x");

        root.putBucketPolicy(b -> b.bucket("site").policy(publicRead("site", "public/*")));
        HttpResponse<String> publicObject = anonymous("GET", "/site/public/x");
        HttpResponse<String> privateObject = anonymous("GET", "/site/private/y");
        HttpResponse<String> upload = anonymous("PUT", "/site/public/z");
        HttpResponse<String> delete = anonymous("DELETE", "/site/public/x");

        assertThat(publicObject.statusCode()).isEqualTo(200);
        assertThat(publicObject.body()).isEqualTo("public x");
        for (HttpResponse<String> denied : List.of(beforePolicy, privateObject, upload, delete)) {
            assertAccessDeniedXml(denied);
        }
        for (List<HttpResponse<String>> existingThenMissing : List.of(List.of(beforePolicy, noSuchBucket),
                List.of(listBeforePolicy, listNoSuchBucket), List.of(deleteObjectsBeforePolicy, deleteObjectsNoSuchBucket))) {
            HttpResponse<String> existing = existingThenMissing.get(0);
            HttpResponse<String> missing = existingThenMissing.get(1);
            assertAccessDeniedXml(existing);
            assertAccessDeniedXml(missing);
            assertThat(errorElement(missing.body(), "Message")).isEqualTo(errorElement(existing.body(), "Message"));
            assertThat(missing.body()).doesNotContain("BucketName", "NoSuchBucket");
        }
        assertThat(root.listObjectsV2(b -> b.bucket("site")).contents()).extracting(S3Object::key)
                .containsExactly("private/y", "public/x");
    }

    /**
     * As in AWS, a caller who may read objects but not list the bucket cannot tell a missing key
     * from a forbidden one: GetObject and HeadObject answer 403, not 404, unless s3:ListBucket is allowed.
     */
    @Test
    void missingKeyIsAccessDeniedToCallersWhoMayNotListTheBucket() throws Exception {
        start(false);
        root.createBucket(b -> b.bucket("keys"));
        put(root, "keys", "present", "here");
        S3Gateway.User getter = coffer.createUser("getter", Map.of("get", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::keys/*"}]}"""));
        S3Gateway.User lister = coffer.createUser("lister", Map.of("get-and-list", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::keys/*"},
                  {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::keys"}]}"""));

        try (S3Client s3 = coffer.s3(getter)) {
            assertThat(get(s3, "keys", "present")).isEqualTo("here");
            assertAccessDenied(() -> get(s3, "keys", "absent"));
            assertS3Error(() -> s3.headObject(b -> b.bucket("keys").key("absent")), 403, null);
        }
        try (S3Client s3 = coffer.s3(lister)) {
            assertS3Error(() -> get(s3, "keys", "absent"), 404, "NoSuchKey");
            assertS3Error(() -> s3.headObject(b -> b.bucket("keys").key("absent")), 404, null);
        }
        assertS3Error(() -> get(root, "keys", "absent"), 404, "NoSuchKey");
        root.putBucketPolicy(b -> b.bucket("keys").policy(publicRead("keys", "*")));
        assertAccessDeniedXml(anonymous("GET", "/keys/absent"));
        assertThat(anonymous("GET", "/keys/present").body()).isEqualTo("here");
    }

    /** AWS's "deny unencrypted uploads" bucket policy (only its deny side: Coffer answers SSE headers NotImplemented). */
    @Test
    void bucketPolicyWithANullConditionDeniesUploadsWithoutServerSideEncryption() throws Exception {
        start(false);
        root.createBucket(b -> b.bucket("sealed"));
        root.createBucket(b -> b.bucket("source"));
        put(root, "sealed", "before.txt", "before the policy");
        put(root, "source", "a.txt", "a");
        root.putBucketPolicy(b -> b.bucket("sealed").policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Sid":"DenyUnencryptedUploads","Effect":"Deny","Principal":"*","Action":"s3:PutObject",
                   "Resource":"arn:aws:s3:::sealed/*",
                   "Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}]}"""));

        assertAccessDenied(() -> put(root, "sealed", "plain.txt", "plain"));
        assertAccessDenied(() -> root.copyObject(b -> b.sourceBucket("source").sourceKey("a.txt")
                .destinationBucket("sealed").destinationKey("copied.txt")));
        assertAccessDenied(() -> root.createMultipartUpload(b -> b.bucket("sealed").key("big.bin")));
        assertThat(get(root, "sealed", "before.txt")).isEqualTo("before the policy");
        assertThat(root.listObjectsV2(b -> b.bucket("sealed")).contents()).extracting(S3Object::key).containsExactly("before.txt");
    }

    /** AWS's recommended "deny plain HTTP" bucket policy, with the SDK client over HTTPS trusting only the development CA. */
    @Test
    void secureTransportConditionDeniesPlainHttpAndAllowsHttps() throws Exception {
        start(true);
        root.createBucket(b -> b.bucket("tls-only"));
        put(root, "tls-only", "doc.txt", "doc");
        root.putBucketPolicy(b -> b.bucket("tls-only").policy("""
                {"Version":"2012-10-17","Statement":[
                  {"Sid":"DenyPlainHttp","Effect":"Deny","Principal":"*","Action":"s3:*",
                   "Resource":["arn:aws:s3:::tls-only","arn:aws:s3:::tls-only/*"],
                   "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"""));

        assertAccessDenied(() -> get(root, "tls-only", "doc.txt"));
        assertAccessDenied(() -> put(root, "tls-only", "new.txt", "new"));
        assertAccessDenied(() -> root.listObjectsV2(b -> b.bucket("tls-only")));
        assertAccessDenied(() -> root.deleteBucketPolicy(b -> b.bucket("tls-only")));
        try (S3Client overHttps = coffer.rootS3OverHttps()) {
            assertThat(get(overHttps, "tls-only", "doc.txt")).isEqualTo("doc");
            put(overHttps, "tls-only", "new.txt", "new");
            assertThat(overHttps.listObjectsV2(b -> b.bucket("tls-only")).contents()).extracting(S3Object::key)
                    .containsExactly("doc.txt", "new.txt");
            overHttps.deleteBucketPolicy(b -> b.bucket("tls-only"));
        }
        assertThat(get(root, "tls-only", "new.txt")).isEqualTo("new");
    }

    @Test
    void deleteObjectsDeletesTheKeysThePolicyAllowsAndReportsTheOthersAccessDenied() throws Exception {
        start(false);
        root.createBucket(b -> b.bucket("scratch"));
        for (String key : List.of("tmp/a", "tmp/b/c", "keep/d", "tmpx")) {
            put(root, "scratch", key, key);
        }
        S3Gateway.User cleaner = coffer.createUser("cleaner", Map.of("clean-tmp", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::scratch/tmp/*"}]}"""));

        DeleteObjectsResponse result;
        try (S3Client s3 = coffer.s3(cleaner)) {
            result = s3.deleteObjects(b -> b.bucket("scratch").delete(d -> d.objects(
                    List.of("tmp/a", "tmp/b/c", "keep/d", "tmpx").stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList())));
        }

        assertThat(result.deleted()).extracting(DeletedObject::key).containsExactlyInAnyOrder("tmp/a", "tmp/b/c");
        assertThat(result.errors()).extracting(S3Error::key).containsExactlyInAnyOrder("keep/d", "tmpx");
        assertThat(result.errors()).extracting(S3Error::code).containsOnly("AccessDenied");
        assertThat(root.listObjectsV2(b -> b.bucket("scratch")).contents()).extracting(S3Object::key)
                .containsExactly("keep/d", "tmpx");
    }

    /** CopyObject needs s3:GetObject on the source as well as s3:PutObject on the destination: a copy cannot launder a read. */
    @Test
    void copyNeedsReadOnTheSourceAsWellAsWriteOnTheDestination() throws Exception {
        start(false);
        for (String bucket : List.of("inbox", "readable", "hidden")) {
            root.createBucket(b -> b.bucket(bucket));
            put(root, bucket, "src.txt", bucket);
        }
        S3Gateway.User copier = coffer.createUser("copier", Map.of("copy-into-inbox", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::inbox/*"},
                  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::readable/*"}]}"""));

        try (S3Client s3 = coffer.s3(copier)) {
            s3.copyObject(b -> b.sourceBucket("readable").sourceKey("src.txt").destinationBucket("inbox").destinationKey("copied.txt"));
            assertAccessDenied(() -> s3.copyObject(b -> b.sourceBucket("hidden").sourceKey("src.txt")
                    .destinationBucket("inbox").destinationKey("stolen.txt")));
            assertAccessDenied(() -> s3.copyObject(b -> b.sourceBucket("readable").sourceKey("src.txt")
                    .destinationBucket("hidden").destinationKey("planted.txt")));
        }
        assertThat(get(root, "inbox", "copied.txt")).isEqualTo("readable");
        assertThat(root.listObjectsV2(b -> b.bucket("inbox")).contents()).extracting(S3Object::key)
                .containsExactly("copied.txt", "src.txt");
        assertThat(root.listObjectsV2(b -> b.bucket("hidden")).contents()).extracting(S3Object::key).containsExactly("src.txt");
    }

    /** A presigned URL carries its signer's rights and no more, and s3:authType tells it apart from a signed header. */
    @Test
    void presignedUrlsCarryTheirSignersRightsOnly() throws Exception {
        start(false);
        root.createBucket(b -> b.bucket("links"));
        put(root, "links", "open.txt", "open");
        put(root, "links", "header-only.txt", "header only");
        put(root, "links", "other.txt", "other");
        S3Gateway.User linker = coffer.createUser("linker", Map.of("links", """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::links/open.txt","arn:aws:s3:::links/header-only.txt"]},
                  {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::links/header-only.txt",
                   "Condition":{"StringEquals":{"s3:authType":"REST-QUERY-STRING"}}}]}"""));

        try (S3Presigner presigner = coffer.presigner(linker.accessKeyId(), linker.secret());
             S3Client s3 = coffer.s3(linker)) {
            HttpResponse<String> open = send("GET", presignedGet(presigner, "links", "open.txt"));
            HttpResponse<String> headerOnly = send("GET", presignedGet(presigner, "links", "header-only.txt"));
            HttpResponse<String> other = send("GET", presignedGet(presigner, "links", "other.txt"));
            HttpResponse<String> upload = send("PUT", presigner.presignPutObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(b -> b.bucket("links").key("open.txt"))).url().toURI());

            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.body()).isEqualTo("open");
            assertAccessDeniedXml(headerOnly);
            assertAccessDeniedXml(other);
            assertAccessDeniedXml(upload);
            assertThat(get(s3, "links", "header-only.txt")).isEqualTo("header only");
        }
        assertThat(get(root, "links", "open.txt")).isEqualTo("open");
    }

    private static URI presignedGet(S3Presigner presigner, String bucket, String key) throws Exception {
        return presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(b -> b.bucket(bucket).key(key))).url().toURI();
    }

    private static String publicRead(String bucket, String keyPattern) {
        return """
                {"Version":"2012-10-17","Statement":[
                  {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/%s"}]}"""
                .formatted(bucket, keyPattern);
    }

    private static void put(S3Client s3, String bucket, String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private static String get(S3Client s3, String bucket, String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asUtf8String();
    }

    /** An unsigned request, as a browser or curl would send it. */
    private HttpResponse<String> anonymous(String method, String path) throws Exception {
        return send(method, URI.create(coffer.endpoint + path));
    }

    /** An unsigned DeleteObjects for one key, with the Content-MD5 it requires. */
    private HttpResponse<String> anonymousDeleteObjects(String pathAndQuery, String key) throws Exception {
        String document = "<Delete><Object><Key>" + key + "</Key></Object></Delete>";
        String md5 = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("MD5").digest(document.getBytes(StandardCharsets.UTF_8)));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(coffer.endpoint + pathAndQuery))
                    .header("Content-MD5", md5).POST(HttpRequest.BodyPublishers.ofString(document)).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A plain request to a URL (unsigned, or presigned), with a small body for PUT. */
    private static HttpResponse<String> send(String method, URI url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest.BodyPublisher body = method.equals("PUT")
                    ? HttpRequest.BodyPublishers.ofString("uploaded by url") : HttpRequest.BodyPublishers.noBody();
            HttpRequest request = HttpRequest.newBuilder(url).method(method, body).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static void assertAccessDeniedXml(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(errorElement(response.body(), "Code")).isEqualTo("AccessDenied");
    }

    private static String errorElement(String xml, String name) {
        int start = xml.indexOf("<" + name + ">");
        int end = xml.indexOf("</" + name + ">");
        assertThat(start).as("<%s> in %s", name, xml).isNotNegative();
        return xml.substring(start + name.length() + 2, end);
    }

    private static void assertAccessDenied(ThrowingCallable call) {
        assertS3Error(call, 403, "AccessDenied");
    }

    /** @param code the error code, or null for HEAD answers, which have no body */
    private static void assertS3Error(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
            if (code != null) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            }
        });
    }
}

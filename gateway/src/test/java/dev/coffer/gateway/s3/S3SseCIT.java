package dev.coffer.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** SSE-C through the AWS SDK v2 over HTTPS: round trips, ranges, and the key rules on reads. */
class S3SseCIT {
    @TempDir
    static Path dataDir;
    static S3Gateway gateway;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        gateway = new S3Gateway(dataDir, true);
        s3 = gateway.rootS3OverHttps();
        s3.createBucket(b -> b.bucket("ssec"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        gateway.close();
    }

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        new Random(seed).nextBytes(k);
        return k;
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static String md5(byte[] b) throws Exception {
        return b64(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test
    void roundTripsWithTheKeyAndRefusesWithoutOrWithAnother() throws Exception {
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        byte[] k = key(1);
        String kMd5 = md5(k);
        PutObjectResponse put = s3.putObject(r -> r.bucket("ssec").key("a").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(k)).sseCustomerKeyMD5(kMd5), RequestBody.fromBytes(data));
        assertThat(put.sseCustomerAlgorithm()).isEqualTo("AES256");
        assertThat(put.sseCustomerKeyMD5()).isEqualTo(kMd5);
        assertThat(put.eTag()).doesNotContain(hex(MessageDigest.getInstance("MD5").digest(data)));

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket("ssec").key("a").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(k)).sseCustomerKeyMD5(kMd5));
        assertThat(got.asByteArray()).isEqualTo(data);
        assertThat(got.response().sseCustomerAlgorithm()).isEqualTo("AES256");
        assertThat(got.response().contentLength()).isEqualTo(data.length);

        ResponseBytes<GetObjectResponse> range = s3.getObjectAsBytes(r -> r.bucket("ssec").key("a").range("bytes=65530-131080")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(k)).sseCustomerKeyMD5(kMd5));
        assertThat(range.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(data, 65530, 131081));

        HeadObjectResponse head = s3.headObject(r -> r.bucket("ssec").key("a").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(k)).sseCustomerKeyMD5(kMd5));
        assertThat(head.contentLength()).isEqualTo(data.length);

        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("ssec").key("a")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
                });
        byte[] other = key(2);
        String otherMd5 = md5(other);
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("ssec").key("a").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(other)).sseCustomerKeyMD5(otherMd5)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("ssec").key("a")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}

package dev.coffer.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The outcomes of {@link S3Reencryptor} and its checkpoint, against a scripted S3 client. */
class S3ReencryptorTest {
    @TempDir
    Path temp;

    /** Lists a, b, c, d; b is rewritten meanwhile (412), c fails (500), d is already SSE-S3. */
    private static final class Scripted implements S3Client {
        final Map<String, String> copiedWith = new ConcurrentHashMap<>();

        @Override
        public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
            List<S3Object> all = List.of("a", "b", "c", "d").stream()
                    .filter(k -> request.startAfter() == null || k.compareTo(request.startAfter()) > 0)
                    .map(k -> S3Object.builder().key(k).size(10L).eTag("\"" + k + "\"").build()).toList();
            return ListObjectsV2Response.builder().contents(all).isTruncated(false).build();
        }

        @Override
        public HeadObjectResponse headObject(HeadObjectRequest request) {
            HeadObjectResponse.Builder head = HeadObjectResponse.builder().contentLength(10L).eTag("\"" + request.key() + "\"");
            if (request.key().equals("d")) {
                head.serverSideEncryption(ServerSideEncryption.AES256);
            }
            return head.build();
        }

        @Override
        public CopyObjectResponse copyObject(CopyObjectRequest request) {
            switch (request.sourceKey()) {
                case "b" -> throw error(412, "PreconditionFailed");
                case "c" -> throw error(500, "InternalError");
                default -> {
                    copiedWith.put(request.sourceKey(), request.copySourceIfMatch() + " " + request.serverSideEncryptionAsString()
                            + " " + request.metadataDirectiveAsString());
                    return CopyObjectResponse.builder().build();
                }
            }
        }

        private static S3Exception error(int status, String code) {
            return (S3Exception) S3Exception.builder().statusCode(status)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("scripted").build()).build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public S3ServiceClientConfiguration serviceClientConfiguration() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    @Test
    void changedObjectsAreNotFailuresAndAFailureHoldsTheCheckpointBack() throws Exception {
        Scripted s3 = new Scripted();
        ReencryptCheckpoint checkpoint = ReencryptCheckpoint.in(temp, "bkt", "run-1");
        S3Reencryptor.Settings settings = new S3Reencryptor.Settings("bkt", null,
                new ReencryptTarget(ServerSideEncryption.AES256, null, false, "--sse"), 1, false, 0,
                S3Reencryptor.COPY_OBJECT_LIMIT, S3Reencryptor.DEFAULT_PART_BYTES);
        StringWriter err = new StringWriter();

        S3Reencryptor.Summary summary = new S3Reencryptor(s3, settings, null, checkpoint, new PrintWriter(err)).run(null, 0);

        assertThat(summary.reencrypted()).isEqualTo(1);
        assertThat(summary.changed()).isEqualTo(1);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.alreadyAsAsked()).isEqualTo(1);
        assertThat(summary.complete()).isTrue();
        assertThat(summary.failures()).singleElement().asString().startsWith("c: InternalError");
        assertThat(s3.copiedWith).containsExactly(Map.entry("a", "\"a\" AES256 COPY"));
        // a and b are behind the checkpoint; c failed, so a rerun starts at c.
        assertThat(checkpoint.load()).hasValueSatisfying(saved -> {
            assertThat(saved.afterKey()).isEqualTo("b");
            assertThat(saved.objects()).isEqualTo(2);
        });
        assertThat(err.toString()).contains("1 re-encrypted, 1 already as asked, 1 changed meanwhile, 0 SSE-C, 1 failed");
    }

    @Test
    void aStateFileOfAnotherRunIsNotUsedAndSavesAreAtomic() throws Exception {
        Path file = temp.resolve("state");
        ReencryptCheckpoint.at(file, "run-1").save("key with\nnewline and ü", 5);
        assertThat(ReencryptCheckpoint.at(file, "run-1").load()).hasValueSatisfying(saved ->
                assertThat(saved.afterKey()).isEqualTo("key with\nnewline and ü"));
        assertThatThrownBy(() -> ReencryptCheckpoint.at(file, "run-2").load())
                .isInstanceOf(CommandFailedException.class).hasMessageContaining("belongs to another run");
        assertThat(Files.list(temp)).containsExactly(file);

        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> ReencryptCheckpoint.at(file, "run-1").load())
                .isInstanceOf(CommandFailedException.class).hasMessageContaining("--restart");
        assertThat(ReencryptCheckpoint.at(temp.resolve("none"), "run-1").load()).isEmpty();
    }
}

package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Calls;
import dev.coffer.s3.ops.S3Handler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** GetBucketPolicy: the policy JSON as stored, or NoSuchBucketPolicy. */
public final class GetBucketPolicyHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        String policy = call.bucket().configurations().get(S3Calls.POLICY);
        if (policy == null) {
            throw new S3Exception(S3Error.NO_SUCH_BUCKET_POLICY).with("BucketName", call.bucket().name());
        }
        call.respondBytes(200, List.of(Map.entry("Content-Type", "application/json")), policy.getBytes(StandardCharsets.UTF_8));
    }
}

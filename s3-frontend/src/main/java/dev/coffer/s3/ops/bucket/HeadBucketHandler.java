package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import java.util.List;
import java.util.Map;

/** HeadBucket: the bucket exists and the caller may list it; says where it lives. */
public final class HeadBucketHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        call.respondEmpty(200, List.of(Map.entry("x-amz-bucket-region", call.bucket().region()),
                Map.entry("Content-Length", "0")));
    }
}

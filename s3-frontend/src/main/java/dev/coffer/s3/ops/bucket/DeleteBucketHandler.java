package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import java.util.List;

/** DeleteBucket: only an empty bucket (BucketNotEmpty otherwise); its unfinished uploads go with it. */
public final class DeleteBucketHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        try {
            call.store().deleteBucket(call.bucket().name());
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        call.respondEmpty(204, List.of());
    }
}

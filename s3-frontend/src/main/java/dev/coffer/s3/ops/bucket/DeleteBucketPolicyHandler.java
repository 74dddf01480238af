package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Calls;
import dev.coffer.s3.ops.S3Handler;
import java.util.List;
import java.util.Optional;

/** DeleteBucketPolicy: 204 whether or not there was one, as AWS answers. */
public final class DeleteBucketPolicyHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        try {
            call.store().setBucketConfiguration(call.bucket().name(), S3Calls.POLICY, Optional.empty());
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        call.respondEmpty(204, List.of());
    }
}

package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.sse.BucketEncryption;
import java.util.List;
import java.util.Optional;

/** DeleteBucketEncryption: 204, configured or not; the bucket is back to having no default encryption. */
public final class DeleteBucketEncryptionHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        try {
            call.store().setBucketConfiguration(call.bucket().name(), BucketEncryption.CONFIGURATION_KIND, Optional.empty());
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        call.respondEmpty(204, List.of());
    }
}

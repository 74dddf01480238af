package dev.coffer.s3.ops.object;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import java.util.List;

/** DeleteObject: 204 whether or not the key existed, as S3 answers in an unversioned bucket. */
public final class DeleteObjectHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        try {
            call.store().deleteObject(call.bucket().name(), call.request().key());
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        call.respondEmpty(204, List.of());
    }
}

package dev.coffer.s3.ops.multipart;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import java.util.List;

/** AbortMultipartUpload: the upload and its parts are gone (NoSuchUpload if it was not there). */
public final class AbortMultipartUploadHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        var upload = Uploads.require(call);
        try {
            call.store().abortUpload(call.bucket().name(), call.request().key(), upload.uploadId());
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        call.respondEmpty(204, List.of());
    }
}

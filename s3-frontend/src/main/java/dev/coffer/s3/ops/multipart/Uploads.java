package dev.coffer.s3.ops.multipart;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.UploadRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;

/** Finds the upload a part request names (uploadId), or NoSuchUpload. */
final class Uploads {
    private Uploads() {
    }

    static UploadRecord require(S3Call call) {
        String uploadId = call.request().param("uploadId");
        if (uploadId == null || uploadId.isEmpty()) {
            throw new S3Exception(S3Error.NO_SUCH_UPLOAD).with("UploadId", uploadId);
        }
        try {
            return call.store().upload(call.bucket().name(), call.request().key(), uploadId)
                    .orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_UPLOAD).with("UploadId", uploadId));
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
    }
}

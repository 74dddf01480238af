package dev.coffer.s3.ops;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;

/** Translates the engine's failures into S3's errors, once. */
public final class EngineErrors {
    private EngineErrors() {
    }

    public static S3Exception translate(EngineException e, S3Request request) {
        return switch (e.kind()) {
            case NO_SUCH_BUCKET -> new S3Exception(S3Error.NO_SUCH_BUCKET).with("BucketName", request.bucket());
            case BUCKET_ALREADY_EXISTS -> new S3Exception(S3Error.BUCKET_ALREADY_EXISTS).with("BucketName", request.bucket());
            case BUCKET_NOT_EMPTY -> new S3Exception(S3Error.BUCKET_NOT_EMPTY).with("BucketName", request.bucket());
            case NO_SUCH_KEY -> new S3Exception(S3Error.NO_SUCH_KEY).with("Key", request.key());
            case NO_SUCH_UPLOAD -> new S3Exception(S3Error.NO_SUCH_UPLOAD).with("UploadId", request.param("uploadId"));
            case INVALID_PART -> new S3Exception(S3Error.INVALID_PART);
            case IO, CORRUPT -> throw e;
        };
    }
}

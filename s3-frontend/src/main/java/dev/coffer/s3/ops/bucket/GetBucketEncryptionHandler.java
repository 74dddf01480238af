package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.sse.BucketEncryption;

/**
 * GetBucketEncryption: the bucket's configuration, or 404
 * ServerSideEncryptionConfigurationNotFoundError when it has none (Coffer applies no implicit
 * default; see {@link BucketEncryption}).
 */
public final class GetBucketEncryptionHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        BucketEncryption configured = BucketEncryption.of(call.bucket()).orElseThrow(() ->
                new S3Exception(S3Error.SERVER_SIDE_ENCRYPTION_CONFIGURATION_NOT_FOUND).with("BucketName", call.bucket().name()));
        call.respondXml(200, configured.toXml());
    }
}

package dev.coffer.s3.ops.bucket;

import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.sse.BucketEncryption;

/**
 * GetBucketEncryption: the bucket's configuration, or the default every bucket has (SSE-S3, SSE-C
 * blocked) when none was set. AWS stopped answering ServerSideEncryptionConfigurationNotFoundError
 * in 2023; Ceph and s3proxy still do, Coffer follows AWS.
 */
public final class GetBucketEncryptionHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        call.respondXml(200, BucketEncryption.of(call.bucket()).toXml());
    }
}

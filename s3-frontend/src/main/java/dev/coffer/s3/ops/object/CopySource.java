package dev.coffer.s3.ops.object;

import dev.coffer.s3.engine.BucketRecord;
import dev.coffer.s3.engine.ObjectHandle;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Addressing;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Calls;

import java.util.Map;

/**
 * The source of CopyObject and UploadPartCopy: {@code x-amz-copy-source} names it
 * ({@code [/]bucket/key}, URL-encoded, no versions here), the caller must be allowed s3:GetObject on
 * it under its own bucket's policy, and the x-amz-copy-source-if-* conditions hold (else 412).
 *
 * @param bucket the source bucket
 * @param key the source key
 */
public record CopySource(String bucket, String key) {
    public static final String HEADER = "x-amz-copy-source";

    public static CopySource parse(S3Call call) {
        String raw = call.request().header(HEADER);
        if (raw == null || raw.isBlank()) {
            throw S3Exception.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                    HEADER, raw);
        }
        String value = raw.trim();
        int query = value.indexOf('?');
        if (query >= 0) {
            String versionId = value.substring(query + 1);
            if (versionId.startsWith("versionId=") && !versionId.equals("versionId=null")) {
                throw new S3Exception(S3Error.NO_SUCH_KEY, "The specified version does not exist.").with("Key", value);
            }
            value = value.substring(0, query);
        }
        String decoded = S3Addressing.decode(value.startsWith("/") ? value.substring(1) : value);
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw S3Exception.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                    HEADER, raw);
        }
        return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1));
    }

    /** Opens the source for reading after authorizing the caller and checking the copy-source conditions. */
    public ObjectHandle open(S3Call call) {
        BucketRecord source = call.store().bucket(bucket)
                .orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_BUCKET).with("BucketName", bucket));
        call.authorizer().authorize(call.caller(), "s3:GetObject", "arn:aws:s3:::" + bucket + "/" + key,
                source.ownerAccountId(), source.configurations().get(S3Calls.POLICY), call.request().head(), Map.of());
        ObjectHandle handle = call.store().open(bucket, key)
                .orElseThrow(() -> new S3Exception(S3Error.NO_SUCH_KEY).with("Key", key));
        try {
            Preconditions.check(name -> call.request().header("x-amz-copy-source-" + name), handle.record().etag(),
                    handle.record().lastModified(), true);
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        return handle;
    }

}

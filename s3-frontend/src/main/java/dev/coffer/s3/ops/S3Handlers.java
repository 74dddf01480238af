package dev.coffer.s3.ops;

import dev.coffer.s3.ops.bucket.CreateBucketHandler;
import dev.coffer.s3.ops.bucket.DeleteBucketEncryptionHandler;
import dev.coffer.s3.ops.bucket.DeleteBucketHandler;
import dev.coffer.s3.ops.bucket.DeleteBucketPolicyHandler;
import dev.coffer.s3.ops.bucket.GetBucketEncryptionHandler;
import dev.coffer.s3.ops.bucket.GetBucketLocationHandler;
import dev.coffer.s3.ops.bucket.GetBucketPolicyHandler;
import dev.coffer.s3.ops.bucket.HeadBucketHandler;
import dev.coffer.s3.ops.bucket.ListBucketsHandler;
import dev.coffer.s3.ops.bucket.PutBucketEncryptionHandler;
import dev.coffer.s3.ops.bucket.PutBucketPolicyHandler;
import dev.coffer.s3.ops.listing.ListObjectsHandler;
import dev.coffer.s3.ops.multipart.AbortMultipartUploadHandler;
import dev.coffer.s3.ops.multipart.CompleteMultipartUploadHandler;
import dev.coffer.s3.ops.multipart.CreateMultipartUploadHandler;
import dev.coffer.s3.ops.multipart.ListMultipartUploadsHandler;
import dev.coffer.s3.ops.multipart.ListPartsHandler;
import dev.coffer.s3.ops.multipart.UploadPartCopyHandler;
import dev.coffer.s3.ops.multipart.UploadPartHandler;
import dev.coffer.s3.ops.object.CopyObjectHandler;
import dev.coffer.s3.ops.object.DeleteObjectHandler;
import dev.coffer.s3.ops.object.DeleteObjectsHandler;
import dev.coffer.s3.ops.object.PutObjectHandler;
import dev.coffer.s3.ops.object.ReadObjectHandler;
import java.util.EnumMap;
import java.util.Map;

/** The handler of each operation: the dispatch table. */
public final class S3Handlers {
    private S3Handlers() {
    }

    public static Map<S3Operation, S3Handler> all() {
        Map<S3Operation, S3Handler> handlers = new EnumMap<>(S3Operation.class);
        handlers.put(S3Operation.LIST_BUCKETS, new ListBucketsHandler());
        handlers.put(S3Operation.CREATE_BUCKET, new CreateBucketHandler());
        handlers.put(S3Operation.HEAD_BUCKET, new HeadBucketHandler());
        handlers.put(S3Operation.DELETE_BUCKET, new DeleteBucketHandler());
        handlers.put(S3Operation.GET_BUCKET_LOCATION, new GetBucketLocationHandler());
        handlers.put(S3Operation.GET_BUCKET_POLICY, new GetBucketPolicyHandler());
        handlers.put(S3Operation.PUT_BUCKET_POLICY, new PutBucketPolicyHandler());
        handlers.put(S3Operation.DELETE_BUCKET_POLICY, new DeleteBucketPolicyHandler());
        handlers.put(S3Operation.GET_BUCKET_ENCRYPTION, new GetBucketEncryptionHandler());
        handlers.put(S3Operation.PUT_BUCKET_ENCRYPTION, new PutBucketEncryptionHandler());
        handlers.put(S3Operation.DELETE_BUCKET_ENCRYPTION, new DeleteBucketEncryptionHandler());
        handlers.put(S3Operation.PUT_OBJECT, new PutObjectHandler());
        handlers.put(S3Operation.GET_OBJECT, ReadObjectHandler.get());
        handlers.put(S3Operation.HEAD_OBJECT, ReadObjectHandler.head());
        handlers.put(S3Operation.DELETE_OBJECT, new DeleteObjectHandler());
        handlers.put(S3Operation.LIST_OBJECTS, ListObjectsHandler.v1());
        handlers.put(S3Operation.LIST_OBJECTS_V2, ListObjectsHandler.v2());
        handlers.put(S3Operation.COPY_OBJECT, new CopyObjectHandler());
        handlers.put(S3Operation.DELETE_OBJECTS, new DeleteObjectsHandler());
        handlers.put(S3Operation.CREATE_MULTIPART_UPLOAD, new CreateMultipartUploadHandler());
        handlers.put(S3Operation.UPLOAD_PART, new UploadPartHandler());
        handlers.put(S3Operation.UPLOAD_PART_COPY, new UploadPartCopyHandler());
        handlers.put(S3Operation.COMPLETE_MULTIPART_UPLOAD, new CompleteMultipartUploadHandler());
        handlers.put(S3Operation.ABORT_MULTIPART_UPLOAD, new AbortMultipartUploadHandler());
        handlers.put(S3Operation.LIST_PARTS, new ListPartsHandler());
        handlers.put(S3Operation.LIST_MULTIPART_UPLOADS, new ListMultipartUploadsHandler());
        return Map.copyOf(handlers);
    }
}

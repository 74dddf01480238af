package dev.coffer.s3.ops;

import dev.coffer.auth.service.StreamingExchange;
import dev.coffer.s3.auth.S3Caller;
import dev.coffer.s3.engine.BucketRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds calls and authorizes an operation's main action with the condition keys S3 defines for it. */
public final class S3Calls {
    /** The bucket configuration kind under which the bucket policy is stored. */
    public static final String POLICY = "policy";

    private S3Calls() {
    }

    public static S3Call create(S3Request request, S3Operation operation, S3Caller caller, BucketRecord bucket,
                                StreamingExchange exchange, S3Context context) {
        return new S3Call(request, operation, caller, bucket, exchange, context);
    }

    public static void authorize(S3Context context, S3Operation operation, S3Request request, S3Caller caller,
                                 BucketRecord bucket) {
        if (operation == S3Operation.DELETE_OBJECTS) {
            // Each key is authorized as its own s3:DeleteObject by the handler, as AWS does. An
            // anonymous caller of a bucket without a policy can be allowed nothing, and must not learn
            // from a 200 with per-key errors that the bucket exists.
            if (caller.isAnonymous() && bucket.configurations().get(POLICY) == null) {
                throw new S3Exception(S3Error.ACCESS_DENIED);
            }
            return;
        }
        String arn = switch (operation.level()) {
            case SERVICE -> "*";
            case BUCKET -> "arn:aws:s3:::" + request.bucket();
            case OBJECT -> "arn:aws:s3:::" + request.bucket() + "/" + request.key();
        };
        String owner = bucket == null ? null : bucket.ownerAccountId();
        String policy = bucket == null ? null : bucket.configurations().get(POLICY);
        context.authorizer().authorize(caller, operation.iamAction(), arn, owner, policy, request.head(),
                conditions(operation, request));
    }

    /** The s3: condition keys of a request (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html). */
    static Map<String, List<String>> conditions(S3Operation operation, S3Request request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        switch (operation) {
            case LIST_OBJECTS, LIST_OBJECTS_V2 -> {
                put(out, "s3:prefix", request.param("prefix") == null ? "" : request.param("prefix"));
                put(out, "s3:delimiter", request.param("delimiter"));
                put(out, "s3:max-keys", request.param("max-keys"));
            }
            case PUT_OBJECT, COPY_OBJECT, CREATE_MULTIPART_UPLOAD -> {
                put(out, "s3:x-amz-server-side-encryption", request.header("x-amz-server-side-encryption"));
                put(out, "s3:x-amz-server-side-encryption-aws-kms-key-id",
                        request.header("x-amz-server-side-encryption-aws-kms-key-id"));
                put(out, "s3:x-amz-server-side-encryption-customer-algorithm",
                        request.header("x-amz-server-side-encryption-customer-algorithm"));
                put(out, "s3:x-amz-copy-source", request.header("x-amz-copy-source"));
                put(out, "s3:x-amz-metadata-directive", request.header("x-amz-metadata-directive"));
                put(out, "s3:x-amz-acl", request.header("x-amz-acl"));
                put(out, "s3:x-amz-storage-class", request.header("x-amz-storage-class"));
            }
            default -> {
            }
        }
        put(out, "s3:x-amz-content-sha256", request.header("x-amz-content-sha256"));
        return out;
    }

    private static void put(Map<String, List<String>> out, String key, String value) {
        if (value != null) {
            out.put(key, List.of(value));
        }
    }
}

package dev.coffer.s3.ops;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.util.Set;

/**
 * Every S3 operation Coffer serves, with AWS's name, the IAM action that authorizes it and what
 * its resource is. {@link #resolve} is the routing table: method, addressing level and
 * subresource decide the operation.
 */
public enum S3Operation {
    LIST_BUCKETS("ListBuckets", "s3:ListAllMyBuckets", Level.SERVICE),
    CREATE_BUCKET("CreateBucket", "s3:CreateBucket", Level.BUCKET),
    HEAD_BUCKET("HeadBucket", "s3:ListBucket", Level.BUCKET),
    DELETE_BUCKET("DeleteBucket", "s3:DeleteBucket", Level.BUCKET),
    GET_BUCKET_LOCATION("GetBucketLocation", "s3:GetBucketLocation", Level.BUCKET),
    LIST_OBJECTS("ListObjects", "s3:ListBucket", Level.BUCKET),
    LIST_OBJECTS_V2("ListObjectsV2", "s3:ListBucket", Level.BUCKET),
    LIST_MULTIPART_UPLOADS("ListMultipartUploads", "s3:ListBucketMultipartUploads", Level.BUCKET),
    DELETE_OBJECTS("DeleteObjects", "s3:DeleteObject", Level.BUCKET),
    GET_BUCKET_POLICY("GetBucketPolicy", "s3:GetBucketPolicy", Level.BUCKET),
    PUT_BUCKET_POLICY("PutBucketPolicy", "s3:PutBucketPolicy", Level.BUCKET),
    DELETE_BUCKET_POLICY("DeleteBucketPolicy", "s3:DeleteBucketPolicy", Level.BUCKET),
    GET_BUCKET_ENCRYPTION("GetBucketEncryption", "s3:GetEncryptionConfiguration", Level.BUCKET),
    PUT_BUCKET_ENCRYPTION("PutBucketEncryption", "s3:PutEncryptionConfiguration", Level.BUCKET),
    /** AWS authorizes it as s3:PutEncryptionConfiguration: there is no separate delete action. */
    DELETE_BUCKET_ENCRYPTION("DeleteBucketEncryption", "s3:PutEncryptionConfiguration", Level.BUCKET),
    PUT_OBJECT("PutObject", "s3:PutObject", Level.OBJECT),
    COPY_OBJECT("CopyObject", "s3:PutObject", Level.OBJECT),
    GET_OBJECT("GetObject", "s3:GetObject", Level.OBJECT),
    HEAD_OBJECT("HeadObject", "s3:GetObject", Level.OBJECT),
    DELETE_OBJECT("DeleteObject", "s3:DeleteObject", Level.OBJECT),
    CREATE_MULTIPART_UPLOAD("CreateMultipartUpload", "s3:PutObject", Level.OBJECT),
    UPLOAD_PART("UploadPart", "s3:PutObject", Level.OBJECT),
    UPLOAD_PART_COPY("UploadPartCopy", "s3:PutObject", Level.OBJECT),
    COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload", "s3:PutObject", Level.OBJECT),
    ABORT_MULTIPART_UPLOAD("AbortMultipartUpload", "s3:AbortMultipartUpload", Level.OBJECT),
    LIST_PARTS("ListParts", "s3:ListMultipartUploadParts", Level.OBJECT);

    /** What a request addresses: the service, a bucket, or an object in a bucket. */
    public enum Level { SERVICE, BUCKET, OBJECT }

    /** Bucket subresources that exist in S3 but not (yet) in Coffer: answered NotImplemented, never mistaken for a listing. */
    private static final Set<String> UNSUPPORTED_BUCKET_SUBRESOURCES = Set.of("acl", "accelerate", "analytics", "cors",
            "intelligent-tiering", "inventory", "lifecycle", "logging", "metrics", "notification",
            "object-lock", "ownershipControls", "policyStatus", "publicAccessBlock", "replication", "requestPayment",
            "tagging", "versioning", "versions", "website", "metadataTable", "session");
    private static final Set<String> UNSUPPORTED_OBJECT_SUBRESOURCES = Set.of("acl", "tagging", "legal-hold",
            "retention", "torrent", "restore", "select", "attributes", "renameObject");

    private final String awsName;
    private final String iamAction;
    private final Level level;

    S3Operation(String awsName, String iamAction, Level level) {
        this.awsName = awsName;
        this.iamAction = iamAction;
        this.level = level;
    }

    public String awsName() {
        return awsName;
    }

    public String iamAction() {
        return iamAction;
    }

    public Level level() {
        return level;
    }

    /** The operation a request asks for, or NotImplemented / MethodNotAllowed in S3's terms. */
    public static S3Operation resolve(S3Request request) {
        String method = request.method();
        if (request.bucket() == null) {
            if (method.equals("GET")) {
                return LIST_BUCKETS;
            }
            throw new S3Exception(S3Error.METHOD_NOT_ALLOWED);
        }
        return request.key() == null ? resolveBucket(request, method) : resolveObject(request, method);
    }

    private static S3Operation resolveBucket(S3Request r, String method) {
        for (String sub : UNSUPPORTED_BUCKET_SUBRESOURCES) {
            if (r.hasParam(sub)) {
                throw notImplemented(sub);
            }
        }
        return switch (method) {
            case "PUT" -> r.hasParam("policy") ? PUT_BUCKET_POLICY
                    : r.hasParam("encryption") ? PUT_BUCKET_ENCRYPTION : CREATE_BUCKET;
            case "HEAD" -> HEAD_BUCKET;
            case "DELETE" -> r.hasParam("policy") ? DELETE_BUCKET_POLICY
                    : r.hasParam("encryption") ? DELETE_BUCKET_ENCRYPTION : DELETE_BUCKET;
            case "POST" -> {
                if (r.hasParam("delete")) {
                    yield DELETE_OBJECTS;
                }
                throw new S3Exception(S3Error.METHOD_NOT_ALLOWED);
            }
            case "GET" -> {
                if (r.hasParam("location")) {
                    yield GET_BUCKET_LOCATION;
                }
                if (r.hasParam("policy")) {
                    yield GET_BUCKET_POLICY;
                }
                if (r.hasParam("encryption")) {
                    yield GET_BUCKET_ENCRYPTION;
                }
                if (r.hasParam("uploads")) {
                    yield LIST_MULTIPART_UPLOADS;
                }
                yield "2".equals(r.param("list-type")) ? LIST_OBJECTS_V2 : LIST_OBJECTS;
            }
            default -> throw new S3Exception(S3Error.METHOD_NOT_ALLOWED);
        };
    }

    private static S3Operation resolveObject(S3Request r, String method) {
        for (String sub : UNSUPPORTED_OBJECT_SUBRESOURCES) {
            if (r.hasParam(sub)) {
                throw notImplemented(sub);
            }
        }
        // Buckets are unversioned, so every object is the "null" version. Any other versionId would
        // otherwise be ignored, and a DELETE meant for one old version would delete the current object.
        String versionId = r.param("versionId");
        if (versionId != null && !versionId.equals("null")) {
            throw S3Exception.invalidArgument("Invalid version id specified", "versionId", versionId);
        }
        boolean upload = r.hasParam("uploadId");
        return switch (method) {
            case "PUT" -> {
                boolean copy = r.header("x-amz-copy-source") != null;
                if (upload || r.hasParam("partNumber")) {
                    yield copy ? UPLOAD_PART_COPY : UPLOAD_PART;
                }
                yield copy ? COPY_OBJECT : PUT_OBJECT;
            }
            case "GET" -> upload ? LIST_PARTS : GET_OBJECT;
            case "HEAD" -> HEAD_OBJECT;
            case "DELETE" -> upload ? ABORT_MULTIPART_UPLOAD : DELETE_OBJECT;
            case "POST" -> {
                if (r.hasParam("uploads")) {
                    yield CREATE_MULTIPART_UPLOAD;
                }
                if (upload) {
                    yield COMPLETE_MULTIPART_UPLOAD;
                }
                throw new S3Exception(S3Error.METHOD_NOT_ALLOWED);
            }
            default -> throw new S3Exception(S3Error.METHOD_NOT_ALLOWED);
        };
    }

    private static S3Exception notImplemented(String subresource) {
        return new S3Exception(S3Error.NOT_IMPLEMENTED, "The ?" + subresource + " subresource is not implemented by Coffer.");
    }
}

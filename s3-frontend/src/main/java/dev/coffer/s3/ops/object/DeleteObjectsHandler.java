package dev.coffer.s3.ops.object;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Calls;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.xml.S3XmlReader;
import dev.coffer.s3.xml.S3XmlWriter;
import dev.coffer.s3.xml.XmlElement;
import java.util.List;

/**
 * DeleteObjects: up to 1,000 keys, each authorized as its own s3:DeleteObject (as AWS does) and
 * answered on its own line: Deleted, or Error with the key's code; Quiet answers errors only. The
 * request must carry Content-MD5 or an x-amz-checksum-* (AWS requires one), verified as any body.
 */
public final class DeleteObjectsHandler implements S3Handler {
    static final int MAX_KEYS = 1000;

    @Override
    public void handle(S3Call call) throws Exception {
        boolean hasIntegrity = call.request().header("Content-MD5") != null
                || call.request().head().headers().stream().anyMatch(h -> h.getKey().toLowerCase(java.util.Locale.ROOT)
                        .startsWith("x-amz-checksum-") || h.getKey().equalsIgnoreCase("x-amz-trailer")
                        || h.getKey().equalsIgnoreCase("x-amz-sdk-checksum-algorithm"));
        if (!hasIntegrity) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "Missing required header for this request: Content-MD5 or x-amz-checksum-*");
        }
        XmlElement delete = S3XmlReader.parse(call.readSmallBody(), "Delete");
        List<XmlElement> objects = delete.children("Object");
        if (objects.isEmpty() || objects.size() > MAX_KEYS) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        boolean quiet = delete.childText("Quiet").map(Boolean::parseBoolean).orElse(false);
        S3XmlWriter xml = S3XmlWriter.document("DeleteResult");
        String bucket = call.bucket().name();
        for (XmlElement object : objects) {
            String key = object.childText("Key").orElseThrow(() -> new S3Exception(S3Error.MALFORMED_XML));
            try {
                call.authorizer().authorize(call.caller(), "s3:DeleteObject", "arn:aws:s3:::" + bucket + "/" + key,
                        call.bucket().ownerAccountId(), call.bucket().configurations().get(S3Calls.POLICY),
                        call.request().head(), java.util.Map.of());
                String versionId = object.childText("VersionId").orElse("null");
                if (!versionId.equals("null")) {
                    // Buckets are unversioned: deleting the current object instead would lose data the caller meant to keep.
                    throw S3Exception.invalidArgument("Invalid version id specified", "versionId", versionId);
                }
                call.store().deleteObject(bucket, key);
                if (!quiet) {
                    xml.start("Deleted").element("Key", key).end();
                }
            } catch (S3Exception e) {
                xml.start("Error").element("Key", key).element("Code", e.error().code()).element("Message", e.getMessage()).end();
            } catch (EngineException e) {
                xml.start("Error").element("Key", key).element("Code", S3Error.INTERNAL_ERROR.code())
                        .element("Message", S3Error.INTERNAL_ERROR.defaultMessage()).end();
            }
        }
        call.respondXml(200, xml);
    }
}

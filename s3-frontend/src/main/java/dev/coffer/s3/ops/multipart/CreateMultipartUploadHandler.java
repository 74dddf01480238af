package dev.coffer.s3.ops.multipart;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.ObjectAttributes;
import dev.coffer.s3.engine.UploadRecord;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.ops.object.ObjectHeaders;
import dev.coffer.s3.ops.object.ObjectSse;
import dev.coffer.s3.sse.WriteKey;
import dev.coffer.s3.xml.S3XmlWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** CreateMultipartUpload: the object's headers and metadata are fixed now, and its checksum algorithm if asked for. */
public final class CreateMultipartUploadHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        String key = call.request().key();
        ObjectHeaders.requireValidKey(key);
        Optional<UploadChecksum> checksum = UploadChecksum.fromRequest(call.request());
        UploadRecord upload;
        String customerKeyMd5;
        // The upload's data key is made now (SSE-KMS: kms:GenerateDataKey, as in AWS) and each part is
        // sealed under it; only its envelope is stored.
        try (ObjectSse.Chosen sse = ObjectSse.chooseForWrite(call);
             WriteKey writeKey = sse.encrypted() ? ObjectSse.newKey(call, sse.choice(), key) : null) {
            ObjectAttributes attributes = new ObjectAttributes(ObjectHeaders.contentType(call.request()),
                    ObjectHeaders.storedHeaders(call.request()), ObjectHeaders.userMetadata(call.request()),
                    checksum.map(UploadChecksum::marker).orElse(Map.of()), checksum.map(c -> c.type().name()).orElse(null),
                    call.caller().canonicalId(), writeKey == null ? null : writeKey.envelope().encode());
            upload = call.store().createUpload(call.bucket().name(), key, attributes, call.clock().instant());
            customerKeyMd5 = sse.customerKey() == null ? null : sse.customerKey().keyMd5();
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(ObjectSse.responseHeaders(upload.attributes(),
                call.bucket().name(), key, customerKeyMd5, true));
        checksum.ifPresent(c -> {
            headers.add(Map.entry("x-amz-checksum-algorithm", c.algorithm().algorithmName()));
            headers.add(Map.entry("x-amz-checksum-type", c.type().name()));
        });
        call.respondXml(200, S3XmlWriter.document("InitiateMultipartUploadResult")
                .element("Bucket", call.bucket().name()).element("Key", key).element("UploadId", upload.uploadId()), headers);
    }
}

package dev.coffer.s3.ops.object;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.ObjectAttributes;
import dev.coffer.s3.engine.ObjectRecord;
import dev.coffer.s3.engine.ObjectWriter;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.sse.WriteKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PutObject: the body streams into a new, unreferenced piece of storage while its integrity is
 * checked (and, under server-side encryption, is sealed segment by segment on the way); only then
 * does one atomic, synced commit make it the object. A failure at any point (bad signature,
 * checksum, KMS refusal, client gone, crash) leaves the previous version in place.
 */
public final class PutObjectHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        String key = call.request().key();
        ObjectHeaders.requireValidKey(key);
        var userMetadata = ObjectHeaders.userMetadata(call.request());
        ObjectRecord stored;
        BodyIngest.Received received;
        try (ObjectSse.Chosen sse = ObjectSse.chooseForWrite(call);
             WriteKey writeKey = sse.encrypted() ? ObjectSse.newKey(call, sse.choice(), key) : null;
             ObjectWriter writer = call.store().newData(call.bucket().name());
             SealingSink sink = SealingSink.of(writer, writeKey == null ? null : writeKey.dataKey(), call.keys(),
                     call.bucket().name(), key, 0, call.payload().decodedLength())) {
            received = BodyIngest.ingest(call.request(), call.payload(), sink, call.config().maxSinglePutBytes(), null, true,
                    sse.md5ETag());
            sink.finish();
            ObjectAttributes attributes = new ObjectAttributes(ObjectHeaders.contentType(call.request()),
                    ObjectHeaders.storedHeaders(call.request()), userMetadata, received.checksums(),
                    received.checksums().isEmpty() ? null : "FULL_OBJECT", call.caller().canonicalId(),
                    writeKey == null ? null : writeKey.envelope().encode());
            stored = call.store().putObject(call.bucket().name(), key, received.etag(), attributes, call.clock().instant(), writer,
                    received.size());
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            headers.add(Map.entry("ETag", stored.etag()));
            received.checksums().forEach((algorithm, value) ->
                    headers.add(Map.entry("x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT), value)));
            if (!received.checksums().isEmpty()) {
                headers.add(Map.entry("x-amz-checksum-type", "FULL_OBJECT"));
            }
            headers.addAll(ObjectSse.responseHeaders(stored.attributes(), call.bucket().name(), key,
                    sse.customerKey() == null ? null : sse.customerKey().keyMd5(), true));
            headers.add(Map.entry("Content-Length", "0"));
            call.respondEmpty(200, headers);
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
    }
}

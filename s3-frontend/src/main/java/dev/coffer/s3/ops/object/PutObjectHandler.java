package dev.coffer.s3.ops.object;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.ObjectAttributes;
import dev.coffer.s3.engine.ObjectRecord;
import dev.coffer.s3.engine.ObjectWriter;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PutObject: the body streams into a new, unreferenced piece of storage while its integrity is
 * checked; only then does one atomic, synced commit make it the object. A failure at any point
 * (bad signature, checksum, client gone, crash) leaves the previous version in place.
 */
public final class PutObjectHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        EncryptionHeaders.refuseUntilSupported(call.request());
        String key = call.request().key();
        ObjectHeaders.requireValidKey(key);
        var userMetadata = ObjectHeaders.userMetadata(call.request());
        ObjectRecord stored;
        BodyIngest.Received received;
        try (ObjectWriter writer = call.store().newData(call.bucket().name())) {
            received = BodyIngest.ingest(call.request(), call.payload(), writer::write, call.config().maxSinglePutBytes());
            ObjectAttributes attributes = new ObjectAttributes(ObjectHeaders.contentType(call.request()),
                    ObjectHeaders.storedHeaders(call.request()), userMetadata, received.checksums(),
                    received.checksums().isEmpty() ? null : "FULL_OBJECT", call.caller().canonicalId(), null);
            stored = call.store().putObject(call.bucket().name(), key, received.etag(), attributes, call.clock().instant(), writer);
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("ETag", stored.etag()));
        received.checksums().forEach((algorithm, value) ->
                headers.add(Map.entry("x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT), value)));
        if (!received.checksums().isEmpty()) {
            headers.add(Map.entry("x-amz-checksum-type", "FULL_OBJECT"));
        }
        headers.add(Map.entry("Content-Length", "0"));
        call.respondEmpty(200, headers);
    }
}

package dev.coffer.s3.ops.multipart;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.ObjectWriter;
import dev.coffer.s3.engine.PartRecord;
import dev.coffer.s3.engine.UploadRecord;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.ops.object.BodyIngest;
import dev.coffer.s3.ops.object.ObjectSse;
import dev.coffer.s3.ops.object.PartNumbers;
import dev.coffer.s3.ops.object.SealingSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** UploadPart: a part body, checked like any upload (and with the upload's checksum), replaces any earlier part of that number. */
public final class UploadPartHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        int partNumber = PartNumbers.parse(call.request().param("partNumber"));
        UploadRecord upload = Uploads.require(call);
        var checksum = UploadChecksum.of(upload.attributes());
        PartRecord part;
        boolean md5ETag = ObjectSse.md5ETag(upload.attributes());
        try (SecretBytes dataKey = ObjectSse.partKey(call, upload).orElse(null);
             ObjectWriter writer = call.store().newData(call.bucket().name());
             SealingSink sink = SealingSink.of(writer, dataKey, call.keys(), call.bucket().name(), upload.key(), partNumber,
                     call.payload().decodedLength())) {
            BodyIngest.Received received = BodyIngest.ingest(call.request(), call.payload(), sink,
                    call.config().maxSinglePutBytes(), checksum.map(UploadChecksum::algorithm).orElse(null), true, md5ETag);
            sink.finish();
            part = call.store().putPart(call.bucket().name(), call.request().key(), upload.uploadId(), partNumber,
                    received.etag(), received.checksums(), call.clock().instant(), writer, received.size());
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(ObjectSse.responseHeaders(upload.attributes(),
                call.bucket().name(), upload.key(), call.request().header("x-amz-server-side-encryption-customer-key-MD5"), false));
        headers.add(Map.entry("ETag", part.etag()));
        part.checksums().forEach((algorithm, value) ->
                headers.add(Map.entry("x-amz-checksum-" + algorithm.toLowerCase(Locale.ROOT), value)));
        headers.add(Map.entry("Content-Length", "0"));
        call.respondEmpty(200, headers);
    }
}

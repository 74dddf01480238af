package dev.coffer.s3.ops.multipart;

import dev.coffer.crypto.SecretBytes;
import dev.coffer.s3.S3Config;
import dev.coffer.s3.checksum.S3Checksum;
import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.ObjectHandle;
import dev.coffer.s3.engine.ObjectWriter;
import dev.coffer.s3.engine.PartRecord;
import dev.coffer.s3.engine.UploadRecord;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.ops.object.CopySource;
import dev.coffer.s3.ops.object.ObjectSse;
import dev.coffer.s3.ops.object.PartNumbers;
import dev.coffer.s3.ops.object.SealingSink;
import dev.coffer.s3.ops.object.StoredCopy;
import dev.coffer.s3.xml.S3Xml;
import dev.coffer.s3.xml.S3XmlWriter;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** UploadPartCopy: a part made from (a range of) an existing object, streamed with bounded memory. */
public final class UploadPartCopyHandler implements S3Handler {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    @Override
    public void handle(S3Call call) throws Exception {
        int partNumber = PartNumbers.parse(call.request().param("partNumber"));
        UploadRecord upload = Uploads.require(call);
        var checksum = UploadChecksum.of(upload.attributes());
        CopySource source = CopySource.parse(call);
        PartRecord part;
        try (ObjectHandle handle = source.open(call)) {
            long size = handle.record().size();
            long first = 0;
            long length = size;
            String rangeHeader = call.request().header("x-amz-copy-source-range");
            if (rangeHeader != null) {
                Matcher m = RANGE.matcher(rangeHeader.trim());
                if (!m.matches()) {
                    throw S3Exception.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last "
                            + "where first and last are the zero-based offsets of the first and last bytes to copy",
                            "x-amz-copy-source-range", rangeHeader);
                }
                first = Long.parseLong(m.group(1));
                long last = Long.parseLong(m.group(2));
                if (last < first || last >= size) {
                    throw S3Exception.invalidArgument("Range specified is not valid for source object of size: " + size,
                            "x-amz-copy-source-range", rangeHeader);
                }
                length = last - first + 1;
            }
            if (length > S3Config.FIVE_GIB) {
                throw S3Exception.invalidArgument("Part size exceeds the maximum allowed size", "x-amz-copy-source-range", rangeHeader);
            }
            S3Checksum sum = checksum.map(c -> c.algorithm().newChecksum()).orElse(null);
            try (InputStream in = ObjectSse.openCopySource(call, handle, first, length);
                 SecretBytes dataKey = ObjectSse.partKey(call, upload).orElse(null);
                 ObjectWriter writer = call.store().newData(call.bucket().name());
                 SealingSink sink = SealingSink.of(writer, dataKey, call.keys(), call.bucket().name(), upload.key(), partNumber,
                         length)) {
                byte[] md5 = StoredCopy.copy(in, sink, sum, ObjectSse.md5ETag(upload.attributes()));
                sink.finish();
                Map<String, String> checksums = new LinkedHashMap<>();
                if (sum != null) {
                    checksums.put(sum.algorithm().algorithmName(), sum.base64());
                }
                part = call.store().putPart(call.bucket().name(), call.request().key(), upload.uploadId(), partNumber,
                        "\"" + HexFormat.of().formatHex(md5) + "\"", checksums, call.clock().instant(), writer, length);
            }
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        S3XmlWriter xml = S3XmlWriter.document("CopyPartResult")
                .element("LastModified", S3Xml.timestamp(part.lastModified()))
                .element("ETag", part.etag());
        part.checksums().forEach((algorithm, value) -> xml.element("Checksum" + algorithm, value));
        call.respondXml(200, xml, ObjectSse.responseHeaders(upload.attributes(), call.bucket().name(), upload.key(),
                call.request().header("x-amz-server-side-encryption-customer-key-MD5"), false));
    }
}

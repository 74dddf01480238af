package dev.coffer.s3.ops.multipart;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.PartRecord;
import dev.coffer.s3.engine.UploadRecord;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.xml.S3Xml;
import dev.coffer.s3.xml.S3XmlWriter;
import java.util.List;

/** ListParts: the upload's parts after part-number-marker, at most max-parts (1000) per page. */
public final class ListPartsHandler implements S3Handler {
    static final int MAX_PARTS_PER_PAGE = 1000;

    @Override
    public void handle(S3Call call) throws Exception {
        UploadRecord upload = Uploads.require(call);
        int marker = intParam(call, "part-number-marker", 0);
        int maxParts = Math.min(intParam(call, "max-parts", MAX_PARTS_PER_PAGE), MAX_PARTS_PER_PAGE);
        List<PartRecord> parts;
        try {
            parts = call.store().parts(call.bucket().name(), call.request().key(), upload.uploadId()).stream()
                    .filter(p -> p.partNumber() > marker).toList();
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        boolean truncated = parts.size() > maxParts;
        List<PartRecord> page = parts.subList(0, Math.min(maxParts, parts.size()));
        var checksum = UploadChecksum.of(upload.attributes());
        S3XmlWriter xml = S3XmlWriter.document("ListPartsResult")
                .element("Bucket", call.bucket().name())
                .element("Key", upload.key())
                .element("UploadId", upload.uploadId());
        xml.start("Initiator").element("ID", upload.attributes().ownerAccountId())
                .element("DisplayName", upload.attributes().ownerAccountId()).end();
        S3Xml.owner(xml, upload.attributes().ownerAccountId());
        xml.element("StorageClass", "STANDARD")
                .element("PartNumberMarker", marker)
                .element("NextPartNumberMarker", page.isEmpty() ? marker : page.getLast().partNumber())
                .element("MaxParts", maxParts)
                .element("IsTruncated", truncated);
        checksum.ifPresent(c -> xml.element("ChecksumAlgorithm", c.algorithm().algorithmName())
                .element("ChecksumType", c.type().name()));
        for (PartRecord part : page) {
            xml.start("Part").element("PartNumber", part.partNumber())
                    .element("LastModified", S3Xml.timestamp(part.lastModified()))
                    .element("ETag", part.etag())
                    .element("Size", part.size());
            part.checksums().forEach((algorithm, value) -> xml.element("Checksum" + algorithm, value));
            xml.end();
        }
        call.respondXml(200, xml);
    }

    static int intParam(S3Call call, String name, int defaultValue) {
        String value = call.request().param(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw S3Exception.invalidArgument("Provided " + name + " not an integer or within integer range", name, value);
    }
}

package dev.coffer.s3.ops.multipart;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.UploadRecord;
import dev.coffer.s3.engine.UploadsPage;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.ops.listing.Listings;
import dev.coffer.s3.xml.S3Xml;
import dev.coffer.s3.xml.S3XmlWriter;

/** ListMultipartUploads: uploads in progress by key and initiation, with prefix, delimiter and the key/upload-id markers. */
public final class ListMultipartUploadsHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        var request = call.request();
        boolean url = Listings.urlEncoding(request);
        int maxUploads = Listings.maxKeys(request, "max-uploads");
        String prefix = request.param("prefix") == null ? "" : request.param("prefix");
        String delimiter = Listings.emptyToNull(request.param("delimiter"));
        String keyMarker = Listings.emptyToNull(request.param("key-marker"));
        String uploadIdMarker = keyMarker == null ? null : Listings.emptyToNull(request.param("upload-id-marker"));
        UploadsPage page;
        try {
            page = call.store().listUploads(call.bucket().name(), prefix, delimiter, keyMarker, uploadIdMarker, maxUploads);
        } catch (EngineException e) {
            throw EngineErrors.translate(e, request);
        }
        S3XmlWriter xml = S3XmlWriter.document("ListMultipartUploadsResult")
                .element("Bucket", call.bucket().name())
                .element("KeyMarker", Listings.encode(keyMarker == null ? "" : keyMarker, url))
                .element("UploadIdMarker", uploadIdMarker == null ? "" : uploadIdMarker);
        if (page.truncated()) {
            xml.element("NextKeyMarker", Listings.encode(page.nextKeyMarker(), url))
                    .element("NextUploadIdMarker", page.nextUploadIdMarker() == null ? "" : page.nextUploadIdMarker());
        }
        xml.element("Delimiter", Listings.encode(delimiter, url))
                .element("Prefix", Listings.encode(prefix, url))
                .element("MaxUploads", maxUploads);
        if (url) {
            xml.element("EncodingType", "url");
        }
        xml.element("IsTruncated", page.truncated());
        for (UploadRecord upload : page.uploads()) {
            String owner = upload.attributes().ownerAccountId();
            xml.start("Upload").element("Key", Listings.encode(upload.key(), url)).element("UploadId", upload.uploadId());
            xml.start("Initiator").element("ID", owner).element("DisplayName", owner).end();
            S3Xml.owner(xml, owner);
            xml.element("StorageClass", "STANDARD").element("Initiated", S3Xml.timestamp(upload.initiated()));
            UploadChecksum.of(upload.attributes()).ifPresent(c -> xml.element("ChecksumAlgorithm", c.algorithm().algorithmName())
                    .element("ChecksumType", c.type().name()));
            xml.end();
        }
        for (String common : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", Listings.encode(common, url)).end();
        }
        call.respondXml(200, xml);
    }
}

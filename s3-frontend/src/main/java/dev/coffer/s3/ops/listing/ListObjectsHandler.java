package dev.coffer.s3.ops.listing;

import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.ListPage;
import dev.coffer.s3.engine.ObjectSummary;
import dev.coffer.s3.http.S3Request;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.xml.S3Xml;
import dev.coffer.s3.xml.S3XmlWriter;

/**
 * ListObjectsV2 (continuation tokens, start-after, fetch-owner) and ListObjects (v1, marker),
 * over the engine's ordered listing with prefix and delimiter.
 */
public final class ListObjectsHandler implements S3Handler {
    private final boolean v2;

    private ListObjectsHandler(boolean v2) {
        this.v2 = v2;
    }

    public static ListObjectsHandler v1() {
        return new ListObjectsHandler(false);
    }

    public static ListObjectsHandler v2() {
        return new ListObjectsHandler(true);
    }

    @Override
    public void handle(S3Call call) throws Exception {
        S3Request request = call.request();
        boolean url = Listings.urlEncoding(request);
        int maxKeys = Listings.maxKeys(request, "max-keys");
        String prefix = request.param("prefix") == null ? "" : request.param("prefix");
        String delimiter = Listings.emptyToNull(request.param("delimiter"));
        String token = v2 ? request.param("continuation-token") : null;
        String startAfter = v2 ? request.param("start-after") : request.param("marker");
        String from = token != null ? Listings.fromToken(token) : Listings.emptyToNull(startAfter);
        ListPage page;
        try {
            page = call.store().listObjects(call.bucket().name(), prefix, delimiter, from, maxKeys);
        } catch (EngineException e) {
            throw EngineErrors.translate(e, request);
        }
        boolean owner = !v2 || "true".equals(request.param("fetch-owner"));

        S3XmlWriter xml = S3XmlWriter.document("ListBucketResult")
                .element("Name", call.bucket().name())
                .element("Prefix", Listings.encode(prefix, url));
        if (v2) {
            xml.element("MaxKeys", maxKeys).element("KeyCount", page.objects().size() + page.commonPrefixes().size());
            xml.element("Delimiter", Listings.encode(delimiter, url));
            if (url) {
                xml.element("EncodingType", "url");
            }
            xml.element("IsTruncated", page.truncated());
            xml.element("ContinuationToken", token);
            if (page.truncated()) {
                xml.element("NextContinuationToken", Listings.token(page.nextStartAfter()));
            }
            xml.element("StartAfter", Listings.encode(Listings.emptyToNull(startAfter), url));
        } else {
            xml.element("Marker", Listings.encode(startAfter == null ? "" : startAfter, url));
            if (page.truncated() && delimiter != null) {
                xml.element("NextMarker", Listings.encode(page.nextStartAfter(), url));
            }
            xml.element("MaxKeys", maxKeys).element("Delimiter", Listings.encode(delimiter, url));
            if (url) {
                xml.element("EncodingType", "url");
            }
            xml.element("IsTruncated", page.truncated());
        }
        for (ObjectSummary entry : page.objects()) {
            xml.start("Contents")
                    .element("Key", Listings.encode(entry.key(), url))
                    .element("LastModified", S3Xml.timestamp(entry.lastModified()))
                    .element("ETag", entry.etag());
            for (String algorithm : entry.checksumAlgorithms()) {
                xml.element("ChecksumAlgorithm", algorithm);
            }
            xml.element("Size", entry.size());
            if (owner) {
                S3Xml.owner(xml, entry.ownerAccountId());
            }
            xml.element("StorageClass", "STANDARD").end();
        }
        for (String common : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", Listings.encode(common, url)).end();
        }
        call.respondXml(200, xml);
    }
}

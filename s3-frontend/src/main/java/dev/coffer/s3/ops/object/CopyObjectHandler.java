package dev.coffer.s3.ops.object;

import dev.coffer.s3.S3Config;
import dev.coffer.s3.checksum.S3Checksum;
import dev.coffer.s3.checksum.S3ChecksumAlgorithm;
import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.ObjectAttributes;
import dev.coffer.s3.engine.ObjectHandle;
import dev.coffer.s3.engine.ObjectRecord;
import dev.coffer.s3.engine.ObjectWriter;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.sse.WriteKey;
import dev.coffer.s3.xml.S3Xml;
import dev.coffer.s3.xml.S3XmlWriter;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CopyObject: streams the source into a new object (bounded memory), with its metadata copied or
 * replaced (x-amz-metadata-directive). Copying an object onto itself must change something, as in
 * AWS. The copy is a new single-part object, encrypted as the request (or the destination bucket's
 * default) says, whatever the source's encryption was; its ETag is the MD5 of its bytes for plain and
 * SSE-S3 copies and opaque otherwise.
 */
public final class CopyObjectHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        String key = call.request().key();
        ObjectHeaders.requireValidKey(key);
        CopySource source = CopySource.parse(call);
        boolean replace = metadataDirective(call);
        boolean sameObject = source.bucket().equals(call.bucket().name()) && source.key().equals(key);
        if (sameObject && !replace && !changesEncryption(call)) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "This copy request is illegal because it is trying to copy an object "
                    + "to itself without changing the object's metadata, storage class, website redirect location or "
                    + "encryption attributes.");
        }
        ObjectRecord stored;
        try (ObjectHandle handle = source.open(call)) {
            ObjectRecord from = handle.record();
            if (from.size() > S3Config.FIVE_GIB) {
                throw new S3Exception(S3Error.INVALID_REQUEST,
                        "The specified copy source is larger than the maximum allowable size for a copy source: " + S3Config.FIVE_GIB);
            }
            S3ChecksumAlgorithm algorithm = checksumAlgorithm(call, from);
            S3Checksum checksum = algorithm == null ? null : algorithm.newChecksum();
            try (ObjectSse.Chosen sse = ObjectSse.chooseForWrite(call);
                 InputStream in = ObjectSse.openCopySource(call, handle, 0, from.size());
                 WriteKey writeKey = sse.encrypted() ? ObjectSse.newKey(call, sse.choice(), key) : null;
                 ObjectWriter writer = call.store().newData(call.bucket().name());
                 SealingSink sink = SealingSink.of(writer, writeKey == null ? null : writeKey.dataKey(), call.keys(),
                         call.bucket().name(), key, 0, from.size())) {
                byte[] md5 = StoredCopy.copy(in, sink, checksum, sse.md5ETag());
                sink.finish();
                byte[] envelope = writeKey == null ? null : writeKey.envelope().encode();
                Map<String, String> checksums = new LinkedHashMap<>();
                if (checksum != null) {
                    checksums.put(algorithm.algorithmName(), checksum.base64());
                }
                ObjectAttributes attributes = replace
                        ? new ObjectAttributes(ObjectHeaders.contentType(call.request()), ObjectHeaders.storedHeaders(call.request()),
                                ObjectHeaders.userMetadata(call.request()), checksums, checksums.isEmpty() ? null : "FULL_OBJECT",
                                call.caller().canonicalId(), envelope)
                        : new ObjectAttributes(from.attributes().contentType(), from.attributes().headers(),
                                from.attributes().userMetadata(), checksums, checksums.isEmpty() ? null : "FULL_OBJECT",
                                call.caller().canonicalId(), envelope);
                String etag = "\"" + HexFormat.of().formatHex(md5) + "\"";
                stored = call.store().putObject(call.bucket().name(), key, etag, attributes, call.clock().instant(), writer,
                        from.size());
                S3XmlWriter xml = S3XmlWriter.document("CopyObjectResult")
                        .element("LastModified", S3Xml.timestamp(stored.lastModified()))
                        .element("ETag", stored.etag());
                stored.attributes().checksums().forEach((name, value) -> xml.element("Checksum" + name, value));
                call.respondXml(200, xml, ObjectSse.responseHeaders(stored.attributes(), call.bucket().name(), key,
                        sse.customerKey() == null ? null : sse.customerKey().keyMd5(), true));
            }
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
    }

    private static boolean metadataDirective(S3Call call) {
        String directive = call.request().header("x-amz-metadata-directive");
        if (directive == null || directive.equals("COPY")) {
            return false;
        }
        if (directive.equals("REPLACE")) {
            return true;
        }
        throw S3Exception.invalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive);
    }

    private static boolean changesEncryption(S3Call call) {
        return call.request().header("x-amz-server-side-encryption") != null
                || call.request().header("x-amz-server-side-encryption-customer-algorithm") != null
                || call.request().header("x-amz-storage-class") != null;
    }

    /** The checksum of the copy: the one asked for (x-amz-checksum-algorithm), else the source's full-object one. */
    private static S3ChecksumAlgorithm checksumAlgorithm(S3Call call, ObjectRecord from) {
        String asked = call.request().header("x-amz-checksum-algorithm");
        if (asked != null) {
            return S3ChecksumAlgorithm.fromAlgorithmName(asked.trim().toUpperCase(Locale.ROOT)).orElseThrow(() ->
                    S3Exception.invalidArgument("Checksum algorithm provided is unsupported.", "x-amz-checksum-algorithm", asked));
        }
        if ("FULL_OBJECT".equals(from.attributes().checksumType())) {
            return from.attributes().checksums().keySet().stream().findFirst()
                    .flatMap(S3ChecksumAlgorithm::fromAlgorithmName).orElse(null);
        }
        return null;
    }
}

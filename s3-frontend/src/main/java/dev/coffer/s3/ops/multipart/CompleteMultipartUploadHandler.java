package dev.coffer.s3.ops.multipart;

import dev.coffer.s3.S3Config;
import dev.coffer.s3.checksum.S3MultipartChecksum;
import dev.coffer.s3.engine.EngineException;
import dev.coffer.s3.engine.ObjectAttributes;
import dev.coffer.s3.engine.ObjectRecord;
import dev.coffer.s3.engine.PartRecord;
import dev.coffer.s3.engine.UploadRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.ops.EngineErrors;
import dev.coffer.s3.ops.S3Call;
import dev.coffer.s3.ops.S3Handler;
import dev.coffer.s3.ops.object.ObjectSse;
import dev.coffer.s3.ops.object.PartNumbers;
import dev.coffer.s3.xml.S3XmlReader;
import dev.coffer.s3.xml.S3XmlWriter;
import dev.coffer.s3.xml.XmlElement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * CompleteMultipartUpload: the listed parts, in ascending order, each with its current ETag (and
 * checksum, if listed), all but the last at least 5 MiB, become the object without their bytes
 * being copied. The ETag is the MD5 of the parts' MD5s with "-N"; the checksum (if the upload has
 * one) is the composite or full-object checksum of the parts', and must equal the one the client
 * sends in x-amz-checksum-* if it sends one.
 */
public final class CompleteMultipartUploadHandler implements S3Handler {
    @Override
    public void handle(S3Call call) throws Exception {
        UploadRecord upload = Uploads.require(call);
        XmlElement document = S3XmlReader.parse(call.readSmallBody(false), "CompleteMultipartUpload");
        List<XmlElement> listed = document.children("Part");
        if (listed.isEmpty()) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        if (listed.size() > S3Config.MAX_PARTS) {
            throw new S3Exception(S3Error.MALFORMED_XML, "A multipart upload has at most 10000 parts.");
        }
        Map<Integer, PartRecord> uploaded;
        try {
            uploaded = call.store().parts(call.bucket().name(), call.request().key(), upload.uploadId()).stream()
                    .collect(Collectors.toMap(PartRecord::partNumber, Function.identity()));
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        Optional<UploadChecksum> checksum = UploadChecksum.of(upload.attributes());
        List<PartRecord> chosen = new ArrayList<>();
        int previous = 0;
        for (XmlElement element : listed) {
            String numberText = element.childText("PartNumber").orElseThrow(() -> new S3Exception(S3Error.MALFORMED_XML));
            int number = PartNumbers.parse(numberText);
            if (number <= previous) {
                throw new S3Exception(S3Error.INVALID_PART_ORDER).with("UploadId", upload.uploadId());
            }
            previous = number;
            PartRecord part = uploaded.get(number);
            String etag = element.childText("ETag").orElseThrow(() -> new S3Exception(S3Error.MALFORMED_XML));
            if (part == null || !unquote(part.etag()).equals(unquote(etag)) || !claimedChecksumMatches(checksum, element, part)) {
                throw new S3Exception(S3Error.INVALID_PART).with("UploadId", upload.uploadId()).with("PartNumber", numberText)
                        .with("ETag", etag);
            }
            chosen.add(part);
        }
        for (int i = 0; i < chosen.size() - 1; i++) {
            if (chosen.get(i).size() < S3Config.MIN_PART_BYTES) {
                throw new S3Exception(S3Error.ENTITY_TOO_SMALL).with("UploadId", upload.uploadId())
                        .with("PartNumber", Integer.toString(chosen.get(i).partNumber()))
                        .with("ProposedSize", Long.toString(chosen.get(i).size()))
                        .with("MinSizeAllowed", Long.toString(S3Config.MIN_PART_BYTES));
            }
        }
        Map<String, String> checksums = new LinkedHashMap<>();
        checksum.ifPresent(c -> checksums.put(c.algorithm().algorithmName(), MultipartChecksums.of(c, chosen)));
        checksum.ifPresent(c -> requireClaimedObjectChecksum(call, c, checksums.get(c.algorithm().algorithmName())));
        ObjectAttributes attributes = new ObjectAttributes(upload.attributes().contentType(), upload.attributes().headers(),
                upload.attributes().userMetadata(), checksums, checksum.map(c -> c.type().name()).orElse(null),
                upload.attributes().ownerAccountId(), upload.attributes().envelope());
        ObjectRecord stored;
        try {
            stored = call.store().completeUpload(call.bucket().name(), call.request().key(), upload.uploadId(),
                    chosen.stream().map(PartRecord::partNumber).toList(), multipartEtag(chosen), attributes, call.clock().instant());
        } catch (EngineException e) {
            throw EngineErrors.translate(e, call.request());
        }
        S3XmlWriter xml = S3XmlWriter.document("CompleteMultipartUploadResult")
                .element("Location", "/" + call.bucket().name() + "/" + call.request().key())
                .element("Bucket", call.bucket().name())
                .element("Key", call.request().key())
                .element("ETag", stored.etag());
        checksums.forEach((algorithm, value) -> xml.element("Checksum" + algorithm, value));
        checksum.ifPresent(c -> xml.element("ChecksumType", c.type().name()));
        call.respondXml(200, xml, ObjectSse.responseHeaders(stored.attributes(), call.bucket().name(), call.request().key(),
                call.request().header("x-amz-server-side-encryption-customer-key-MD5"), false));
    }

    /** A part checksum the client lists (ChecksumCRC32 and the like) must be the one the part was stored with. */
    private static boolean claimedChecksumMatches(Optional<UploadChecksum> checksum, XmlElement listed, PartRecord part) {
        if (checksum.isEmpty()) {
            return true;
        }
        String name = checksum.get().algorithm().algorithmName();
        return listed.childText("Checksum" + name).map(claimed -> claimed.trim().equals(part.checksums().get(name))).orElse(true);
    }

    /** The object checksum a client sends with the completion (x-amz-checksum-*) must be the one the parts make. */
    private static void requireClaimedObjectChecksum(S3Call call, UploadChecksum checksum, String computed) {
        String claimed = call.request().header(checksum.headerName());
        if (claimed != null && !claimed.trim().equals(computed)) {
            throw new S3Exception(S3Error.BAD_DIGEST,
                    "The " + checksum.algorithm().algorithmName() + " you specified did not match the calculated checksum.");
        }
    }

    /** MD5 of the concatenated binary MD5s of the parts, then "-" and the part count, quoted. */
    static String multipartEtag(List<PartRecord> parts) {
        return "\"" + S3MultipartChecksum.multipartEtag(parts.stream()
                .map(p -> HexFormat.of().parseHex(unquote(p.etag()))).toList()) + "\"";
    }

    static String unquote(String etag) {
        String e = etag.trim();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1).toLowerCase(Locale.ROOT)
                : e.toLowerCase(Locale.ROOT);
    }
}

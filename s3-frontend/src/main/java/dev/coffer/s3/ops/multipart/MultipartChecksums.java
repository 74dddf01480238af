package dev.coffer.s3.ops.multipart;

import dev.coffer.s3.checksum.S3ChecksumType;
import dev.coffer.s3.checksum.S3MultipartChecksum;
import dev.coffer.s3.checksum.S3PartChecksum;
import dev.coffer.s3.engine.PartRecord;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.util.ArrayList;
import java.util.List;

/** The object checksum of a completed upload from its parts' checksums (no re-read of the data). */
final class MultipartChecksums {
    private MultipartChecksums() {
    }

    static String of(UploadChecksum checksum, List<PartRecord> parts) {
        List<S3PartChecksum> partChecksums = new ArrayList<>();
        for (PartRecord part : parts) {
            String value = part.checksums().get(checksum.algorithm().algorithmName());
            if (value == null) {
                throw new S3Exception(S3Error.INVALID_REQUEST, "Part " + part.partNumber() + " has no "
                        + checksum.algorithm().algorithmName() + " checksum.");
            }
            partChecksums.add(new S3PartChecksum(checksum.algorithm().decodeValue(value), part.size()));
        }
        S3MultipartChecksum result = checksum.type() == S3ChecksumType.COMPOSITE
                ? S3MultipartChecksum.composite(checksum.algorithm(), partChecksums)
                : S3MultipartChecksum.fullObject(checksum.algorithm(), partChecksums);
        return result.headerValue();
    }
}

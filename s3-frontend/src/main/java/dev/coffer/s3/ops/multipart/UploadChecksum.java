package dev.coffer.s3.ops.multipart;

import dev.coffer.s3.checksum.S3ChecksumAlgorithm;
import dev.coffer.s3.checksum.S3ChecksumType;
import dev.coffer.s3.engine.ObjectAttributes;
import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import dev.coffer.s3.http.S3Request;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The checksum a multipart upload was created with (x-amz-checksum-algorithm and
 * x-amz-checksum-type on CreateMultipartUpload): every part is checked and stored with it, and the
 * object's checksum is built from the parts' at completion. Kept in the upload's attributes as
 * {@code checksumType} and a checksums map naming the algorithm with an empty value.
 */
record UploadChecksum(S3ChecksumAlgorithm algorithm, S3ChecksumType type) {
    static Optional<UploadChecksum> fromRequest(S3Request request) {
        String algorithmHeader = request.header("x-amz-checksum-algorithm");
        String typeHeader = request.header("x-amz-checksum-type");
        if (algorithmHeader == null) {
            if (typeHeader != null) {
                throw S3Exception.invalidArgument("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
                        "x-amz-checksum-type", typeHeader);
            }
            return Optional.empty();
        }
        S3ChecksumAlgorithm algorithm = S3ChecksumAlgorithm.fromAlgorithmName(algorithmHeader.trim()).orElseThrow(() ->
                S3Exception.invalidArgument("Checksum algorithm provided is unsupported.", "x-amz-checksum-algorithm", algorithmHeader));
        S3ChecksumType type;
        if (typeHeader == null) {
            // CRC64NVME supports only full-object checksums; the others default to composite, as in AWS.
            type = algorithm == S3ChecksumAlgorithm.CRC64NVME ? S3ChecksumType.FULL_OBJECT : S3ChecksumType.COMPOSITE;
        } else {
            type = S3ChecksumType.fromHeaderValue(typeHeader.trim()).orElseThrow(() ->
                    S3Exception.invalidArgument("Value for x-amz-checksum-type header is invalid.", "x-amz-checksum-type", typeHeader));
        }
        if (!algorithm.supports(type)) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "The " + algorithm.algorithmName() + " checksum algorithm does not support the "
                    + type + " checksum type.");
        }
        return Optional.of(new UploadChecksum(algorithm, type));
    }

    static Optional<UploadChecksum> of(ObjectAttributes attributes) {
        if (attributes.checksumType() == null || attributes.checksums().isEmpty()) {
            return Optional.empty();
        }
        String name = attributes.checksums().keySet().iterator().next();
        return S3ChecksumAlgorithm.fromAlgorithmName(name)
                .flatMap(a -> S3ChecksumType.fromHeaderValue(attributes.checksumType()).map(t -> new UploadChecksum(a, t)));
    }

    Map<String, String> marker() {
        return Map.of(algorithm.algorithmName(), "");
    }

    String headerName() {
        return algorithm.headerName().toLowerCase(Locale.ROOT);
    }
}

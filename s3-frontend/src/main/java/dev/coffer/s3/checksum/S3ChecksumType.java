package dev.coffer.s3.checksum;

import java.util.Locale;
import java.util.Optional;

/** How a multipart object's checksum is built from its parts ({@code x-amz-checksum-type}). */
public enum S3ChecksumType {
    /** A checksum of the concatenated part checksums, shown as {@code base64-<part count>}. */
    COMPOSITE,
    /** The checksum of the whole object, combined from the part CRCs; CRC algorithms only. */
    FULL_OBJECT;

    /** The {@code x-amz-checksum-type} value, case-insensitive. */
    public static Optional<S3ChecksumType> fromHeaderValue(String value) {
        try {
            return Optional.of(valueOf(value.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

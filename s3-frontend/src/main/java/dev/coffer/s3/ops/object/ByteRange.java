package dev.coffer.s3.ops.object;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A satisfiable byte range of an object, from an HTTP Range header (RFC 9110): {@code bytes=a-b},
 * {@code bytes=a-} or the suffix {@code bytes=-n}. A header that does not parse, or asks for several
 * ranges, is ignored as RFC 9110 allows (the whole object is sent); one that cannot be satisfied is
 * InvalidRange (416).
 *
 * @param first the first byte, inclusive
 * @param last the last byte, inclusive
 */
public record ByteRange(long first, long last) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    public long length() {
        return last - first + 1;
    }

    /** Content-Range for a 206 answer. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw unsatisfiable(header, size);
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
                // "bytes=5-2" is not a valid range: ignored, as RFC 9110 says.
                return Optional.empty();
            }
            if (first >= size) {
                throw unsatisfiable(header, size);
            }
            long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            // Beyond a long: no object is that large.
            return Optional.empty();
        }
    }

    private static S3Exception unsatisfiable(String header, long size) {
        return new S3Exception(S3Error.INVALID_RANGE).with("RangeRequested", header).with("ActualObjectSize", Long.toString(size));
    }
}

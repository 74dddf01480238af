package dev.coffer.s3.ops.object;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The conditional request headers of GET, HEAD and copy sources, evaluated as S3 does (RFC 9110
 * order): If-Match, then If-Unmodified-Since unless If-Match was given, then If-None-Match, then
 * If-Modified-Since unless If-None-Match was given. A failed If-Match / If-Unmodified-Since is
 * 412; a failed If-None-Match / If-Modified-Since is 304 on GET/HEAD and 412 on a copy source.
 */
public final class Preconditions {
    private Preconditions() {
    }

    /**
     * @param headers the request's headers by name; for a copy source, names are prefixed by the caller
     * @param notModifiedIs412 true for copy sources
     */
    public static void check(Function<String, String> headers, String etag, Instant lastModified, boolean notModifiedIs412) {
        Instant modified = lastModified.truncatedTo(ChronoUnit.SECONDS);
        String ifMatch = headers.apply("If-Match");
        String ifUnmodifiedSince = headers.apply("If-Unmodified-Since");
        String ifNoneMatch = headers.apply("If-None-Match");
        String ifModifiedSince = headers.apply("If-Modified-Since");
        if (ifMatch != null) {
            if (!matches(ifMatch, etag)) {
                throw failed("If-Match");
            }
        } else if (ifUnmodifiedSince != null) {
            Instant since = parseDate(ifUnmodifiedSince);
            if (since != null && modified.isAfter(since)) {
                throw failed("If-Unmodified-Since");
            }
        }
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag)) {
                throw notModifiedIs412 ? failed("If-None-Match") : new S3Exception(S3Error.NOT_MODIFIED);
            }
        } else if (ifModifiedSince != null) {
            Instant since = parseDate(ifModifiedSince);
            if (since != null && !modified.isAfter(since)) {
                throw notModifiedIs412 ? failed("If-Modified-Since") : new S3Exception(S3Error.NOT_MODIFIED);
            }
        }
    }

    /** Whether an If-Match / If-None-Match list names this ETag (quotes and W/ optional, "*" matches any). */
    static boolean matches(String header, String etag) {
        String bare = unquote(etag);
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (unquote(c).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /**
     * An HTTP date in any of the three formats RFC 9110 (5.6.7) obliges recipients to accept
     * (IMF-fixdate, RFC 850, asctime), or an ISO instant; an unparseable one is ignored, as RFC 9110 says.
     */
    static Instant parseDate(String value) {
        String trimmed = value.trim();
        try {
            return ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            // try the other formats
        }
        for (DateTimeFormatter obsolete : OBSOLETE_HTTP_DATES) {
            try {
                return obsolete.parse(trimmed, Instant::from);
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        try {
            return Instant.parse(trimmed);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT", two-digit years from 1970) and asctime ("Sun Nov  6 08:49:37 1994"). */
    private static final List<DateTimeFormatter> OBSOLETE_HTTP_DATES = List.of(
            new DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(ChronoField.YEAR, 2, 2, 1970).appendPattern(" HH:mm:ss 'GMT'")
                    .toFormatter(Locale.US).withZone(ZoneOffset.UTC),
            new DateTimeFormatterBuilder().appendPattern("EEE MMM ppd HH:mm:ss yyyy")
                    .toFormatter(Locale.US).withZone(ZoneOffset.UTC));

    private static S3Exception failed(String condition) {
        return new S3Exception(S3Error.PRECONDITION_FAILED).with("Condition", condition);
    }
}

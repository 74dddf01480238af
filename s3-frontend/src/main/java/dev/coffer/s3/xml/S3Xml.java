package dev.coffer.s3.xml;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Fragments several S3 documents share. */
public final class S3Xml {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private S3Xml() {
    }

    /** An Owner element: AWS's canonical user id is the account here; DisplayName is the same. */
    public static void owner(S3XmlWriter xml, String accountId) {
        xml.start("Owner").element("ID", accountId).element("DisplayName", accountId).end();
    }

    /** ISO-8601 with milliseconds, as S3 writes LastModified and CreationDate. */
    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }
}

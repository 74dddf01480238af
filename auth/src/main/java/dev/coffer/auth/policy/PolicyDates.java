package dev.coffer.auth.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Date values of the Date condition operators. AWS accepts "one of the W3C implementations of the
 * ISO 8601 date formats or epoch (UNIX) time"
 * (<a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date">Date
 * condition operators</a>). Accepted here: epoch seconds (optionally fractional), a date-time with an
 * offset or {@code Z}, a date-time without one (read as UTC), {@code YYYY-MM-DD} and {@code YYYY-MM}
 * (the start of that day or month, UTC). A bare four-digit year is read as epoch seconds, because
 * {@code aws:EpochTime} values look the same.
 */
final class PolicyDates {
    private static final Pattern EPOCH_SECONDS = Pattern.compile("-?\\d+(\\.\\d+)?");

    private PolicyDates() {
    }

    /** Parses a date value; throws {@link IllegalArgumentException} if it is none of the forms above. */
    static Instant parse(String value) {
        String text = value.strip();
        if (EPOCH_SECONDS.matcher(text).matches()) {
            try {
                BigDecimal seconds = new BigDecimal(text);
                long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
                long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
                return Instant.ofEpochSecond(whole, nanos);
            } catch (ArithmeticException | DateTimeException outOfRange) {
                throw new IllegalArgumentException("'" + value + "' is out of the range of dates");
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffsetDateTime) {
            // fall through to the forms without an offset
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocalDateTime) {
            // fall through
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
            // fall through
        }
        try {
            return YearMonth.parse(text).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notYearMonth) {
            throw new IllegalArgumentException("'" + value + "' is not an ISO 8601 date or epoch seconds");
        }
    }
}

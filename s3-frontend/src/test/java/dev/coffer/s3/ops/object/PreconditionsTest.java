package dev.coffer.s3.ops.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conditional requests as RFC 9110 section 13.2.2 orders them, with S3's 304-vs-412 split between GET/HEAD and copy sources. */
class PreconditionsTest {
    private static final String ETAG = "\"9b2cf535f27731c974343645a3985328\"";
    /** The stored time has a fraction; HTTP dates have whole seconds, so comparisons are made at second precision. */
    private static final Instant MODIFIED = Instant.parse("2026-03-01T12:00:00.700Z");
    private static final String AT_MODIFIED = "Sun, 01 Mar 2026 12:00:00 GMT";
    private static final String BEFORE = "Sun, 01 Mar 2026 11:59:59 GMT";
    private static final String AFTER = "Sun, 01 Mar 2026 12:00:01 GMT";

    private static Outcome check(boolean copySource, String... namesAndValues) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        try {
            Preconditions.check(headers::get, ETAG, MODIFIED, copySource);
            return Outcome.PROCEED;
        } catch (S3Exception e) {
            return switch (e.error()) {
                case NOT_MODIFIED -> Outcome.NOT_MODIFIED;
                case PRECONDITION_FAILED -> Outcome.PRECONDITION_FAILED;
                default -> throw e;
            };
        }
    }

    private static Outcome get(String... namesAndValues) {
        return check(false, namesAndValues);
    }

    private enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    @Test
    void noConditionsProceed() {
        assertThat(get()).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifMatch() {
        assertThat(get("If-Match", ETAG)).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Match", "9b2cf535f27731c974343645a3985328")).as("unquoted").isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Match", "*")).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Match", "\"other\", " + ETAG)).as("a list").isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Match", "\"other\"")).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Match", "\"9B2CF535F27731C974343645A3985328\"")).as("entity tags are case-sensitive")
                .isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifNoneMatchIsNotModifiedOnGetAndPreconditionFailedOnACopySource() {
        assertThat(get("If-None-Match", ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "*")).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"a\",\"b\" , " + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "\"other\"")).isEqualTo(Outcome.PROCEED);
        assertThat(check(true, "If-None-Match", ETAG)).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifNoneMatchComparesWeaklySoAWeakTagOfTheSameValueMatches() {
        assertThat(get("If-None-Match", "W/" + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-None-Match", "W/\"other\"")).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void datesAreComparedAtSecondPrecision() {
        assertThat(get("If-Unmodified-Since", AT_MODIFIED)).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Unmodified-Since", AFTER)).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Unmodified-Since", BEFORE)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Modified-Since", AT_MODIFIED)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", AFTER)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(get("If-Modified-Since", BEFORE)).isEqualTo(Outcome.PROCEED);
        assertThat(check(true, "If-Modified-Since", AFTER)).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void aTrueIfMatchMakesIfUnmodifiedSinceIrrelevant() {
        // RFC 9110 13.2.2 step 2 and S3's documented behaviour: If-Match true + If-Unmodified-Since false = 200.
        assertThat(get("If-Match", ETAG, "If-Unmodified-Since", BEFORE)).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Match", "\"other\"", "If-Unmodified-Since", AFTER)).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifNoneMatchMakesIfModifiedSinceIrrelevant() {
        // If-None-Match false (the tag differs) + If-Modified-Since false (not modified since) = 200.
        assertThat(get("If-None-Match", "\"other\"", "If-Modified-Since", AFTER)).isEqualTo(Outcome.PROCEED);
        // If-None-Match true (the tag matches) + If-Modified-Since true (modified since) = 304, as S3 documents.
        assertThat(get("If-None-Match", ETAG, "If-Modified-Since", BEFORE)).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void a412ConditionIsEvaluatedBeforeA304One() {
        assertThat(get("If-Match", "\"other\"", "If-None-Match", ETAG)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Unmodified-Since", BEFORE, "If-Modified-Since", AFTER)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Match", ETAG, "If-None-Match", ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void theFailedConditionIsNamedInTheError() {
        assertThatThrownBy(() -> Preconditions.check(Map.of("If-Match", "\"x\"")::get, ETAG, MODIFIED, false))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.PRECONDITION_FAILED);
                    assertThat(e.details()).containsEntry("Condition", "If-Match");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "", "2026-13-45", "Sun, 99 Mar 2026 12:00:00 GMT", "Mon, 01 Mar 2026 12:00:00 GMT",
            "0", "-1", "Sun, 01 Mar 2026 25:00:00 GMT"})
    void datesThatDoNotParseAreIgnored(String date) {
        assertThat(get("If-Unmodified-Since", date)).isEqualTo(Outcome.PROCEED);
        assertThat(get("If-Modified-Since", date)).isEqualTo(Outcome.PROCEED);
        assertThat(check(true, "If-Unmodified-Since", date, "If-Modified-Since", date)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void everyHttpDateFormatIsAccepted() {
        // RFC 9110 5.6.7: recipients MUST accept IMF-fixdate and the obsolete RFC 850 and asctime formats.
        assertThat(Preconditions.parseDate("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(Preconditions.parseDate("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(Preconditions.parseDate("Sun Nov  6 08:49:37 1994")).isEqualTo(Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(Preconditions.parseDate("Thu Nov 26 08:49:37 2026")).isEqualTo(Instant.parse("2026-11-26T08:49:37Z"));
        assertThat(get("If-Unmodified-Since", "Sunday, 01-Mar-26 11:59:59 GMT")).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(get("If-Modified-Since", "Sun Mar  1 12:00:01 2026")).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void conditionsOnAnObjectWithoutConditionHeadersNeverThrow() {
        assertThatCode(() -> Preconditions.check(name -> null, ETAG, MODIFIED, true)).doesNotThrowAnyException();
    }
}

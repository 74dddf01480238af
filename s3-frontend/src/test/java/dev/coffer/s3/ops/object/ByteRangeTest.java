package dev.coffer.s3.ops.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coffer.s3.error.S3Error;
import dev.coffer.s3.error.S3Exception;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Range headers (RFC 9110 section 14) against an object of a given size. */
class ByteRangeTest {
    private static final long SIZE = 1000;

    @ParameterizedTest(name = "{0} of 1000 -> {1}-{2}")
    @CsvSource(textBlock = """
            bytes=0-0,         0,   0
            bytes=0-999,       0,   999
            bytes=10-19,       10,  19
            bytes=999-999,     999, 999
            bytes=500-,        500, 999
            bytes=0-,          0,   999
            bytes=990-5000,    990, 999
            bytes=0-99999999999, 0, 999
            bytes=-1,          999, 999
            bytes=-100,        900, 999
            bytes=-1000,       0,   999
            bytes=-5000,       0,   999
            ' bytes=1-2 ',     1,   2
            """)
    void satisfiableRanges(String header, long first, long last) {
        ByteRange range = ByteRange.parse(header, SIZE).orElseThrow();
        assertThat(range).isEqualTo(new ByteRange(first, last));
        assertThat(range.length()).isEqualTo(last - first + 1);
        assertThat(range.contentRange(SIZE)).isEqualTo("bytes " + first + "-" + last + "/1000");
    }

    @Test
    void noHeaderIsNoRange() {
        assertThat(ByteRange.parse(null, SIZE)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-1000", "bytes=5000-6000", "bytes=-0"})
    void rangesThatSelectNothingAreInvalidRange(String header) {
        assertThatThrownBy(() -> ByteRange.parse(header, SIZE))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.error()).isEqualTo(S3Error.INVALID_RANGE);
                    assertThat(e.error().status()).isEqualTo(416);
                    assertThat(e.details()).containsEntry("RangeRequested", header).containsEntry("ActualObjectSize", "1000");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-", "bytes=0-0", "bytes=-1"})
    void everyRangeOfAnEmptyObjectIsInvalidRange(String header) {
        assertThatThrownBy(() -> ByteRange.parse(header, 0))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_RANGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes=", "bytes=-", "bytes=5-2", "bytes=a-b", "bytes=1-2,4-5", "bytes=0-0, -1",
            "items=0-1", "bytes 0-1", "bytes=--1", "bytes=1--2", "bytes=+1-2", "bytes=0x10-0x20",
            "bytes=99999999999999999999-", "bytes=-99999999999999999999"})
    void headersThatDoNotParseOrAskForSeveralRangesAreIgnored(String header) {
        // RFC 9110: a server MAY ignore a Range it does not understand and send the whole representation.
        assertThat(ByteRange.parse(header, SIZE)).isEqualTo(Optional.empty());
    }
}

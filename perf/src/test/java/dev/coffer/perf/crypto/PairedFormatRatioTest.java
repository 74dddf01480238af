package dev.coffer.perf.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.coffer.perf.crypto.PairedFormatRatio.Case;
import dev.coffer.perf.crypto.PairedFormatRatio.Row;
import dev.coffer.perf.crypto.PairedFormatRatio.Side;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The paired driver's checks and statistics, on stand-in operations (no AES-GCM is run). */
class PairedFormatRatioTest {
    private static final byte[] EXPECTED = {1, 2, 3, 4};

    @Test
    void aSideThatReturnsWrongBytesFailsTheRunBeforeAnythingIsMeasured() {
        byte[] out = new byte[4];
        AtomicInteger formatRuns = new AtomicInteger();
        Side raw = new Side(() -> System.arraycopy(EXPECTED, 0, out, 0, 4),
                () -> PairedFormatRatio.requireEqual(EXPECTED, out, 4, "raw"));
        Side wrong = new Side(() -> {
            formatRuns.incrementAndGet();
            Arrays.fill(out, (byte) 0);
        }, () -> PairedFormatRatio.requireEqual(EXPECTED, out, 4, "format"));

        assertThatThrownBy(() -> PairedFormatRatio.measure(new Case("decrypt", 65536, raw, wrong), 10, 10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("format did not produce the expected bytes");
        assertThat(formatRuns).hasValue(1);
    }

    @Test
    void aSideThatGoesWrongWhileMeasuredFailsTheRunAfterwards() {
        byte[] out = new byte[4];
        AtomicInteger runs = new AtomicInteger();
        Side raw = new Side(() -> System.arraycopy(EXPECTED, 0, out, 0, 4),
                () -> PairedFormatRatio.requireEqual(EXPECTED, out, 4, "raw"));
        Side later = new Side(() -> System.arraycopy(runs.incrementAndGet() > 1 ? new byte[4] : EXPECTED, 0, out, 0, 4),
                () -> PairedFormatRatio.requireEqual(EXPECTED, out, 4, "format"));

        assertThatThrownBy(() -> PairedFormatRatio.measure(new Case("encrypt", 65536, raw, later), 0, 3))
                .isInstanceOf(IllegalStateException.class);
        assertThat(runs).hasValue(5);
    }

    @Test
    void rowsHoldTheRatiosOfEachRoundAndOfTheFastestRuns() throws Exception {
        Side spin = new Side(PairedFormatRatioTest::spinTenMicroseconds, () -> { });
        Row row = PairedFormatRatio.measure(new Case("encrypt", 1 << 20, spin, spin), 0, 9);
        assertThat(row.rawMinNs()).isGreaterThanOrEqualTo(10_000);
        assertThat(row.rounds()).isEqualTo(9);
        assertThat(row.ratioP25()).isLessThanOrEqualTo(row.ratioMedian());
        assertThat(row.ratioMedian()).isLessThanOrEqualTo(row.ratioP75());
        assertThat(row.json()).startsWith("{\"operation\": \"encrypt\", \"segmentSizeBytes\": 1048576, \"rounds\": 9, ");
    }

    @Test
    void aSegmentedSideRunsInTheSameRoundsAndGetsItsOwnRatios() throws Exception {
        AtomicInteger segmentedRuns = new AtomicInteger();
        Side fast = new Side(PairedFormatRatioTest::spinTenMicroseconds, () -> { });
        Side slow = new Side(() -> {
            spinTenMicroseconds();
            spinTenMicroseconds();
        }, () -> { });
        Side segmented = new Side(() -> {
            segmentedRuns.incrementAndGet();
            spinTenMicroseconds();
            spinTenMicroseconds();
        }, () -> { });
        Row row = PairedFormatRatio.measure(new Case("decrypt", 65536, fast, slow, segmented), 2, 7);
        // checked before and after, warmed up twice, measured seven times
        assertThat(segmentedRuns).hasValue(1 + 2 + 7 + 1);
        assertThat(row.segmentedMinNs()).isGreaterThanOrEqualTo(20_000);
        assertThat(row.segmentedRatioMedian()).isGreaterThan(1.0);
        assertThat(row.json()).contains("\"segmentedRatioMedian\": ", "\"formatOverSegmentedMedian\": ",
                "\"segmentedMinNs\": ");
        Row withoutSegmented = PairedFormatRatio.measure(new Case("decrypt", 65536, fast, slow), 0, 3);
        assertThat(withoutSegmented.json()).doesNotContain("segmented");
    }

    private static void spinTenMicroseconds() {
        long end = System.nanoTime() + 10_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void quantilesInterpolateBetweenRanks() {
        double[] sorted = {1, 2, 3, 4, 5};
        assertThat(PairedFormatRatio.quantile(sorted, 0.5)).isEqualTo(3);
        assertThat(PairedFormatRatio.quantile(sorted, 0.25)).isEqualTo(2);
        assertThat(PairedFormatRatio.quantile(new double[] {1, 2}, 0.5)).isCloseTo(1.5, within(1e-12));
        assertThat(PairedFormatRatio.quantile(new long[] {7}, 0.75)).isEqualTo(7);
    }
}

package dev.coffer.perf.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The loopback TCP measurement moves bytes and reports a positive rate, with one stream and several. */
class LoopbackThroughputTest {
    @Test
    void oneAndFourStreamsMeasureAPositiveRate() throws Exception {
        for (int streams : new int[] {1, 4}) {
            double rate = LoopbackThroughput.measureMegabytesPerSecond(streams, Duration.ofMillis(100));
            assertThat(rate).as("%d streams", streams).isPositive().isFinite();
        }
    }
}

package dev.coffer.blockstore.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NbdInlineReadBackoffTest {
    private final NbdInlineReadBackoff backoff = new NbdInlineReadBackoff();

    /** Asks until an offer is made; returns how many reads were skipped before it. */
    private int skippedBeforeNextOffer() {
        int skipped = 0;
        while (!backoff.shouldOffer()) {
            skipped++;
            assertThat(skipped).as("skips without end").isLessThanOrEqualTo(NbdInlineReadBackoff.MAX_SKIPPED);
        }
        return skipped;
    }

    @Test
    void offersEveryReadWhileTheyHit() {
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.shouldOffer()).isTrue();
            backoff.hit();
        }
    }

    @Test
    void consecutiveMissesSkipTwiceAsManyPlusOneUpToTheCap() {
        List<Integer> skipped = new ArrayList<>();
        assertThat(backoff.shouldOffer()).isTrue();
        for (int miss = 0; miss < 9; miss++) {
            backoff.miss();
            skipped.add(skippedBeforeNextOffer());
        }
        assertThat(skipped).containsExactly(1, 3, 7, 15, 31, 63, 63, 63, 63);
    }

    @Test
    void aHitEndsTheBackoffAndTheNextMissStartsAgainAtOne() {
        for (int miss = 0; miss < 8; miss++) {
            backoff.miss();
            skippedBeforeNextOffer();
        }
        backoff.hit();
        assertThat(skippedBeforeNextOffer()).isZero();
        assertThat(skippedBeforeNextOffer()).isZero();
        backoff.miss();
        assertThat(skippedBeforeNextOffer()).isEqualTo(1);
    }

    @Test
    void aWorkloadThatNeverHitsIsOfferedAtMostOneReadInSixtyFour() {
        int offers = 0;
        int reads = 64 * 1000;
        for (int i = 0; i < reads; i++) {
            if (backoff.shouldOffer()) {
                offers++;
                backoff.miss();
            }
        }
        assertThat(offers).isLessThanOrEqualTo(reads / (NbdInlineReadBackoff.MAX_SKIPPED + 1) + 6);
    }
}

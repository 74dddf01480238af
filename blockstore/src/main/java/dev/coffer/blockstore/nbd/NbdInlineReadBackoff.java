package dev.coffer.blockstore.nbd;

/**
 * Decides, for one connection, whether a READ that could be offered to the event loop
 * ({@link NbdCommand#tryExecuteWithoutBlocking}) is offered. Every offer the device declines (a
 * miss: the blocks were not in memory, or the lock was taken) makes the connection skip the next
 * offers it could make, 1, then 3, 7, 15, 31 and at most {@value #MAX_SKIPPED} after consecutive
 * misses; an offer the device answers (a hit) ends the backoff, and every read is offered again.
 *
 * <p>Why: a miss costs the event loop a failed in-memory lookup and the read still goes to a
 * worker, so a workload whose hot set is not cached pays for the fast path and gains nothing
 * from it. With the backoff it pays for one lookup in {@value #MAX_SKIPPED} + 1 reads at most,
 * while a workload that hits keeps offering every read. A skipped read goes to a worker, which
 * answers every read correctly, so the backoff only ever costs speed, never an answer.
 *
 * <p>Not thread-safe: confined to the connection's event loop, as its handler is.
 */
final class NbdInlineReadBackoff {
    /** The longest run of skipped offers: 2^6 - 1, reached after six misses in a row. */
    static final int MAX_SKIPPED = 63;

    /** How many offers the last miss made the connection skip; 0 after a hit. */
    private int skippedAfterLastMiss;
    private int skipsLeft;

    /** Whether to offer the next eligible read; a false answer counts as one skipped offer. */
    boolean shouldOffer() {
        if (skipsLeft > 0) {
            skipsLeft--;
            return false;
        }
        return true;
    }

    /** The device answered an offered read. */
    void hit() {
        skippedAfterLastMiss = 0;
        skipsLeft = 0;
    }

    /** The device declined an offered read (or failed on it). */
    void miss() {
        skippedAfterLastMiss = Math.min(2 * skippedAfterLastMiss + 1, MAX_SKIPPED);
        skipsLeft = skippedAfterLastMiss;
    }
}

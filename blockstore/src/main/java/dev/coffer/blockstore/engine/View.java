package dev.coffer.blockstore.engine;

/**
 * What a volume or snapshot sees, as levels searched in order: at level {@code k}, block {@code i} is
 * the record of space {@code spaceIds[k]} and index {@code i} with the largest epoch at most
 * {@code epochBounds[k]}; a tombstone there reads as zeros, and no record falls through to level
 * {@code k + 1}; past the last level a block reads as zeros.
 */
record View(long[] spaceIds, long[] epochBounds) {
    int depth() {
        return spaceIds.length;
    }

    /** This view with level 0's bound replaced (what a trim at {@code epoch} hides: the view at {@code epoch - 1}). */
    View withTopBound(long bound) {
        long[] bounds = epochBounds.clone();
        bounds[0] = bound;
        return new View(spaceIds, bounds);
    }
}

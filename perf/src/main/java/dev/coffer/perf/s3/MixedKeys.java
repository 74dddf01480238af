package dev.coffer.perf.s3;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of one target's round of a mixed row (70% GETs, 30% PUTs) and which object each holds. GETs
 * read the objects written before the round (the GET rows' objects) and, once their PUT has been
 * answered, those the round wrote; PUTs write new keys, never one that exists. So every key has exactly
 * one version, a GET never races a PUT of its key, and every byte a GET receives can be compared with
 * the object it must be, however the requests interleave.
 */
final class MixedKeys {
    /** One request of the round: read or write {@code key}, which holds object {@code payloadIndex}. */
    record Choice(boolean put, String key, long payloadIndex) {}

    /**
     * Where the round's new objects start in {@link ObjectPayload}'s numbering: away from the pre-written
     * ones (0 to at most 999), so that a new key's bytes differ from theirs.
     */
    static final long NEW_OBJECTS = 30_011;

    private final List<String> keys = new ArrayList<>();
    private final List<Long> payloads = new ArrayList<>();
    private final String newKeyPrefix;
    private final int preWritten;

    /** {@code existing.get(i)} holds object {@code i}; the round's PUTs write {@code newKeyPrefix + sequence}. */
    MixedKeys(List<String> existing, String newKeyPrefix) {
        if (existing.isEmpty()) {
            throw new IllegalArgumentException("a mixed round needs objects written beforehand");
        }
        for (int i = 0; i < existing.size(); i++) {
            keys.add(existing.get(i));
            payloads.add((long) i);
        }
        this.preWritten = existing.size();
        this.newKeyPrefix = newKeyPrefix;
    }

    /** Three requests in ten are PUTs, spread evenly over the sequence (numbers 2, 5 and 8 of every ten). */
    static boolean isPut(long sequence) {
        long r = sequence % 10;
        return r == 2 || r == 5 || r == 8;
    }

    /**
     * Request {@code sequence}: a PUT of a new key, or a GET of a key chosen (by a hash of the sequence)
     * among the pre-written ones and the ones this round's PUTs have finished writing.
     */
    synchronized Choice next(long sequence) {
        if (isPut(sequence)) {
            return new Choice(true, newKeyPrefix + sequence, NEW_OBJECTS + sequence);
        }
        int i = (int) Long.remainderUnsigned(mix(sequence), keys.size());
        return new Choice(false, keys.get(i), payloads.get(i));
    }

    /** A PUT was answered: its key may now be read. */
    synchronized void written(Choice put) {
        if (!put.put()) {
            throw new IllegalArgumentException("not a PUT: " + put);
        }
        keys.add(put.key());
        payloads.add(put.payloadIndex());
    }

    /** The keys this round's PUTs wrote (to delete afterwards). */
    synchronized List<String> newKeys() {
        return List.copyOf(keys.subList(preWritten, keys.size()));
    }

    synchronized int size() {
        return keys.size();
    }

    /** SplitMix64's finaliser: spreads consecutive sequence numbers over all keys. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package dev.coffer.s3.sse;

import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Data keys reused across objects for a bounded time and number of uses: S3 Bucket Keys (one per
 * requester, KMS key and context) and SSE-S3's service data keys (one per bucket). Each slot holds
 * one key; a slot whose key is too old or used up gets a fresh one from the KMS on its next use.
 * Callers get a copy of the key to destroy when done; the cache destroys its own when it replaces
 * or drops it. Thread-safe: concurrent misses on one slot make one KMS call.
 */
public final class DataKeyCache {
    /** AWS documents bucket keys as short-lived without a figure; ten minutes bounds how long a revoked permission lingers. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);
    public static final long DEFAULT_MAX_USES = 1_000_000;
    private static final int SWEEP_AT_SLOTS = 10_000;

    private final Duration lifetime;
    private final long maxUses;
    private final Clock clock;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    public DataKeyCache(Duration lifetime, long maxUses, Clock clock) {
        if (lifetime.isNegative() || maxUses < 1) {
            throw new IllegalArgumentException("lifetime must not be negative and uses must be at least 1");
        }
        this.lifetime = lifetime;
        this.maxUses = maxUses;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static DataKeyCache defaults(Clock clock) {
        return new DataKeyCache(DEFAULT_LIFETIME, DEFAULT_MAX_USES, clock);
    }

    /** A cached key and the KMS facts that go with it (ARN, blob); {@code blob} is null for decrypted entries. */
    public record Cached(String keyArn, SecretBytes plaintext, byte[] blob) {
        @Override
        public String toString() {
            return "Cached[" + keyArn + "]";
        }
    }

    /**
     * The key of slot {@code id}, loading a fresh one when there is none or it expired.
     * The returned plaintext is the caller's copy.
     */
    public Cached get(String id, Supplier<Cached> load) {
        Slot slot = slots.computeIfAbsent(id, k -> new Slot());
        Cached copy;
        synchronized (slot) {
            Instant now = clock.instant();
            if (slot.value == null || slot.uses >= maxUses || !now.isBefore(slot.loadedAt.plus(lifetime))) {
                Cached fresh = load.get();
                if (slot.value != null) {
                    slot.value.plaintext().destroy();
                }
                slot.value = fresh;
                slot.loadedAt = now;
                slot.uses = 0;
            }
            slot.uses++;
            copy = new Cached(slot.value.keyArn(),
                    SecretBytes.copyOf(slot.value.plaintext().unsafeView(SecretAccess.explicitly())), slot.value.blob());
        }
        if (slots.size() > SWEEP_AT_SLOTS) {
            sweep();
        }
        return copy;
    }

    /** Forgets every key (tests; an operator revoking access at once). */
    public void clear() {
        slots.forEach((id, slot) -> {
            synchronized (slot) {
                if (slot.value != null) {
                    slot.value.plaintext().destroy();
                    slot.value = null;
                }
            }
        });
        slots.clear();
    }

    private void sweep() {
        Instant now = clock.instant();
        slots.forEach((id, slot) -> {
            synchronized (slot) {
                if (slot.value != null && !now.isBefore(slot.loadedAt.plus(lifetime))) {
                    slot.value.plaintext().destroy();
                    slot.value = null;
                    slots.remove(id, slot);
                }
            }
        });
    }

    private static final class Slot {
        private Cached value;
        private Instant loadedAt;
        private long uses;
    }
}

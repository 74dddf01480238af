package dev.coffer.s3.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coffer.crypto.SecretAccess;
import dev.coffer.crypto.SecretBytes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bucket keys and SSE-S3 service keys: reused while young and not used up, replaced (and destroyed) after. */
class DataKeyCacheTest {
    private final MutableClock clock = new MutableClock();
    private final AtomicInteger loads = new AtomicInteger();

    private DataKeyCache.Cached load() {
        int n = loads.incrementAndGet();
        return new DataKeyCache.Cached("arn:" + n, SecretBytes.copyOf(new byte[] {(byte) n}), new byte[] {(byte) n});
    }

    @Test
    void aKeyIsReusedUntilItsLifetimeEndsThenReplaced() {
        DataKeyCache cache = new DataKeyCache(Duration.ofMinutes(10), 1_000, clock);
        assertThat(cache.get("a", this::load).keyArn()).isEqualTo("arn:1");
        clock.advance(Duration.ofMinutes(9));
        assertThat(cache.get("a", this::load).keyArn()).isEqualTo("arn:1");
        assertThat(cache.get("b", this::load).keyArn()).isEqualTo("arn:2");
        clock.advance(Duration.ofMinutes(1));
        assertThat(cache.get("a", this::load).keyArn()).isEqualTo("arn:3");
        assertThat(loads).hasValue(3);
    }

    @Test
    void aKeyIsReplacedAfterItsUses() {
        DataKeyCache cache = new DataKeyCache(Duration.ofHours(1), 3, clock);
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            arns.add(cache.get("a", this::load).keyArn());
        }
        assertThat(arns).containsExactly("arn:1", "arn:1", "arn:1", "arn:2", "arn:2", "arn:2", "arn:3");
    }

    @Test
    void callersGetCopiesTheyMayDestroy() {
        DataKeyCache cache = new DataKeyCache(Duration.ofHours(1), 100, clock);
        SecretBytes first = cache.get("a", this::load).plaintext();
        first.destroy();
        SecretBytes second = cache.get("a", this::load).plaintext();
        assertThat(second.isDestroyed()).isFalse();
        assertThat(second.toByteArray(SecretAccess.explicitly())).containsExactly(1);
    }

    @Test
    void concurrentMissesOnOneSlotLoadOnce() throws Exception {
        DataKeyCache cache = new DataKeyCache(Duration.ofHours(1), 1_000_000, clock);
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> cache.get("a", () -> {
                    sleep();
                    return load();
                }).keyArn()));
            }
            for (Future<String> f : results) {
                assertThat(f.get()).isEqualTo("arn:1");
            }
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void clearForgetsEveryKey() {
        DataKeyCache cache = new DataKeyCache(Duration.ofHours(1), 100, clock);
        cache.get("a", this::load);
        cache.clear();
        assertThat(cache.get("a", this::load).keyArn()).isEqualTo("arn:2");
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class MutableClock extends java.time.Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package dev.coffer.kms;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per account for cryptographic operations (AWS's shared symmetric-crypto quota):
 * {@code ratePerSecond} tokens a second, bursting to one second's worth. Beyond it, ThrottlingException.
 */
final class RequestRateLimiter {
    private final double ratePerSecond;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RequestRateLimiter(int ratePerSecond, Clock clock) {
        this.ratePerSecond = ratePerSecond;
        this.clock = clock;
    }

    boolean tryAcquire(String account) {
        return buckets.computeIfAbsent(account, a -> new Bucket(ratePerSecond, clock.millis())).tryAcquire(clock.millis());
    }

    private static final class Bucket {
        private final double rate;
        private double tokens;
        private long lastMillis;

        Bucket(double rate, long now) {
            this.rate = rate;
            this.tokens = rate;
            this.lastMillis = now;
        }

        synchronized boolean tryAcquire(long now) {
            if (now > lastMillis) {
                tokens = Math.min(rate, tokens + (now - lastMillis) * rate / 1000.0);
                lastMillis = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}

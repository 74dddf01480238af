package dev.coffer.kms.hsm;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * A pool of non-thread-safe objects ({@code Cipher}s), so each caller thread uses one at a time
 * without a {@code ThreadLocal} that would outlive the HSM instance. Never more objects than
 * threads that ever used the HSM at the same time.
 */
final class Pool<T> {
    private final ConcurrentLinkedQueue<T> idle = new ConcurrentLinkedQueue<>();
    private final Supplier<T> factory;

    Pool(Supplier<T> factory) {
        this.factory = factory;
    }

    T borrow() {
        T t = idle.poll();
        return t != null ? t : factory.get();
    }

    /** Returns an object whose last use ended normally; an object that failed is simply dropped. */
    void giveBack(T t) {
        idle.offer(t);
    }

    void clear() {
        idle.clear();
    }
}

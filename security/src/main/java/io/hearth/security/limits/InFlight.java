package io.hearth.security.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests of each key that the gateway is working on. One client cannot take every worker thread and connection
 * slot from the others: past its limit its requests are refused at once instead of queued.
 */
public final class InFlight {
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** Counts one more request of {@code keyId} when fewer than {@code max} are in flight; false otherwise. */
    public boolean tryAcquire(String keyId, int max) {
        AtomicInteger c = counts.computeIfAbsent(keyId, k -> new AtomicInteger());
        while (true) {
            int n = c.get();
            if (n >= max) {
                return false;
            }
            if (c.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** One request of {@code keyId} ended (whatever its answer). */
    public void release(String keyId) {
        AtomicInteger c = counts.get(keyId);
        if (c != null) {
            c.decrementAndGet();
        }
    }

    /** Requests of {@code keyId} in flight now. */
    public int current(String keyId) {
        AtomicInteger c = counts.get(keyId);
        return c == null ? 0 : c.get();
    }
}

package io.hearth.security.limits;

import io.hearth.security.keys.Rate;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate limits by the generic cell rate algorithm: per key one number, the theoretical arrival time (TAT) of its next
 * request. A request at {@code now} is admitted when {@code TAT - now} is within the burst tolerance, and moves TAT
 * one interval on; a refused one changes nothing. The same as a token bucket of {@code burst} tokens refilled at the
 * rate, in one compare-and-set instead of a lock. Time comes from the injected clock, so tests move it by hand.
 */
public final class Gcra implements RateLimiter {
    private final Clock clock;
    private final ConcurrentHashMap<String, AtomicLong> tat = new ConcurrentHashMap<>();

    public Gcra(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long tryAcquire(String keyId, Rate rate) {
        AtomicLong t = tat.computeIfAbsent(keyId, k -> new AtomicLong(Long.MIN_VALUE));
        long interval = rate.intervalNanos();
        long tolerance = interval * (rate.burst() - 1);
        long now = clock.millis() * 1_000_000L;
        while (true) {
            long current = t.get();
            long start = Math.max(current, now);
            long wait = start - now - tolerance;
            if (wait > 0) {
                return wait;
            }
            if (t.compareAndSet(current, start + interval)) {
                return 0;
            }
        }
    }
}

package io.hearth.security.audit;

import io.hearth.security.keys.Rate;
import io.hearth.security.limits.Gcra;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps a flood of refused requests (a client guessing keys, a script with a revoked one) from flooding the audit
 * trail: per client address, refusals are recorded at up to one a second after a burst of 20; those left out are
 * counted, and the next one recorded says how many ({@code detail}). Nothing is lost but the repetition.
 */
public final class RefusalThinning {
    private static final Rate RATE = new Rate(1, 20);
    /** Addresses remembered at most; past this the memory starts afresh (an attacker with many addresses). */
    private static final int MAX_ADDRESSES = 10_000;

    private final Clock clock;
    private volatile Gcra limiter;
    private final ConcurrentHashMap<String, AtomicLong> leftOut = new ConcurrentHashMap<>();

    public RefusalThinning(Clock clock) {
        this.clock = clock;
        this.limiter = new Gcra(clock);
    }

    /** Whether to record a refusal from {@code address} now; -1 if not, else how many were left out before it. */
    public long record(String address) {
        if (leftOut.size() > MAX_ADDRESSES) {
            leftOut.clear();
            limiter = new Gcra(clock);
        }
        AtomicLong skipped = leftOut.computeIfAbsent(address, a -> new AtomicLong());
        if (limiter.tryAcquire(address, RATE) > 0) {
            skipped.incrementAndGet();
            return -1;
        }
        return skipped.getAndSet(0);
    }
}

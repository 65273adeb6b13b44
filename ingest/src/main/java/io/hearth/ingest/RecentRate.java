package io.hearth.ingest;

import java.time.Clock;

/** Events per second over the last ten whole seconds, for status pages (Prometheus derives its own rates). */
final class RecentRate {
    private static final int SECONDS = 10;
    private final Clock clock;
    private final long[] counts = new long[SECONDS];
    private final long[] stamps = new long[SECONDS];

    RecentRate(Clock clock) {
        this.clock = clock;
    }

    synchronized void add(long n) {
        long s = clock.millis() / 1000;
        int i = (int) (s % SECONDS);
        if (stamps[i] != s) {
            stamps[i] = s;
            counts[i] = 0;
        }
        counts[i] += n;
    }

    synchronized double perSecond() {
        long now = clock.millis() / 1000;
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            if (stamps[i] < now && stamps[i] >= now - SECONDS) {
                sum += counts[i];
            }
        }
        return (double) sum / SECONDS;
    }
}

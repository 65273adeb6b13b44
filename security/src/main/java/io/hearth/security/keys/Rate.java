package io.hearth.security.keys;

/**
 * A request rate a key may not exceed: {@code perSecond} on average, with bursts of up to {@code burst} requests.
 *
 * @param perSecond requests per second, more than 0
 * @param burst requests that may come at once after a quiet spell, at least 1
 */
public record Rate(double perSecond, int burst) {
    public Rate {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a rate must be a positive number of requests, got " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("a burst must be at least 1 request, got " + burst);
        }
    }

    /** The time between two requests at this rate, in nanoseconds. */
    public long intervalNanos() {
        return Math.max(1, Math.round(1e9 / perSecond));
    }
}

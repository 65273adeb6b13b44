package io.hearth.security.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand: rate limits are tested without sleeping. */
public final class ManualClock extends Clock {
    private volatile long millis;

    public ManualClock(long millis) {
        this.millis = millis;
    }

    public void advance(long by) {
        millis += by;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

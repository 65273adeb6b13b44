package io.hearth.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand: timing rules are tested without sleeping. */
final class ManualClock extends Clock {
    private volatile long millis;

    ManualClock(long millis) {
        this.millis = millis;
    }

    void advance(long by) {
        millis += by;
    }

    void set(long to) {
        millis = to;
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

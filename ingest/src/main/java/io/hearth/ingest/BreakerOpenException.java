package io.hearth.ingest;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.compute.ingest.BreakerState;
import io.hearth.compute.time.Timestamps;

/** Ingestion into a source is halted: its circuit breaker is open. Retrying helps after a reset or the probe time. */
public final class BreakerOpenException extends HearthException {
    private final long retryAfterSeconds;

    BreakerOpenException(String source, BreakerState b, long now) {
        super(ErrorCode.BREAKER_OPEN, "source", "breaker.open", "the circuit breaker of source '" + source
            + "' is open since " + Timestamps.format(b.sinceMillis()) + " (" + b.reason() + "); nothing is ingested "
            + "until POST /v1/sources/" + source + "/breaker/reset or a probe after " + Timestamps.format(b.probeAtMillis()),
            true, null);
        this.retryAfterSeconds = Math.max(1, (b.probeAtMillis() - now + 999) / 1000);
    }

    /** When a retry makes sense: at the half-open probe. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

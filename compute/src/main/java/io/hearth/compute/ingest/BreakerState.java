package io.hearth.compute.ingest;

/**
 * A source's circuit breaker as the cluster keeps it (one per source, shared by every gateway). {@code CLOSED}:
 * ingestion flows. {@code OPEN}: ingestion from the source halts (Kafka consumers pause without committing,
 * HTTP ingest answers 503) until an operator resets it, or until {@code probeAtMillis}, after which the next
 * batch is a half-open probe: if its own reject rate is within the threshold the breaker closes and the batch is
 * applied, otherwise the breaker stays open for another probe interval. {@code generation} grows on every
 * change, so gateways know when to forget the outcomes they counted before a reset.
 */
public final class BreakerState {
    public enum State { CLOSED, OPEN }

    private final State state;
    private final long generation;
    private final long sinceMillis;
    private final long probeAtMillis;
    private final double rejectRate;
    private final double threshold;
    private final String reason;
    private final long trips;

    public BreakerState(State state, long generation, long sinceMillis, long probeAtMillis, double rejectRate,
                        double threshold, String reason, long trips) {
        this.state = state;
        this.generation = generation;
        this.sinceMillis = sinceMillis;
        this.probeAtMillis = probeAtMillis;
        this.rejectRate = rejectRate;
        this.threshold = threshold;
        this.reason = reason;
        this.trips = trips;
    }

    /** The state of a source whose breaker never tripped. */
    public static BreakerState initial() {
        return new BreakerState(State.CLOSED, 0, 0, 0, 0, 0, null, 0);
    }

    public BreakerState open(long now, long probeAfterMillis, double rate, double thresholdValue, String why) {
        return new BreakerState(State.OPEN, generation + 1, now, now + probeAfterMillis, rate, thresholdValue, why,
            trips + 1);
    }

    /** Still open after a failed probe: the next probe waits another interval. */
    public BreakerState probeFailed(long now, long probeAfterMillis, double rate) {
        return new BreakerState(State.OPEN, generation + 1, sinceMillis, now + probeAfterMillis, rate, threshold,
            reason, trips);
    }

    public BreakerState close(long now, String why) {
        return new BreakerState(State.CLOSED, generation + 1, now, 0, 0, threshold, why, trips);
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Open, and its probe time has come. */
    public boolean probeDue(long now) {
        return state == State.OPEN && now >= probeAtMillis;
    }

    public State state() {
        return state;
    }

    public long generation() {
        return generation;
    }

    public long sinceMillis() {
        return sinceMillis;
    }

    public long probeAtMillis() {
        return probeAtMillis;
    }

    public double rejectRate() {
        return rejectRate;
    }

    public double threshold() {
        return threshold;
    }

    public String reason() {
        return reason;
    }

    public long trips() {
        return trips;
    }
}

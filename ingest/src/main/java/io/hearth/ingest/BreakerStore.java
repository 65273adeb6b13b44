package io.hearth.ingest;

import io.hearth.compute.ingest.BreakerState;
import java.util.function.UnaryOperator;

/**
 * Where the circuit breakers' state is kept, as {@link Breakers} needs it: in production the cluster's ingest state
 * ({@link io.hearth.node.store.IngestStateStore}, adapted in {@link Ingest#create}), so that every gateway sees
 * one state per source; in tests a map.
 */
public interface BreakerStore {
    /** A source's breaker as stored now ({@link BreakerState#initial()} when it never changed). */
    BreakerState breaker(String source);

    /**
     * Changes a breaker atomically: {@code change} sees the current state and returns the new one (or the same
     * object for no change). Returns the state after the call.
     */
    BreakerState updateBreaker(String source, UnaryOperator<BreakerState> change);
}

package io.hearth.ingest;

import io.hearth.compute.ingest.BreakerState;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Breaker states in a map, standing in for the cluster's; counts reads so that a test sees what was cached. */
final class InMemoryBreakerStore implements BreakerStore {
    private final Map<String, BreakerState> states = new HashMap<>();
    private int reads;

    @Override
    public synchronized BreakerState breaker(String source) {
        reads++;
        return states.getOrDefault(source, BreakerState.initial());
    }

    @Override
    public synchronized BreakerState updateBreaker(String source, UnaryOperator<BreakerState> change) {
        BreakerState cur = states.getOrDefault(source, BreakerState.initial());
        BreakerState next = change.apply(cur);
        if (next != cur) {
            states.put(source, next);
        }
        return next;
    }

    /** The stored state, without counting a read: what the cluster holds. */
    synchronized BreakerState peek(String source) {
        return states.getOrDefault(source, BreakerState.initial());
    }

    /** Reads of the store through {@link #breaker} so far. */
    synchronized int reads() {
        return reads;
    }
}

package io.hearth.ingest;

import io.hearth.compute.ingest.BreakerState;
import io.hearth.node.store.EventStore;
import io.hearth.node.store.IngestStateStore;
import io.hearth.node.store.QuarantineStore;
import io.hearth.node.store.RegistryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.UnaryOperator;
import org.apache.ignite.Ignite;

/**
 * The ingest side of a process, shared by every way events come in (HTTP, the Kafka bridge, the demo loader): the
 * pipeline that checks and stores records, the circuit breakers, and the ingest state the cluster keeps. A
 * composition root builds one and hands it to the gateway and the connectors.
 */
public record Ingest(RegistryStore registry, IngestPipeline pipeline, Breakers breakers, IngestStateStore state,
                     MeterRegistry meters, io.hearth.quality.Quality quality) {

    /** The ingest side over a grid member, writing events through {@code events}. */
    public static Ingest create(Ignite ignite, RegistryStore registry, EventStore events, Breakers.Settings breakers,
                                Clock clock, MeterRegistry meters) {
        IngestStateStore state = new IngestStateStore(ignite);
        QuarantineStore quarantine = new QuarantineStore(ignite);
        io.hearth.quality.Quality quality = new io.hearth.quality.Quality(new io.hearth.quality.QualityStore(ignite),
            registry::definitions, clock, meters, "gateway:" + ignite.cluster().localNode().consistentId());
        IngestPipeline pipeline = new IngestPipeline(registry::definitions, events::write, quarantine::add, ledger(state),
            clock, meters, quality);
        Breakers b = new Breakers(breakerStore(state), breakers, clock, meters);
        quality.onBlock((source, result) -> b.tripOnExpectation(source, io.hearth.quality.Quality.reason(result)));
        return new Ingest(registry, pipeline, b, state, meters, quality);
    }

    /** The cluster's ledger of accepted record indexes, as the pipeline sees it. */
    private static IngestPipeline.Ledger ledger(IngestStateStore state) {
        return new IngestPipeline.Ledger() {
            @Override
            public long[] acceptedUnder(String source, String idempotencyKey) {
                return state.acceptedUnder(source, idempotencyKey);
            }

            @Override
            public void addAccepted(String source, String idempotencyKey, long[] ranges) {
                state.addAccepted(source, idempotencyKey, ranges);
            }
        };
    }

    /** The cluster's breaker states, as the breakers see them. */
    private static BreakerStore breakerStore(IngestStateStore state) {
        return new BreakerStore() {
            @Override
            public BreakerState breaker(String source) {
                return state.breaker(source);
            }

            @Override
            public BreakerState updateBreaker(String source, UnaryOperator<BreakerState> change) {
                return state.updateBreaker(source, change);
            }
        };
    }
}

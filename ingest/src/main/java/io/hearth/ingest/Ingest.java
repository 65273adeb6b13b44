package io.hearth.ingest;

import io.hearth.node.store.EventStore;
import io.hearth.node.store.IngestStateStore;
import io.hearth.node.store.QuarantineStore;
import io.hearth.node.store.RegistryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.ignite.Ignite;

/**
 * The ingest side of a process, shared by every way events come in (HTTP, the Kafka bridge, the demo loader): the
 * pipeline that checks and stores records, the circuit breakers, and the ingest state the cluster keeps. A
 * composition root builds one and hands it to the gateway and the connectors.
 */
public record Ingest(RegistryStore registry, IngestPipeline pipeline, Breakers breakers, IngestStateStore state,
                     MeterRegistry meters) {

    /** The ingest side over a grid member, writing events through {@code events}. */
    public static Ingest create(Ignite ignite, RegistryStore registry, EventStore events, Breakers.Settings breakers,
                                Clock clock, MeterRegistry meters) {
        IngestStateStore state = new IngestStateStore(ignite);
        IngestPipeline pipeline = new IngestPipeline(registry, events, new QuarantineStore(ignite), state, clock, meters);
        return new Ingest(registry, pipeline, new Breakers(state, breakers, clock, meters), state, meters);
    }
}

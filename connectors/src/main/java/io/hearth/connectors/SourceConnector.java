package io.hearth.connectors;

import io.hearth.ingest.Feeds;

/**
 * A kind of source that runs beside the gateway and feeds its sources' events into the ingest pipeline (the
 * {@link io.hearth.ingest.Ingest} it is built with), as the Kafka bridge does: one class per kind of system, the
 * pipeline unchanged. A connector gives each record its place (where it came from, so that a replay is recognized),
 * writes a batch through {@code IngestPipeline.Batch}, and only then records how far it got; it shows its state to
 * operators through {@link Feeds}. A composition root (the CLI's {@code up} and {@code gateway}) starts it after the
 * gateway and closes it before.
 */
public interface SourceConnector extends Feeds, AutoCloseable {
    /** Starts consuming; returns this. */
    SourceConnector start();

    /** Stops consuming; what was applied stays applied, what was not is consumed again by the next start. */
    @Override
    void close();
}

package io.hearth.ingest;

import java.util.Map;
import java.util.Optional;

/**
 * What feeds sources besides HTTP on this process (a connector such as the Kafka bridge), as operators see it in
 * {@code GET /v1/sources/{name}}. The gateway knows connectors only through this.
 */
public interface Feeds {
    /** No connector runs here. */
    Feeds NONE = new Feeds() {
        @Override
        public boolean running() {
            return false;
        }

        @Override
        public Optional<Consumer> consumer(String source) {
            return Optional.empty();
        }
    };

    /** Whether a connector runs on this process at all. */
    boolean running();

    /** The consumer of one source's stream, once it has started. */
    Optional<Consumer> consumer(String source);

    /**
     * One source's consumer.
     *
     * @param partitions per partition: {next offset applied (-1: none yet), lag}
     */
    record Consumer(String group, String status, String lastError, Map<Integer, long[]> partitions) {
    }
}

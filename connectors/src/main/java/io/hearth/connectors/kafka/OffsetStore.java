package io.hearth.connectors.kafka;

import java.util.Map;
import java.util.Set;

/**
 * Where a consumer group's next offsets are kept, per topic and partition: in production the cluster's ingest
 * state ({@link io.hearth.node.store.IngestStateStore}, adapted in {@link KafkaBridge}), so that any gateway can
 * take a partition over; in tests a map. An offset is stored only once the records before it are durable.
 */
interface OffsetStore {
    /** Stored next offsets of the given partitions (absent: never stored). */
    Map<Integer, Long> offsets(String group, String topic, Set<Integer> partitions);

    /** Stores next offsets (partition to offset); durable when this returns. */
    void storeOffsets(String group, String topic, Map<Integer, Long> next);
}

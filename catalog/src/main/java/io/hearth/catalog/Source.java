package io.hearth.catalog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where events come from and what they must look like. {@code schema} keeps declaration order.
 * {@code createdTimestampField}, {@code idField}, {@code kafkaTopic} and {@code description} may be null.
 * {@code retentionMillis} is how far back lookups ({@code as_of}) and training rows stay exact once compaction has
 * dropped older events; 0 keeps every event.
 */
public record Source(String name, String entity, String timestampField, String createdTimestampField,
                     String idField, Map<String, ColumnType> schema, Map<String, ColumnContract> contract,
                     double quarantineThreshold, String kafkaTopic, String description, long retentionMillis) {

    /** A source that keeps every event. */
    public Source(String name, String entity, String timestampField, String createdTimestampField, String idField,
                  Map<String, ColumnType> schema, Map<String, ColumnContract> contract, double quarantineThreshold,
                  String kafkaTopic, String description) {
        this(name, entity, timestampField, createdTimestampField, idField, schema, contract, quarantineThreshold,
            kafkaTopic, description, 0);
    }

    /** Reject rate over which a source's breaker opens when the definition does not say. */
    public static final double DEFAULT_QUARANTINE_THRESHOLD = 0.05;

    public Source {
        schema = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schema));
        contract = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contract));
    }

    public ColumnType type(String column) {
        return schema.get(column);
    }
}

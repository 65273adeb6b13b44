package io.hearth.catalog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where events come from and what they must look like. {@code schema} keeps declaration order.
 * {@code createdTimestampField}, {@code idField} and {@code kafkaTopic} may be null.
 * {@code retentionMillis} is how far back lookups ({@code as_of}) and training rows stay exact once compaction has
 * dropped older events; 0 keeps every event. {@code columnMeta} holds the metadata of the columns that have any
 * (the long form of a schema entry); {@code meta} the source's own; {@code expectations} what the data as a whole must
 * look like ({@link SourceExpectations#NONE} when nothing is said).
 */
public record Source(String name, String entity, String timestampField, String createdTimestampField,
                     String idField, Map<String, ColumnType> schema, Map<String, ColumnContract> contract,
                     double quarantineThreshold, String kafkaTopic, long retentionMillis, Map<String, Meta> columnMeta,
                     Meta meta, SourceExpectations expectations) {

    /** A source without expectations. */
    public Source(String name, String entity, String timestampField, String createdTimestampField, String idField,
                  Map<String, ColumnType> schema, Map<String, ColumnContract> contract, double quarantineThreshold,
                  String kafkaTopic, long retentionMillis, Map<String, Meta> columnMeta, Meta meta) {
        this(name, entity, timestampField, createdTimestampField, idField, schema, contract, quarantineThreshold,
            kafkaTopic, retentionMillis, columnMeta, meta, SourceExpectations.NONE);
    }

    /** This source with {@code e} as its expectations. */
    public Source withExpectations(SourceExpectations e) {
        return new Source(name, entity, timestampField, createdTimestampField, idField, schema, contract,
            quarantineThreshold, kafkaTopic, retentionMillis, columnMeta, meta, e);
    }

    /** A source that keeps every event, with a description only. */
    public Source(String name, String entity, String timestampField, String createdTimestampField, String idField,
                  Map<String, ColumnType> schema, Map<String, ColumnContract> contract, double quarantineThreshold,
                  String kafkaTopic, String description) {
        this(name, entity, timestampField, createdTimestampField, idField, schema, contract, quarantineThreshold,
            kafkaTopic, description, 0);
    }

    /** A source with a description only. */
    public Source(String name, String entity, String timestampField, String createdTimestampField, String idField,
                  Map<String, ColumnType> schema, Map<String, ColumnContract> contract, double quarantineThreshold,
                  String kafkaTopic, String description, long retentionMillis) {
        this(name, entity, timestampField, createdTimestampField, idField, schema, contract, quarantineThreshold,
            kafkaTopic, retentionMillis, Map.of(), Meta.described(description));
    }

    /** Reject rate over which a source's breaker opens when the definition does not say. */
    public static final double DEFAULT_QUARANTINE_THRESHOLD = 0.05;

    public Source {
        schema = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schema));
        contract = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contract));
        Map<String, Meta> cm = new LinkedHashMap<>();
        if (columnMeta != null) {
            columnMeta.forEach((c, m) -> {
                if (m != null && !m.isEmpty()) { // "no metadata" has one form, so equal sources compare equal
                    cm.put(c, m);
                }
            });
        }
        columnMeta = java.util.Collections.unmodifiableMap(cm);
        meta = meta == null ? Meta.NONE : meta;
        expectations = expectations == null ? SourceExpectations.NONE : expectations;
    }

    public ColumnType type(String column) {
        return schema.get(column);
    }

    /** The metadata of one column, {@link Meta#NONE} when it has none. */
    public Meta column(String column) {
        return columnMeta.getOrDefault(column, Meta.NONE);
    }

    public String description() {
        return meta.description();
    }
}

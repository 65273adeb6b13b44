package io.hearth.compute.ingest;

import java.sql.Timestamp;
import org.apache.ignite.cache.query.annotations.QuerySqlField;

/**
 * A record that broke its source's schema or contract, kept with the raw record and the rule it broke. Rows of
 * the SQL table {@code HEARTH.QUARANTINE}.
 */
public final class QuarantinedRecord {
    @QuerySqlField(index = true)
    private final String source;
    @QuerySqlField(index = true)
    private final Timestamp receivedAt;
    /** Where it came from: an ingest request id (http), a file, or topic/partition/offset. */
    @QuerySqlField
    private final String origin;
    @QuerySqlField
    private final long rowIndex;
    @QuerySqlField
    private final String field;
    @QuerySqlField(index = true)
    private final String rule;
    @QuerySqlField
    private final String message;
    @QuerySqlField
    private final String raw;

    public QuarantinedRecord(String source, long receivedAtMillis, String origin, long rowIndex, String field,
                             String rule, String message, String raw) {
        this.source = source;
        this.receivedAt = new Timestamp(receivedAtMillis);
        this.origin = origin;
        this.rowIndex = rowIndex;
        this.field = field;
        this.rule = rule;
        this.message = message;
        this.raw = raw;
    }

    public String source() {
        return source;
    }

    public long receivedAtMillis() {
        return receivedAt.getTime();
    }

    public String origin() {
        return origin;
    }

    public long rowIndex() {
        return rowIndex;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }

    public String message() {
        return message;
    }

    public String raw() {
        return raw;
    }
}

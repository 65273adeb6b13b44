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
    /**
     * What makes a resent record the same record, when not its origin and index: {@code id:<value>} for a record
     * with an id field sent without an idempotency key. Null otherwise.
     */
    private final String place;
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
        this(source, receivedAtMillis, origin, rowIndex, null, field, rule, message, raw);
    }

    public QuarantinedRecord(String source, long receivedAtMillis, String origin, long rowIndex, String place,
                             String field, String rule, String message, String raw) {
        this.source = source;
        this.receivedAt = new Timestamp(receivedAtMillis);
        this.origin = origin;
        this.rowIndex = rowIndex;
        this.place = place;
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

    public String place() {
        return place;
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

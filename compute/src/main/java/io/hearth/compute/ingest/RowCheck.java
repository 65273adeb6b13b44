package io.hearth.compute.ingest;

/**
 * The outcome of checking one incoming record against its source: either an accepted event in storage form or
 * the first rule it breaks.
 */
public sealed interface RowCheck {

    /** A valid event: entity key, event time, created time (or EventBlock.NO_CREATED), id hash (0 = none). */
    record Accepted(String entity, long eventTs, long createdTs, long idHash, Object[] values) implements RowCheck {
    }

    /** A record that breaks {@code rule} at {@code field} (null when the record as a whole is at fault). */
    record Rejected(String field, String rule, String message) implements RowCheck {
    }
}

package io.hearth.compute.semantics;

/**
 * A feature's value at a time: {@code value} is a Long, Double, String, Boolean or null; {@code eventTs} the
 * event time it came from ({@link #NO_TIME} when none).
 */
public record FeatureValue(Object value, Status status, long eventTs) {
    public static final long NO_TIME = Long.MIN_VALUE;
    public static final FeatureValue NOT_FOUND = new FeatureValue(null, Status.NOT_FOUND, NO_TIME);

    public boolean hasTime() {
        return eventTs != NO_TIME;
    }
}

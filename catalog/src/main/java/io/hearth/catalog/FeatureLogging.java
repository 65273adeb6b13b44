package io.hearth.catalog;

/**
 * Feature logging of a feature service ({@code logging:} in its definition): which of its lookups are logged, what
 * happens when the log cannot keep up, how long logs are kept, and where outcomes of its predictions arrive.
 *
 * <ul>
 *   <li>{@code sampleRate} in [0, 1]: a lookup is logged when the hash of its request id falls below it, so the
 *       same request id is logged, or not, every time (docs/semantics.md, "Feature logging").</li>
 *   <li>{@code onOverload}: with the log's queue full, {@link Overload#DROP} drops the record (and counts it),
 *       {@link Overload#BLOCK} makes the lookup wait for room.</li>
 *   <li>{@code retentionMillis}: logs older than this are deleted.</li>
 *   <li>{@code outcomesTopic}: a Kafka topic of outcomes ({@code request_id}, {@code label}, {@code value},
 *       {@code outcome_ts}), consumed by the Kafka bridge; null when outcomes arrive only over HTTP.</li>
 * </ul>
 * A service without a {@code logging:} section has {@link #NONE}: nothing is logged, and logs written under an
 * earlier version are kept for the default retention.
 */
public record FeatureLogging(double sampleRate, Overload onOverload, long retentionMillis, String outcomesTopic) {

    /** What a full log queue does to a lookup that should be logged. */
    public enum Overload {
        DROP, BLOCK;

        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The overload mode a definition spells, or null. */
        public static Overload parse(String s) {
            return switch (s == null ? "" : s.trim()) {
                case "drop" -> DROP;
                case "block" -> BLOCK;
                default -> null;
            };
        }
    }

    /** How long logs are kept when the definition does not say. */
    public static final long DEFAULT_RETENTION_MILLIS = 90L * 86_400_000L;

    /** No logging: the service's lookups are not logged. */
    public static final FeatureLogging NONE = new FeatureLogging(0.0, Overload.DROP, DEFAULT_RETENTION_MILLIS, null);

    public FeatureLogging {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sample_rate must be from 0 to 1, got " + sampleRate);
        }
        if (onOverload == null) {
            throw new IllegalArgumentException("on_overload is required");
        }
        if (retentionMillis <= 0) {
            throw new IllegalArgumentException("retention must be positive, got " + retentionMillis);
        }
    }

    /** Whether any lookup is logged. */
    public boolean isOn() {
        return sampleRate > 0;
    }
}

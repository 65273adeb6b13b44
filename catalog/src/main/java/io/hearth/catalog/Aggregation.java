package io.hearth.catalog;

import java.util.Locale;

/** Windowed aggregates. Semantics are in docs/semantics.md and io.hearth.compute.semantics. */
public enum Aggregation {
    COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX, STDDEV, FIRST, LAST;

    /** Whether the aggregate needs a numeric column. */
    public boolean needsNumeric() {
        return this == SUM || this == AVG || this == MIN || this == MAX || this == STDDEV;
    }

    /** The type of the aggregate's values over a column of {@code column}'s type. */
    public ColumnType resultType(ColumnType column) {
        return switch (this) {
            case COUNT, COUNT_DISTINCT -> ColumnType.LONG;
            case SUM, AVG, STDDEV -> ColumnType.DOUBLE;
            default -> column;
        };
    }

    /** Whether the aggregate may be written without a column (counts events). */
    public boolean columnOptional() {
        return this == COUNT;
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Aggregation parse(String s) {
        if (s == null) {
            return null;
        }
        for (Aggregation a : values()) {
            if (a.spelling().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        return null;
    }
}

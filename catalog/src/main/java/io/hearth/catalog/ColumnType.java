package io.hearth.catalog;

import java.util.Locale;

/** The value types a source schema may declare. Names are what definitions files spell. */
public enum ColumnType {
    STRING, INT, LONG, FLOAT, DOUBLE, BOOL, TIMESTAMP;

    /** Whether sum, avg, min, max and stddev are defined over this type. */
    public boolean isNumeric() {
        return this == INT || this == LONG || this == FLOAT || this == DOUBLE;
    }

    /** Whether values are integral (stored as long). */
    public boolean isIntegral() {
        return this == INT || this == LONG || this == BOOL || this == TIMESTAMP;
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a type name as definitions spell it; {@code null} when unknown. */
    public static ColumnType parse(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "string", "str" -> STRING;
            case "int", "int32", "integer" -> INT;
            case "long", "int64", "bigint" -> LONG;
            case "float", "float32" -> FLOAT;
            case "double", "float64" -> DOUBLE;
            case "bool", "boolean" -> BOOL;
            case "timestamp", "datetime" -> TIMESTAMP;
            default -> null;
        };
    }
}

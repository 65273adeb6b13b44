package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;

/**
 * The primitive array a column's values are held in: integral types (int, long, bool, timestamp) as {@code long[]},
 * float and double as {@code double[]}, strings as {@code String[]}. Declared from narrowest to widest: a column
 * whose type changed between blocks joins in the wider of the two ({@link #wider}).
 */
public enum Storage {
    LONG, DOUBLE, STRING;

    private static final ColumnType[] TYPES = ColumnType.values();

    public static Storage of(ColumnType type) {
        return switch (type) {
            case FLOAT, DOUBLE -> DOUBLE;
            case STRING -> STRING;
            default -> LONG;
        };
    }

    /** The storage of the column type with this code (its ordinal, as blocks store it). */
    public static Storage ofCode(byte type) {
        return of(TYPES[type]);
    }

    /** The storage that holds values of both without loss: numbers widen (to double if either is), the rest is text. */
    static Storage wider(Storage a, Storage b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The column type a column of this storage takes when blocks that disagree on its type are joined. */
    ColumnType joinedType() {
        return switch (this) {
            case LONG -> ColumnType.LONG;
            case DOUBLE -> ColumnType.DOUBLE;
            case STRING -> ColumnType.STRING;
        };
    }
}

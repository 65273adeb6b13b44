package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;
import java.util.Map;

/**
 * Values of a column whose type changed between blocks: read in the type the schema declares now, and joined in a
 * type that holds both. Conversions go value by value through the boxed form; they run only on columns written
 * before a type change, never on the common path.
 */
final class BlockConversions {
    private BlockConversions() {
    }

    /**
     * {@code b} with every column the schema names in the schema's type: {@code b} itself when they all are
     * already, else a copy whose columns written before a type change are converted value by value.
     */
    static EventBlock conformTo(EventBlock b, Map<String, ColumnType> schema) {
        boolean same = true;
        for (int c = 0; c < b.names.length; c++) {
            ColumnType want = schema.get(b.names[c]);
            same &= want == null || want == b.type(c);
        }
        if (same) {
            return b;
        }
        byte[] types = b.types.clone();
        ColumnValues[] cols = b.cols.clone();
        for (int c = 0; c < b.names.length; c++) {
            ColumnType want = schema.get(b.names[c]);
            if (want != null && want != b.type(c)) {
                types[c] = (byte) want.ordinal();
                cols[c] = converted(b, c, want);
            }
        }
        return new EventBlock(b.names, types, b.size, b.ts, b.created, b.idHashes, cols);
    }

    /** Column c of {@code b}, converted value by value to {@code type}. */
    static ColumnValues converted(EventBlock b, int c, ColumnType type) {
        ColumnValues from = b.cols[c];
        ColumnType fromType = b.type(c);
        ColumnValues to = ColumnValues.allocate(Storage.of(type), b.size);
        for (int i = 0; i < b.size; i++) {
            to.set(i, from.isNull(i) ? null : from.boxed(fromType, i));
        }
        return to;
    }

    /** A boolean as 1/0, text as the number it spells, or null when it spells none. */
    static Number number(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return s.equalsIgnoreCase("true") ? 1L : 0L;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            // maybe a decimal
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The type (as its code) that holds values of both without loss: numbers widen, the rest is text. */
    static byte common(byte a, byte b) {
        if (a == b) {
            return a;
        }
        return (byte) Storage.wider(Storage.ofCode(a), Storage.ofCode(b)).joinedType().ordinal();
    }
}

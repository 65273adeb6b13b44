package io.hearth.compute.training;

import io.hearth.catalog.ColumnType;
import java.util.Objects;

/**
 * One output column of a training set, values unboxed: INT, LONG and TIMESTAMP (epoch millis) as {@code long[]},
 * FLOAT and DOUBLE as {@code double[]}, BOOL as {@code boolean[]}, STRING as {@code String[]}; nulls in a bitmap.
 *
 * <p>Collected join results travel from the node jobs in these (a few primitive arrays per feature instead of a
 * boxed value per cell), and files are written from them column by column. A class with plain array fields, not a
 * record: it crosses nodes through Ignite's binary marshaller. Not thread-safe while being filled.
 */
public final class ValueColumn {
    private final ColumnType type;
    private final int size;
    private long[] longs;
    private double[] doubles;
    private boolean[] bools;
    private String[] strings;
    /** Bit i set: value i is null. */
    private final long[] nulls;

    public ValueColumn(ColumnType type, int size) {
        this.type = Objects.requireNonNull(type, "type");
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " < 0");
        }
        this.size = size;
        this.nulls = new long[(size + 63) >>> 6];
        switch (type) {
            case INT, LONG, TIMESTAMP -> longs = new long[size];
            case FLOAT, DOUBLE -> doubles = new double[size];
            case BOOL -> bools = new boolean[size];
            case STRING -> strings = new String[size];
        }
    }

    /** Column {@code c} of row-major {@code rows} (values as {@link #set} takes them), e.g. a spine column. */
    public static ValueColumn ofRows(ColumnType type, Object[][] rows, int c) {
        ValueColumn col = new ValueColumn(type, rows.length);
        for (int r = 0; r < rows.length; r++) {
            col.set(r, rows[r][c]);
        }
        return col;
    }

    public ColumnType type() {
        return type;
    }

    public int size() {
        return size;
    }

    /**
     * Sets value {@code i}: null, or a Number for INT/LONG/TIMESTAMP (epoch millis; a {@link java.util.Date} too) and
     * FLOAT/DOUBLE, a Boolean for BOOL, anything for STRING (its {@code toString()}), as training rows take them.
     */
    public void set(int i, Object v) {
        if (v == null) {
            nulls[i >>> 6] |= 1L << i;
            return;
        }
        nulls[i >>> 6] &= ~(1L << i);
        switch (type) {
            case INT, LONG -> longs[i] = ((Number) v).longValue();
            case TIMESTAMP -> longs[i] = v instanceof java.util.Date d ? d.getTime() : ((Number) v).longValue();
            case FLOAT, DOUBLE -> doubles[i] = ((Number) v).doubleValue();
            case BOOL -> bools[i] = (Boolean) v;
            case STRING -> strings[i] = v.toString();
        }
    }

    public boolean isNull(int i) {
        return (nulls[i >>> 6] & 1L << i) != 0;
    }

    /** Value {@code i} of an INT, LONG or TIMESTAMP column (undefined when null). */
    public long getLong(int i) {
        return longs[i];
    }

    /** Value {@code i} of a FLOAT or DOUBLE column (undefined when null). */
    public double getDouble(int i) {
        return doubles[i];
    }

    /** Value {@code i} of a BOOL column (undefined when null). */
    public boolean getBool(int i) {
        return bools[i];
    }

    /** Value {@code i} of a STRING column, or null. */
    public String getString(int i) {
        return strings[i];
    }

    /** Value {@code i} boxed: Long (timestamps as epoch millis), Double, Boolean, String, or null. */
    public Object get(int i) {
        if (isNull(i)) {
            return null;
        }
        return switch (type) {
            case INT, LONG, TIMESTAMP -> longs[i];
            case FLOAT, DOUBLE -> doubles[i];
            case BOOL -> bools[i];
            case STRING -> strings[i];
        };
    }

    /** Copies value {@code i} of this column to row {@code to[i]} of {@code dst} (same type), for every i. */
    void scatterTo(ValueColumn dst, int[] to) {
        if (dst.type != type) {
            throw new IllegalArgumentException("cannot copy " + type + " values into a " + dst.type + " column");
        }
        for (int i = 0; i < size; i++) {
            int r = to[i];
            if (isNull(i)) {
                dst.nulls[r >>> 6] |= 1L << r;
                continue;
            }
            dst.nulls[r >>> 6] &= ~(1L << r);
            switch (type) {
                case INT, LONG, TIMESTAMP -> dst.longs[r] = longs[i];
                case FLOAT, DOUBLE -> dst.doubles[r] = doubles[i];
                case BOOL -> dst.bools[r] = bools[i];
                case STRING -> dst.strings[r] = strings[i];
            }
        }
    }
}

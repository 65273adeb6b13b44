package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;

/**
 * One column of an {@link EventBlock}: its values in the primitive array of its {@link Storage} (the other two
 * arrays are null) and a bitmap of its null values (bit i set: value i is null; null when no value is). A null
 * string is a null entry of the array instead; a bitmap a string column carries (blocks of stored form 1 may) is
 * kept as it came, so that a block is written as it was read.
 *
 * <p>Values are set while a block is built, merged or converted, and never after it is handed out. Every dispatch on
 * the storage of a column is here, so that the classes that build and reshape blocks read as if there were one kind.
 */
public final class ColumnValues {
    private final Storage storage;
    private final long[] longs;
    private final double[] doubles;
    private final String[] strings;
    private long[] nulls;

    private ColumnValues(Storage storage, long[] longs, double[] doubles, String[] strings, long[] nulls) {
        this.storage = storage;
        this.longs = longs;
        this.doubles = doubles;
        this.strings = strings;
        this.nulls = nulls;
    }

    /** {@code size} values of {@code storage}, none set: zeros, or nulls for strings. */
    static ColumnValues allocate(Storage storage, int size) {
        return switch (storage) {
            case LONG -> ofLongs(new long[size], null);
            case DOUBLE -> ofDoubles(new double[size], null);
            case STRING -> ofStrings(new String[size], null);
        };
    }

    public static ColumnValues ofLongs(long[] values, long[] nulls) {
        return new ColumnValues(Storage.LONG, values, null, null, nulls);
    }

    public static ColumnValues ofDoubles(double[] values, long[] nulls) {
        return new ColumnValues(Storage.DOUBLE, null, values, null, nulls);
    }

    public static ColumnValues ofStrings(String[] values, long[] nulls) {
        return new ColumnValues(Storage.STRING, null, null, values, nulls);
    }

    public Storage storage() {
        return storage;
    }

    /** The values of a {@link Storage#LONG} column, else null. Callers must not modify. */
    public long[] longs() {
        return longs;
    }

    /** The values of a {@link Storage#DOUBLE} column, else null. Callers must not modify. */
    public double[] doubles() {
        return doubles;
    }

    /** The values of a {@link Storage#STRING} column, else null. Callers must not modify. */
    public String[] strings() {
        return strings;
    }

    /** The null bitmap, or null when it has no bit set. Callers must not modify. */
    public long[] nulls() {
        return nulls;
    }

    boolean isNull(int i) {
        if (strings != null) {
            return strings[i] == null;
        }
        return nulls != null && (nulls[i >>> 6] & (1L << i)) != 0;
    }

    /** Value i boxed in the output form of {@code type} (a bool column's 1/0 as Boolean), or null. */
    Object boxed(ColumnType type, int i) {
        if (strings != null) {
            return strings[i];
        }
        if (nulls != null && (nulls[i >>> 6] & (1L << i)) != 0) {
            return null;
        }
        if (doubles != null) {
            return doubles[i];
        }
        long v = longs[i];
        return type == ColumnType.BOOL ? (Object) (v != 0) : (Object) v;
    }

    /**
     * Sets value i from its boxed form: Long, Double, String, Boolean or null. A value that does not fit the
     * storage (of a column whose type changed) is converted as {@link BlockConversions#number} does.
     */
    void set(int i, Object v) {
        if (v != null && storage != Storage.STRING && !(v instanceof Number)) {
            v = BlockConversions.number(v);
        }
        if (v == null) {
            if (storage != Storage.STRING) {
                markNull(i);
            }
            return;
        }
        switch (storage) {
            case LONG -> longs[i] = ((Number) v).longValue();
            case DOUBLE -> doubles[i] = ((Number) v).doubleValue();
            case STRING -> strings[i] = v.toString();
        }
    }

    private void markNull(int i) {
        if (nulls == null) {
            nulls = new long[(length() + 63) >>> 6];
        }
        nulls[i >>> 6] |= 1L << i;
    }

    private int length() {
        return switch (storage) {
            case LONG -> longs.length;
            case DOUBLE -> doubles.length;
            case STRING -> strings.length;
        };
    }

    /** Sets value k to value i of {@code from}, a column of the same storage and type, whose value i is not null. */
    void copy(ColumnValues from, int i, int k) {
        switch (storage) {
            case LONG -> longs[k] = from.longs[i];
            case DOUBLE -> doubles[k] = from.doubles[i];
            case STRING -> strings[k] = from.strings[i];
        }
    }

    /**
     * Sets the {@code m} values from {@code off} on to the first {@code m} of {@code from} (same storage), nulls
     * included, by whole-array copies.
     */
    void copyRange(ColumnValues from, int off, int m) {
        switch (storage) {
            case LONG -> System.arraycopy(from.longs, 0, longs, off, m);
            case DOUBLE -> System.arraycopy(from.doubles, 0, doubles, off, m);
            case STRING -> System.arraycopy(from.strings, 0, strings, off, m);
        }
        long[] bits = from.nulls;
        if (bits == null) {
            return;
        }
        if (nulls == null) {
            nulls = new long[(length() + 63) >>> 6];
        }
        for (int w = 0; w < bits.length; w++) {
            long word = bits[w];
            while (word != 0) {
                int i = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                if (i < m) {
                    nulls[(off + i) >>> 6] |= 1L << (off + i);
                }
            }
        }
    }
}

package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.semantics.Column;

/** A {@link Column} over one primitive array of an {@link EventBlock}. */
final class BlockColumn implements Column {
    private final ColumnType type;
    private final Object arr;
    private final long[] nullBits;

    BlockColumn(ColumnType type, Object arr, long[] nullBits) {
        this.type = type;
        this.arr = arr;
        this.nullBits = nullBits;
    }

    @Override
    public ColumnType type() {
        return type;
    }

    @Override
    public boolean isNull(int i) {
        if (arr instanceof String[] s) {
            return s[i] == null;
        }
        return nullBits != null && (nullBits[i >>> 6] & (1L << i)) != 0;
    }

    @Override
    public long longAt(int i) {
        return arr instanceof long[] l ? l[i] : (long) ((double[]) arr)[i];
    }

    @Override
    public double doubleAt(int i) {
        return arr instanceof double[] d ? d[i] : ((long[]) arr)[i];
    }

    @Override
    public Object valueAt(int i) {
        return box(type, arr, nullBits, i);
    }

    static Object box(ColumnType type, Object arr, long[] nullBits, int i) {
        if (arr instanceof String[] s) {
            return s[i];
        }
        if (nullBits != null && (nullBits[i >>> 6] & (1L << i)) != 0) {
            return null;
        }
        if (arr instanceof double[] d) {
            return d[i];
        }
        long v = ((long[]) arr)[i];
        return type == ColumnType.BOOL ? (Object) (v != 0) : (Object) v;
    }
}

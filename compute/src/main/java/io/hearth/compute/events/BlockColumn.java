package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.semantics.Column;

/**
 * A {@link Column} over one column of an {@link EventBlock}, read value by value by the semantics: the arrays are
 * taken out of the {@link ColumnValues} once, so that each read is one array access.
 */
final class BlockColumn implements Column {
    private final ColumnType type;
    private final ColumnValues values;
    private final long[] longs;     // exactly one of the three is not null
    private final double[] doubles;
    private final String[] strings;
    private final long[] nullBits;

    BlockColumn(ColumnType type, ColumnValues values) {
        this.type = type;
        this.values = values;
        this.longs = values.longs();
        this.doubles = values.doubles();
        this.strings = values.strings();
        this.nullBits = values.nulls();
    }

    @Override
    public ColumnType type() {
        return type;
    }

    @Override
    public boolean isNull(int i) {
        if (strings != null) {
            return strings[i] == null;
        }
        return nullBits != null && (nullBits[i >>> 6] & (1L << i)) != 0;
    }

    @Override
    public long longAt(int i) {
        return longs != null ? longs[i] : (long) doubles[i];
    }

    @Override
    public double doubleAt(int i) {
        return doubles != null ? doubles[i] : longs[i];
    }

    @Override
    public Object valueAt(int i) {
        return values.boxed(type, i);
    }
}

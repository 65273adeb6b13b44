package io.hearth.compute.semantics;

import io.hearth.catalog.ColumnType;

/** Read access to one column of a time-sorted run of events, as the semantic functions need it. */
public interface Column {
    ColumnType type();

    boolean isNull(int i);

    /** The value as a long; defined for integral types when not null. */
    long longAt(int i);

    /** The value as a double; defined for numeric types when not null. */
    double doubleAt(int i);

    /** The value boxed in its output form (Long, Double, String, Boolean), or null. */
    Object valueAt(int i);

    /** A column where every value is null, for columns an event run does not carry. */
    static Column absent(ColumnType type) {
        return new Column() {
            public ColumnType type() {
                return type;
            }

            public boolean isNull(int i) {
                return true;
            }

            public long longAt(int i) {
                throw new IllegalStateException("null");
            }

            public double doubleAt(int i) {
                throw new IllegalStateException("null");
            }

            public Object valueAt(int i) {
                return null;
            }
        };
    }
}

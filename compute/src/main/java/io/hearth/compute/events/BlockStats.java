package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.semantics.Column;
import io.hearth.compute.semantics.ExactSum;

/**
 * Summary of one stored (immutable) block, kept in the entity's index next to the block's id: for each numeric
 * column, its non-null count, min, max, wrapping long sum and exactly rounded double sum (as {@link ExactSum}
 * partials). A window that wholly covers a block takes these instead of reading the block's events, and gets the
 * same result bit for bit, because every one of these combines independently of order and grouping. Columns that
 * are not numeric are listed by name and type only, so a reader can tell "the block has no such column" (nothing to
 * add) from "the block has it in another type" (written before a schema change: read the events instead).
 */
public final class BlockStats {
    final String[] names;
    final byte[] types;
    final int[] counts;       // non-null values; -1 for columns without stats
    final long[] mins;        // long value, or the raw bits of a double
    final long[] maxs;
    final long[] longSums;
    final double[][] doubleSums; // partials of the values as doubles; null when the running sum overflowed

    private BlockStats(int n) {
        this(new String[n], new byte[n], new int[n], new long[n], new long[n], new long[n], new double[n][]);
    }

    private BlockStats(String[] names, byte[] types, int[] counts, long[] mins, long[] maxs, long[] longSums,
                       double[][] doubleSums) {
        this.names = names;
        this.types = types;
        this.counts = counts;
        this.mins = mins;
        this.maxs = maxs;
        this.longSums = longSums;
        this.doubleSums = doubleSums;
    }

    /** Computes the stats of a stored block. */
    public static BlockStats of(EventBlock b) {
        int n = b.columnNames().size();
        BlockStats s = new BlockStats(n);
        ExactSum sum = new ExactSum();
        for (int c = 0; c < n; c++) {
            ColumnType type = b.type(c);
            s.names[c] = b.columnNames().get(c);
            s.types[c] = (byte) type.ordinal();
            if (!type.isNumeric()) {
                s.counts[c] = -1;
                continue;
            }
            Column col = b.column(s.names[c], type);
            boolean integral = type.isIntegral();
            sum.reset();
            int k = 0;
            long lsum = 0;
            long min = 0;
            long max = 0;
            for (int i = 0; i < b.size(); i++) {
                if (col.isNull(i)) {
                    continue;
                }
                if (integral) {
                    long v = col.longAt(i);
                    lsum += v;
                    min = k == 0 || v < min ? v : min;
                    max = k == 0 || v > max ? v : max;
                } else {
                    double v = col.doubleAt(i);
                    if (k == 0 || Double.compare(v, Double.longBitsToDouble(min)) < 0) {
                        min = Double.doubleToRawLongBits(v);
                    }
                    if (k == 0 || Double.compare(v, Double.longBitsToDouble(max)) > 0) {
                        max = Double.doubleToRawLongBits(v);
                    }
                }
                sum.add(col.doubleAt(i));
                k++;
            }
            s.counts[c] = k;
            s.mins[c] = min;
            s.maxs[c] = max;
            s.longSums[c] = lsum;
            s.doubleSums[c] = sum.overflowed() || sum.hasSpecial() ? null : sum.partials();
        }
        return s;
    }

    /** Position of the named column: {@code >= 0} if it has stats in the given type, -1 if the block lacks the
     * column, -2 if the block has it without stats of that type. */
    public int find(String name, ColumnType type) {
        for (int c = 0; c < names.length; c++) {
            if (names[c] == name || names[c].equals(name)) {
                return types[c] == type.ordinal() && counts[c] >= 0 && doubleSums[c] != null ? c : -2;
            }
        }
        return -1;
    }

    public int count(int c) {
        return counts[c];
    }

    public long min(int c) {
        return mins[c];
    }

    public long max(int c) {
        return maxs[c];
    }

    public long longSum(int c) {
        return longSums[c];
    }

    public double[] doubleSum(int c) {
        return doubleSums[c];
    }

    // ------------------------------------------------------------------ for codecs (io.hearth.node.codec)

    public int columnCount() {
        return names.length;
    }

    public String name(int c) {
        return names[c];
    }

    /** The column's type as a code of {@link ColumnType} (its ordinal). */
    public byte typeCode(int c) {
        return types[c];
    }

    /**
     * Stats of the parts a codec read, per column: name, type code, non-null count (-1: no stats, and the other
     * parts of the column are unused), min, max, long sum and double sum partials. The stats take the arrays.
     */
    public static BlockStats fromParts(String[] names, byte[] types, int[] counts, long[] mins, long[] maxs,
                                       long[] longSums, double[][] doubleSums) {
        return new BlockStats(names, types, counts, mins, maxs, longSums, doubleSums);
    }
}

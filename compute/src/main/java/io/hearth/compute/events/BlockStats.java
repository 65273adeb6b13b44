package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.semantics.Column;
import io.hearth.compute.semantics.ExactSum;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;

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
        names = new String[n];
        types = new byte[n];
        counts = new int[n];
        mins = new long[n];
        maxs = new long[n];
        longSums = new long[n];
        doubleSums = new double[n][];
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

    /** Writes the stats with column names as positions in {@code dict} (the index writes each name once). */
    void write(BinaryRawWriter w, java.util.List<String> dict) {
        w.writeInt(names.length);
        for (int c = 0; c < names.length; c++) {
            w.writeInt(dict.indexOf(names[c]));
            w.writeByte(types[c]);
            w.writeInt(counts[c]);
            if (counts[c] >= 0) {
                w.writeLong(mins[c]);
                w.writeLong(maxs[c]);
                w.writeLong(longSums[c]);
                w.writeDoubleArray(doubleSums[c]);
            }
        }
    }

    static BlockStats read(BinaryRawReader r, String[] dict) {
        int n = r.readInt();
        BlockStats s = new BlockStats(n);
        for (int c = 0; c < n; c++) {
            s.names[c] = dict[r.readInt()];
            s.types[c] = r.readByte();
            s.counts[c] = r.readInt();
            if (s.counts[c] >= 0) {
                s.mins[c] = r.readLong();
                s.maxs[c] = r.readLong();
                s.longSums[c] = r.readLong();
                s.doubleSums[c] = r.readDoubleArray();
            }
        }
        return s;
    }
}

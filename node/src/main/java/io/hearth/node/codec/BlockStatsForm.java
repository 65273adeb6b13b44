package io.hearth.node.codec;

import io.hearth.compute.events.BlockStats;
import java.util.List;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;

/**
 * The raw form of one block's {@link BlockStats} inside its index's binary form ({@link EntityIndexSerializer}):
 * column names as positions in the index's dictionary, so that each name is written once per index.
 */
final class BlockStatsForm {
    private BlockStatsForm() {
    }

    static void write(BinaryRawWriter w, BlockStats s, List<String> dict) {
        w.writeInt(s.columnCount());
        for (int c = 0; c < s.columnCount(); c++) {
            w.writeInt(dict.indexOf(s.name(c)));
            w.writeByte(s.typeCode(c));
            w.writeInt(s.count(c));
            if (s.count(c) >= 0) {
                w.writeLong(s.min(c));
                w.writeLong(s.max(c));
                w.writeLong(s.longSum(c));
                w.writeDoubleArray(s.doubleSum(c));
            }
        }
    }

    static BlockStats read(BinaryRawReader r, String[] dict) {
        int n = r.readInt();
        String[] names = new String[n];
        byte[] types = new byte[n];
        int[] counts = new int[n];
        long[] mins = new long[n];
        long[] maxs = new long[n];
        long[] longSums = new long[n];
        double[][] doubleSums = new double[n][];
        for (int c = 0; c < n; c++) {
            names[c] = dict[r.readInt()];
            types[c] = r.readByte();
            counts[c] = r.readInt();
            if (counts[c] >= 0) {
                mins[c] = r.readLong();
                maxs[c] = r.readLong();
                longSums[c] = r.readLong();
                doubleSums[c] = r.readDoubleArray();
            }
        }
        return BlockStats.fromParts(names, types, counts, mins, maxs, longSums, doubleSums);
    }
}

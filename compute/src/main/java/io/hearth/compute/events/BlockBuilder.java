package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects events in arrival order and lays them out as a block: the work behind {@link EventBlock.Builder}. Event
 * times, created times and id hashes go straight into growing arrays; values stay in the rows they came in until
 * {@link #build}, which knows the block's size.
 */
final class BlockBuilder {
    private final String[] names;
    private final byte[] types;
    private final List<Object[]> rows = new ArrayList<>();
    private long[] ts = new long[16];
    private long[] created = new long[16];
    private long[] idHashes = new long[16];
    private boolean anyCreated;
    private boolean anyId;

    BlockBuilder(List<String> names, List<ColumnType> types) {
        this.names = names.toArray(String[]::new);
        this.types = new byte[types.size()];
        for (int i = 0; i < types.size(); i++) {
            this.types[i] = (byte) types.get(i).ordinal();
        }
    }

    void add(long eventTs, long createdTs, long idHash, Object[] values) {
        int i = rows.size();
        if (i == ts.length) {
            ts = Arrays.copyOf(ts, i * 2);
            created = Arrays.copyOf(created, i * 2);
            idHashes = Arrays.copyOf(idHashes, i * 2);
        }
        ts[i] = eventTs;
        created[i] = createdTs;
        idHashes[i] = idHash;
        anyCreated |= createdTs != EventBlock.NO_CREATED;
        anyId |= idHash != 0;
        rows.add(values);
    }

    int size() {
        return rows.size();
    }

    /**
     * A builder of the same events, in the same order, laid out for other columns: each value moves to the column of
     * its name (and is stored in that column's type when the block is built, as reads convert a block written before a
     * type change), a column this builder lacks is null for them, a column the other lacks is dropped.
     */
    BlockBuilder reshaped(List<String> toNames, List<ColumnType> toTypes) {
        BlockBuilder out = new BlockBuilder(toNames, toTypes);
        int[] from = new int[toNames.size()];
        for (int c = 0; c < from.length; c++) {
            from[c] = Arrays.asList(names).indexOf(toNames.get(c));
        }
        int n = rows.size();
        out.ts = Arrays.copyOf(ts, Math.max(16, n));
        out.created = Arrays.copyOf(created, Math.max(16, n));
        out.idHashes = Arrays.copyOf(idHashes, Math.max(16, n));
        out.anyCreated = anyCreated;
        out.anyId = anyId;
        for (Object[] row : rows) {
            Object[] moved = new Object[from.length];
            for (int c = 0; c < from.length; c++) {
                moved[c] = from[c] < 0 ? null : row[from[c]];
            }
            out.rows.add(moved);
        }
        return out;
    }

    EventBlock build() {
        int n = rows.size();
        EventBlock b = new EventBlock(names, types, n);
        System.arraycopy(ts, 0, b.ts, 0, n);
        b.created = anyCreated ? Arrays.copyOf(created, n) : null;
        b.idHashes = anyId ? Arrays.copyOf(idHashes, n) : null;
        for (int i = 0; i < n; i++) {
            Object[] row = rows.get(i);
            for (int c = 0; c < names.length; c++) {
                b.cols[c].set(i, row[c]);
            }
        }
        return b;
    }
}

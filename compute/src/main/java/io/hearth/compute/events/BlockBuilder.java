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

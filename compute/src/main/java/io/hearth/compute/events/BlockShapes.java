package io.hearth.compute.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders and reshapes blocks: sorting a batch, merging new events into a block, slicing, concatenating and splitting.
 * Each returns a new block; most come down to {@link #gather}, which picks events of several blocks by position and
 * joins their columns by name.
 */
final class BlockShapes {
    private BlockShapes() {
    }

    private static int compareKey(EventBlock a, int i, EventBlock b, int j) {
        int c = Long.compare(a.ts[i], b.ts[j]);
        return c != 0 ? c : Long.compare(a.created(i), b.created(j));
    }

    /** {@code b} stably sorted by (event_ts, created_ts): arrival order breaks the remaining ties. */
    static EventBlock sorted(EventBlock b) {
        int size = b.size;
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> compareKey(b, x, b, y)); // TimSort is stable
        int[] part = new int[size];
        int[] row = new int[size];
        for (int i = 0; i < size; i++) {
            row[i] = order[i];
        }
        return gather(List.of(b), part, row, true);
    }

    /** Sorted {@code incoming} merged into sorted {@code b}: among equal keys, events of {@code b} come first. */
    static EventBlock merge(EventBlock b, EventBlock incoming) {
        int n = b.size + incoming.size;
        int[] part = new int[n];
        int[] row = new int[n];
        int i = 0;
        int j = 0;
        for (int k = 0; k < n; k++) {
            if (j >= incoming.size || (i < b.size && compareKey(b, i, incoming, j) <= 0)) {
                part[k] = 0;
                row[k] = i++;
            } else {
                part[k] = 1;
                row[k] = j++;
            }
        }
        return gather(List.of(b, incoming), part, row, false);
    }

    /** Events {@code [from, to)} of {@code b}. */
    static EventBlock slice(EventBlock b, int from, int to) {
        int n = to - from;
        int[] part = new int[n];
        int[] row = new int[n];
        for (int k = 0; k < n; k++) {
            row[k] = from + k;
        }
        return gather(List.of(b), part, row, false);
    }

    /** Events at the given positions of {@code b}, in that order, with their event id hashes. */
    static EventBlock select(EventBlock b, int[] rows) {
        return gather(List.of(b), new int[rows.length], rows, true);
    }

    /** The events of the blocks one after another; with their event id hashes when {@code keepIds}. */
    static EventBlock concat(List<EventBlock> blocks, boolean keepIds) {
        if (blocks.size() == 1) {
            return blocks.get(0);
        }
        int n = blocks.stream().mapToInt(EventBlock::size).sum();
        if (!blocks.isEmpty() && sameLayout(blocks)) {
            return appendAll(blocks, n, keepIds);
        }
        int[] part = new int[n];
        int[] row = new int[n];
        int k = 0;
        for (int p = 0; p < blocks.size(); p++) {
            for (int i = 0; i < blocks.get(p).size; i++) {
                part[k] = p;
                row[k++] = i;
            }
        }
        return gather(blocks, part, row, keepIds);
    }

    private static boolean sameLayout(List<EventBlock> blocks) {
        EventBlock first = blocks.get(0);
        for (EventBlock b : blocks) {
            if (!Arrays.equals(b.names, first.names) || !Arrays.equals(b.types, first.types)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Concatenation of blocks with one column layout (the common case) by whole-array copies: what a read of several
     * blocks of an entity does on every lookup and training row, so it must not go value by value.
     */
    private static EventBlock appendAll(List<EventBlock> blocks, int n, boolean keepIds) {
        EventBlock first = blocks.get(0);
        EventBlock out = new EventBlock(first.names, first.types, n);
        boolean anyCreated = false;
        boolean anyIds = false;
        for (EventBlock b : blocks) { // loops, not streams: this runs on every lookup that reads several blocks
            anyCreated |= b.created != null;
            anyIds |= keepIds && b.idHashes != null;
        }
        out.created = anyCreated ? new long[n] : null;
        out.idHashes = anyIds ? new long[n] : null;
        int off = 0;
        for (EventBlock b : blocks) {
            int m = b.size;
            System.arraycopy(b.ts, 0, out.ts, off, m);
            if (anyCreated) {
                if (b.created != null) {
                    System.arraycopy(b.created, 0, out.created, off, m);
                } else {
                    Arrays.fill(out.created, off, off + m, EventBlock.NO_CREATED);
                }
            }
            if (anyIds && b.idHashes != null) {
                System.arraycopy(b.idHashes, 0, out.idHashes, off, m);
            }
            for (int c = 0; c < out.cols.length; c++) {
                out.cols[c].copyRange(b.cols[c], off, m);
            }
            off += m;
        }
        return out;
    }

    /**
     * Event {@code row[k]} of block {@code parts[part[k]]} as event k, for every k. Columns are joined by name, in
     * order of first appearance; a column the blocks hold in different types is joined in a type that holds both
     * ({@link BlockConversions#common}), and its values converted one by one.
     */
    private static EventBlock gather(List<EventBlock> parts, int[] part, int[] row, boolean keepIds) {
        Map<String, Integer> layout = new LinkedHashMap<>();
        List<Byte> typeList = new ArrayList<>();
        for (EventBlock p : parts) {
            for (int c = 0; c < p.names.length; c++) {
                Integer at = layout.putIfAbsent(p.names[c], layout.size());
                if (at == null) {
                    typeList.add(p.types[c]);
                } else {
                    typeList.set(at, BlockConversions.common(typeList.get(at), p.types[c])); // the column changed type
                }
            }
        }
        String[] names = layout.keySet().toArray(String[]::new);
        byte[] types = new byte[typeList.size()];
        for (int t = 0; t < types.length; t++) {
            types[t] = typeList.get(t);
        }
        int n = part.length;
        EventBlock out = new EventBlock(names, types, n);
        boolean anyCreated = parts.stream().anyMatch(p -> p.created != null);
        boolean anyIds = keepIds && parts.stream().anyMatch(p -> p.idHashes != null);
        out.created = anyCreated ? new long[n] : null;
        out.idHashes = anyIds ? new long[n] : null;
        int[][] map = new int[parts.size()][];
        for (int p = 0; p < parts.size(); p++) {
            EventBlock b = parts.get(p);
            map[p] = new int[names.length];
            Arrays.fill(map[p], -1);
            for (int c = 0; c < b.names.length; c++) {
                map[p][layout.get(b.names[c])] = c;
            }
        }
        for (int k = 0; k < n; k++) {
            EventBlock b = parts.get(part[k]);
            int i = row[k];
            out.ts[k] = b.ts[i];
            if (anyCreated) {
                out.created[k] = b.created(i);
            }
            if (anyIds) {
                out.idHashes[k] = b.idHash(i);
            }
            for (int c = 0; c < names.length; c++) {
                int src = map[part[k]][c];
                if (src < 0 || b.cols[src].isNull(i)) {
                    out.cols[c].set(k, null);
                } else if (b.types[src] == types[c]) {
                    out.cols[c].copy(b.cols[src], i, k);
                } else {
                    out.cols[c].set(k, b.cols[src].boxed(b.type(src), i)); // the column changed type: convert
                }
            }
        }
        return out;
    }

    /** Splits sorted {@code b} into blocks of about {@code target} events without separating equal event times. */
    static List<EventBlock> split(EventBlock b, int target) {
        int size = b.size;
        List<EventBlock> out = new ArrayList<>();
        int from = 0;
        while (from < size) {
            int to = Math.min(size, from + target);
            while (to < size && b.ts[to] == b.ts[to - 1]) {
                to++;
            }
            if (size - to < target / 4 && to < size) {
                to = size; // no tiny tail block
            }
            out.add(slice(b, from, to));
            from = to;
        }
        return out;
    }
}

package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.semantics.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.binary.BinaryObjectException;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinaryWriter;
import org.apache.ignite.binary.Binarylizable;

/**
 * A run of one entity's events in columnar form: event times, optional created times, and each column as a
 * primitive array (integral types as {@code long[]}, float/double as {@code double[]}, strings as
 * {@code String[]}) with a null bitmap. Stored blocks are sorted by (event_ts, created_ts, ingest order);
 * ingest order is the array order among equal keys, so no sequence number is stored. A block carries its own
 * column names and types, so blocks written before a schema change still read correctly after it.
 *
 * <p>Blocks are immutable once built; merges, slices and concatenations return new blocks.
 */
public final class EventBlock implements Binarylizable {
    /** Created time of events whose source has none or whose value is null: sorts first. */
    public static final long NO_CREATED = Long.MIN_VALUE;

    private static final ColumnType[] TYPES = ColumnType.values();

    private String[] names;
    private byte[] types;
    private int size;
    private long[] ts;
    private long[] created;   // null when no event has one
    private long[] idHashes;  // only on incoming batches: 0 = no id
    private Object[] cols;    // long[] | double[] | String[]
    private long[][] nulls;   // bitmap per column, null when the column has no null

    /** For deserialization only. */
    public EventBlock() {
    }

    private EventBlock(String[] names, byte[] types, int size) {
        this.names = names;
        this.types = types;
        this.size = size;
        this.ts = new long[size];
        this.cols = new Object[names.length];
        this.nulls = new long[names.length][];
        for (int c = 0; c < names.length; c++) {
            cols[c] = switch (storage(type(c))) {
                case 0 -> new long[size];
                case 1 -> new double[size];
                default -> new String[size];
            };
        }
    }

    private static int storage(ColumnType t) {
        return switch (t) {
            case FLOAT, DOUBLE -> 1;
            case STRING -> 2;
            default -> 0;
        };
    }

    public int size() {
        return size;
    }

    /** Event times; valid up to {@link #size()}. Callers must not modify. */
    public long[] timestamps() {
        return ts;
    }

    public long ts(int i) {
        return ts[i];
    }

    public long created(int i) {
        return created == null ? NO_CREATED : created[i];
    }

    long idHash(int i) {
        return idHashes == null ? 0 : idHashes[i];
    }

    boolean hasIds() {
        return idHashes != null;
    }

    public List<String> columnNames() {
        return List.of(names);
    }

    public ColumnType type(int c) {
        return TYPES[types[c]];
    }

    private int indexOf(String name) {
        for (int c = 0; c < names.length; c++) {
            if (names[c].equals(name)) {
                return c;
            }
        }
        return -1;
    }

    /**
     * This block with every column the schema names in the schema's type: itself when they all are already, else a
     * copy whose columns written before a type change are converted value by value, as {@link #column} converts
     * them. Reads conform each block before joining blocks together, so that a value is converted the same way
     * whichever other blocks a read happens to join it with (joining first would widen a column to a type both
     * blocks' values fit, and a long above 2^53 would then pass through a double).
     */
    public EventBlock conformTo(Map<String, ColumnType> schema) {
        boolean same = true;
        for (int c = 0; c < names.length; c++) {
            ColumnType want = schema.get(names[c]);
            same &= want == null || want == type(c);
        }
        if (same) {
            return this;
        }
        EventBlock out = new EventBlock();
        out.names = names;
        out.types = types.clone();
        out.size = size;
        out.ts = ts;
        out.created = created;
        out.idHashes = idHashes;
        out.cols = cols.clone();
        out.nulls = nulls.clone();
        for (int c = 0; c < names.length; c++) {
            ColumnType want = schema.get(names[c]);
            if (want != null && want != type(c)) {
                EventBlock conv = converted(c, want);
                out.types[c] = (byte) want.ordinal();
                out.cols[c] = conv.cols[0];
                out.nulls[c] = conv.nulls[0];
            }
        }
        return out;
    }

    /** The type the named column is stored in, or null when this block does not carry it. */
    public ColumnType typeOf(String name) {
        int c = indexOf(name);
        return c < 0 ? null : type(c);
    }

    /** The named column, or an all-null column of {@code expected} type when this block does not carry it. */
    public Column column(String name, ColumnType expected) {
        int c = indexOf(name);
        if (c < 0) {
            return Column.absent(expected);
        }
        if (expected != null && expected != type(c)) {
            // Written before the column changed type: read it in the type the schema declares now.
            EventBlock conv = converted(c, expected);
            return new BlockColumn(expected, conv.cols[0], conv.nulls[0]);
        }
        return new BlockColumn(type(c), cols[c], nulls[c]);
    }

    /** Column c alone, converted value by value to {@code type}, as a one-column block. */
    private EventBlock converted(int c, ColumnType type) {
        EventBlock conv = new EventBlock(new String[] {names[c]}, new byte[] {(byte) type.ordinal()}, size);
        for (int i = 0; i < size; i++) {
            conv.set(0, i, isNull(c, i) ? null : boxed(c, i));
        }
        return conv;
    }

    private boolean isNull(int c, int i) {
        long[] bits = nulls[c];
        if (cols[c] instanceof String[] s) {
            return s[i] == null;
        }
        return bits != null && (bits[i >>> 6] & (1L << i)) != 0;
    }

    private Object boxed(int c, int i) {
        return BlockColumn.box(type(c), cols[c], nulls[c], i);
    }

    /** One event as a map of column name to boxed value (Long, Double, String, Boolean; timestamps as Long). */
    public Map<String, Object> row(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < names.length; c++) {
            m.put(names[c], boxed(c, i));
        }
        return m;
    }

    // ------------------------------------------------------------------ building

    /** Builds a block from events in arrival order; values are given per column in the builder's order. */
    public static final class Builder {
        private final String[] names;
        private final byte[] types;
        private final List<Object[]> rows = new ArrayList<>();
        private final List<long[]> meta = new ArrayList<>(); // ts, created, idHash

        public Builder(List<String> names, List<ColumnType> types) {
            this.names = names.toArray(String[]::new);
            this.types = new byte[types.size()];
            for (int i = 0; i < types.size(); i++) {
                this.types[i] = (byte) types.get(i).ordinal();
            }
        }

        /** Adds an event; {@code values[c]} is Long, Double, String, Boolean or null; idHash 0 means no id. */
        public Builder add(long eventTs, long createdTs, long idHash, Object[] values) {
            rows.add(values);
            meta.add(new long[] {eventTs, createdTs, idHash});
            return this;
        }

        public int size() {
            return rows.size();
        }

        public EventBlock build() {
            int n = rows.size();
            EventBlock b = new EventBlock(names, types, n);
            boolean anyCreated = false;
            boolean anyId = false;
            for (long[] m : meta) {
                anyCreated |= m[1] != NO_CREATED;
                anyId |= m[2] != 0;
            }
            b.created = anyCreated ? new long[n] : null;
            b.idHashes = anyId ? new long[n] : null;
            for (int i = 0; i < n; i++) {
                long[] m = meta.get(i);
                b.ts[i] = m[0];
                if (anyCreated) {
                    b.created[i] = m[1];
                }
                if (anyId) {
                    b.idHashes[i] = m[2];
                }
                Object[] row = rows.get(i);
                for (int c = 0; c < names.length; c++) {
                    b.set(c, i, row[c]);
                }
            }
            return b;
        }
    }

    private void set(int c, int i, Object v) {
        Object arr = cols[c];
        if (v != null && !(arr instanceof String[]) && !(v instanceof Number)) {
            v = number(v); // a value of a column whose type changed
        }
        if (v == null) {
            if (!(arr instanceof String[])) {
                if (nulls[c] == null) {
                    nulls[c] = new long[(size + 63) >>> 6];
                }
                nulls[c][i >>> 6] |= 1L << i;
            }
            return;
        }
        if (arr instanceof long[] l) {
            l[i] = v instanceof Boolean bo ? (bo ? 1 : 0) : ((Number) v).longValue();
        } else if (arr instanceof double[] d) {
            d[i] = ((Number) v).doubleValue();
        } else {
            ((String[]) arr)[i] = v.toString();
        }
    }

    /** A boolean as 1/0, text as the number it spells, or null when it spells none. */
    private static Number number(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return s.equalsIgnoreCase("true") ? 1L : 0L;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            // maybe a decimal
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The type that holds values of both without loss: numbers widen (to double if either is), the rest is text. */
    private static byte common(byte a, byte b) {
        if (a == b) {
            return a;
        }
        int sa = storage(TYPES[a]);
        int sb = storage(TYPES[b]);
        ColumnType t = sa == 2 || sb == 2 ? ColumnType.STRING : sa == 1 || sb == 1 ? ColumnType.DOUBLE : ColumnType.LONG;
        return (byte) t.ordinal();
    }

    // ------------------------------------------------------------------ ordering and reshaping

    private int compareKey(int i, EventBlock o, int j) {
        int c = Long.compare(ts[i], o.ts[j]);
        return c != 0 ? c : Long.compare(created(i), o.created(j));
    }

    /** This batch stably sorted by (event_ts, created_ts): arrival order breaks the remaining ties. */
    public EventBlock sorted() {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> compareKey(a, this, b)); // TimSort is stable
        int[] part = new int[size];
        int[] row = new int[size];
        for (int i = 0; i < size; i++) {
            row[i] = order[i];
        }
        return gather(List.of(this), part, row, true);
    }

    /**
     * Merges sorted {@code incoming} events (all ingested after every event here) into this sorted block: among
     * equal keys, existing events come first.
     */
    public EventBlock merge(EventBlock incoming) {
        int n = size + incoming.size;
        int[] part = new int[n];
        int[] row = new int[n];
        int i = 0;
        int j = 0;
        for (int k = 0; k < n; k++) {
            if (j >= incoming.size || (i < size && compareKey(i, incoming, j) <= 0)) {
                part[k] = 0;
                row[k] = i++;
            } else {
                part[k] = 1;
                row[k] = j++;
            }
        }
        return gather(List.of(this, incoming), part, row, false);
    }

    /** Events {@code [from, to)}. */
    public EventBlock slice(int from, int to) {
        int n = to - from;
        int[] part = new int[n];
        int[] row = new int[n];
        for (int k = 0; k < n; k++) {
            row[k] = from + k;
        }
        return gather(List.of(this), part, row, false);
    }

    /** The events of the given blocks one after another (blocks in time order give a sorted run). */
    public static EventBlock concat(List<EventBlock> blocks) {
        return concat(blocks, false);
    }

    /** Incoming batches of one entity one after another, in arrival order, keeping their event id hashes. */
    static EventBlock concatIncoming(List<EventBlock> batches) {
        return concat(batches, true);
    }

    private static EventBlock concat(List<EventBlock> blocks, boolean keepIds) {
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
                    Arrays.fill(out.created, off, off + m, NO_CREATED);
                }
            }
            if (anyIds && b.idHashes != null) {
                System.arraycopy(b.idHashes, 0, out.idHashes, off, m);
            }
            for (int c = 0; c < out.cols.length; c++) {
                System.arraycopy(b.cols[c], 0, out.cols[c], off, m);
                long[] bits = b.nulls[c];
                if (bits != null) {
                    if (out.nulls[c] == null) {
                        out.nulls[c] = new long[(n + 63) >>> 6];
                    }
                    for (int w = 0; w < bits.length; w++) {
                        long word = bits[w];
                        while (word != 0) {
                            int i = (w << 6) + Long.numberOfTrailingZeros(word);
                            word &= word - 1;
                            if (i < m) {
                                out.nulls[c][(off + i) >>> 6] |= 1L << (off + i);
                            }
                        }
                    }
                }
            }
            off += m;
        }
        return out;
    }

    /** Events at the given positions of this block, in that order (used to drop duplicates). */
    public EventBlock select(int[] rows) {
        return gather(List.of(this), new int[rows.length], rows, true);
    }

    private static EventBlock gather(List<EventBlock> parts, int[] part, int[] row, boolean keepIds) {
        Map<String, Integer> layout = new LinkedHashMap<>();
        List<Byte> typeList = new ArrayList<>();
        for (EventBlock p : parts) {
            for (int c = 0; c < p.names.length; c++) {
                Integer at = layout.putIfAbsent(p.names[c], layout.size());
                if (at == null) {
                    typeList.add(p.types[c]);
                } else {
                    typeList.set(at, common(typeList.get(at), p.types[c])); // the column changed type
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
                if (src < 0 || b.isNull(src, i)) {
                    out.set(c, k, null);
                } else if (b.types[src] == types[c]) {
                    copy(b.cols[src], i, out.cols[c], k);
                } else {
                    out.set(c, k, b.boxed(src, i)); // the column changed type: convert value by value
                }
            }
        }
        return out;
    }

    private static void copy(Object from, int i, Object to, int k) {
        if (from instanceof long[] l) {
            ((long[]) to)[k] = l[i];
        } else if (from instanceof double[] d) {
            ((double[]) to)[k] = d[i];
        } else {
            ((String[]) to)[k] = ((String[]) from)[i];
        }
    }

    /** Splits into sorted blocks of about {@code target} events without separating equal event times. */
    List<EventBlock> split(int target) {
        List<EventBlock> out = new ArrayList<>();
        int from = 0;
        while (from < size) {
            int to = Math.min(size, from + target);
            while (to < size && ts[to] == ts[to - 1]) {
                to++;
            }
            if (size - to < target / 4 && to < size) {
                to = size; // no tiny tail block
            }
            out.add(slice(from, to));
            from = to;
        }
        return out;
    }

    // ------------------------------------------------------------------ serialization

    /**
     * Stored form 2: the column names, the types behind a {@link BlockCodec#FORM_2} byte, then every value in one
     * byte array ({@link BlockCodec}). Form 1 (names, types, size, then raw arrays) still reads.
     */
    @Override
    public void writeBinary(BinaryWriter writer) throws BinaryObjectException {
        BinaryRawWriter w = writer.rawWriter();
        w.writeStringArray(names);
        byte[] marked = new byte[types.length + 1];
        marked[0] = BlockCodec.FORM_2;
        System.arraycopy(types, 0, marked, 1, types.length);
        w.writeByteArray(marked);
        w.writeByteArray(encode());
    }

    private byte[] encode() {
        BlockCodec.Out o = new BlockCodec.Out(16 + size * (8 + 4 * names.length));
        o.varlong(size);
        o.deltas(ts);
        o.u8(created == null ? 0 : 1);
        if (created != null) {
            o.deltas(created);
        }
        o.u8(idHashes == null ? 0 : 1);
        if (idHashes != null) {
            for (long h : idHashes) {
                o.raw64(h);
            }
        }
        for (int c = 0; c < names.length; c++) {
            long[] nb = nulls[c];
            o.varlong(nb == null ? 0 : nb.length + 1L);
            if (nb != null) {
                for (long word : nb) {
                    o.raw64(word);
                }
            }
            Object a = cols[c];
            if (a instanceof long[] l) {
                for (long v : l) {
                    o.zigzag(v);
                }
            } else if (a instanceof double[] d) {
                for (double v : d) {
                    o.raw64(Double.doubleToRawLongBits(v));
                }
            } else {
                encodeStrings(o, (String[]) a);
            }
        }
        return o.bytes();
    }

    /** The distinct strings in order of first use, then per event its string's number (0 for null). */
    private static void encodeStrings(BlockCodec.Out o, String[] values) {
        Map<String, Integer> dict = new LinkedHashMap<>();
        int[] codes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            codes[i] = values[i] == null ? 0 : dict.computeIfAbsent(values[i], k -> dict.size() + 1);
        }
        o.varlong(dict.size());
        for (String s : dict.keySet()) {
            o.utf8(s);
        }
        for (int code : codes) {
            o.varlong(code);
        }
    }

    private void decode(byte[] bytes) {
        BlockCodec.In in = new BlockCodec.In(bytes);
        size = (int) in.varlong();
        ts = in.deltas(size);
        created = in.u8() == 0 ? null : in.deltas(size);
        if (in.u8() != 0) {
            idHashes = new long[size];
            for (int i = 0; i < size; i++) {
                idHashes[i] = in.raw64();
            }
        }
        cols = new Object[names.length];
        nulls = new long[names.length][];
        for (int c = 0; c < names.length; c++) {
            int words = (int) in.varlong() - 1;
            if (words >= 0) {
                nulls[c] = new long[words];
                for (int k = 0; k < words; k++) {
                    nulls[c][k] = in.raw64();
                }
            }
            switch (storage(type(c))) {
                case 0 -> {
                    long[] l = new long[size];
                    for (int i = 0; i < size; i++) {
                        l[i] = in.zigzag();
                    }
                    cols[c] = l;
                }
                case 1 -> {
                    double[] d = new double[size];
                    for (int i = 0; i < size; i++) {
                        d[i] = Double.longBitsToDouble(in.raw64());
                    }
                    cols[c] = d;
                }
                default -> {
                    String[] dict = new String[(int) in.varlong() + 1];
                    for (int k = 1; k < dict.length; k++) {
                        dict[k] = in.utf8();
                    }
                    String[] v = new String[size];
                    for (int i = 0; i < size; i++) {
                        v[i] = dict[(int) in.varlong()];
                    }
                    cols[c] = v;
                }
            }
        }
        if (!in.atEnd()) {
            throw new BinaryObjectException("event block: " + bytes.length + " bytes, but the columns end before that");
        }
    }

    @Override
    public void readBinary(BinaryReader reader) throws BinaryObjectException {
        BinaryRawReader r = reader.rawReader();
        names = r.readStringArray();
        byte[] t = r.readByteArray();
        if (t.length == names.length + 1 && t[0] == BlockCodec.FORM_2) {
            types = Arrays.copyOfRange(t, 1, t.length);
            decode(r.readByteArray());
            return;
        }
        types = t; // form 1
        size = r.readInt();
        ts = r.readLongArray();
        created = r.readLongArray();
        idHashes = r.readLongArray();
        cols = new Object[names.length];
        nulls = new long[names.length][];
        for (int c = 0; c < names.length; c++) {
            cols[c] = switch (storage(type(c))) {
                case 0 -> r.readLongArray();
                case 1 -> r.readDoubleArray();
                default -> r.readStringArray();
            };
            nulls[c] = r.readLongArray();
        }
    }

    /** Stable 64-bit hash of an event id (FNV-1a over UTF-16 units, then a 64-bit finalizer); never 0. */
    public static long idHash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}

package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.semantics.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run of one entity's events in columnar form: event times, optional created times, and each column as a
 * primitive array ({@link ColumnValues}: integral types as {@code long[]}, float/double as {@code double[]}, strings
 * as {@code String[]}) with a null bitmap. Stored blocks are sorted by (event_ts, created_ts, ingest order); ingest
 * order is the array order among equal keys, so no sequence number is stored. A block carries its own column names
 * and types, so blocks written before a schema change still read correctly after it.
 *
 * <p>Blocks are immutable once built; merges, slices and concatenations return new blocks. The work is done by the
 * package's classes of one job each: {@link BlockBuilder} lays events out, {@link BlockShapes} sorts, merges and
 * cuts, {@link BlockConversions} converts columns whose type changed, {@link BlockCodec} encodes the values.
 */
public final class EventBlock {
    /** Created time of events whose source has none or whose value is null: sorts first. */
    public static final long NO_CREATED = Long.MIN_VALUE;

    private static final ColumnType[] TYPES = ColumnType.values();

    // Package-private for the classes that build, reshape and encode blocks. Not final only because a block that
    // Ignite deserializes is made empty first and then filled by its codec (restore).
    String[] names;
    byte[] types;              // ColumnType ordinals
    int size;
    long[] ts;
    long[] created;            // null when no event has one
    long[] idHashes;           // only on incoming batches: 0 = no id
    ColumnValues[] cols;

    /** For deserialization only: a codec fills the block with {@link #restore}. */
    public EventBlock() {
    }

    /** A block of {@code size} events with every value unset: for the classes that fill it. */
    EventBlock(String[] names, byte[] types, int size) {
        this.names = names;
        this.types = types;
        this.size = size;
        this.ts = new long[size];
        this.cols = new ColumnValues[names.length];
        for (int c = 0; c < names.length; c++) {
            cols[c] = ColumnValues.allocate(Storage.ofCode(types[c]), size);
        }
    }

    EventBlock(String[] names, byte[] types, int size, long[] ts, long[] created, long[] idHashes,
               ColumnValues[] cols) {
        this.names = names;
        this.types = types;
        this.size = size;
        this.ts = ts;
        this.created = created;
        this.idHashes = idHashes;
        this.cols = cols;
    }

    // ------------------------------------------------------------------ for codecs (io.hearth.node.codec)

    /**
     * A block of the parts a codec read: column names, types (codes of {@link ColumnType}), size, event times,
     * created times and event id hashes (each null when none), and the columns. The block takes the arrays as they
     * are; callers must not modify them after.
     */
    public static EventBlock fromParts(String[] names, byte[] types, int size, long[] ts, long[] created,
                                       long[] idHashes, ColumnValues[] cols) {
        return new EventBlock(names, types, size, ts, created, idHashes, cols);
    }

    /**
     * Makes this block, which Ignite just made with the no-arg constructor, hold what {@code from} holds (sharing
     * its arrays): Ignite's serializer API fills an instance rather than returning one.
     */
    public void restore(EventBlock from) {
        if (names != null) {
            throw new IllegalStateException("only an empty block made for deserialization can be restored");
        }
        names = from.names;
        types = from.types;
        size = from.size;
        ts = from.ts;
        created = from.created;
        idHashes = from.idHashes;
        cols = from.cols;
    }

    /** The column names as the block holds them, for codecs. Callers must not modify. */
    public String[] storedNames() {
        return names;
    }

    /** The column types as codes of {@link ColumnType} (ordinals), as the block holds them, for codecs. */
    public byte[] storedTypes() {
        return types;
    }

    // ------------------------------------------------------------------ reading

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
            return new BlockColumn(expected, BlockConversions.converted(this, c, expected));
        }
        return new BlockColumn(type(c), cols[c]);
    }

    /**
     * This block with every column the schema names in the schema's type: itself when they all are already, else a
     * copy whose columns written before a type change are converted value by value, as {@link #column} converts
     * them. Reads conform each block before joining blocks together, so that a value is converted the same way
     * whichever other blocks a read happens to join it with (joining first would widen a column to a type both
     * blocks' values fit, and a long above 2^53 would then pass through a double).
     */
    public EventBlock conformTo(Map<String, ColumnType> schema) {
        return BlockConversions.conformTo(this, schema);
    }

    /** One event as a map of column name to boxed value (Long, Double, String, Boolean; timestamps as Long). */
    public Map<String, Object> row(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < names.length; c++) {
            m.put(names[c], cols[c].boxed(type(c), i));
        }
        return m;
    }

    // ------------------------------------------------------------------ building

    /** Builds a block from events in arrival order; values are given per column in the builder's order. */
    public static final class Builder {
        private final BlockBuilder b;

        public Builder(List<String> names, List<ColumnType> types) {
            b = new BlockBuilder(names, types);
        }

        private Builder(BlockBuilder b) {
            this.b = b;
        }

        /**
         * The events added so far, in the same order, laid out for other columns (a source's schema changed while a
         * batch was open): values move by column name, a column not here reads null for them.
         */
        public Builder reshaped(List<String> names, List<ColumnType> types) {
            return new Builder(b.reshaped(names, types));
        }

        /** Adds an event; {@code values[c]} is Long, Double, String, Boolean or null; idHash 0 means no id. */
        public Builder add(long eventTs, long createdTs, long idHash, Object[] values) {
            b.add(eventTs, createdTs, idHash, values);
            return this;
        }

        public int size() {
            return b.size();
        }

        public EventBlock build() {
            return b.build();
        }
    }

    // ------------------------------------------------------------------ ordering and reshaping

    /** This batch stably sorted by (event_ts, created_ts): arrival order breaks the remaining ties. */
    public EventBlock sorted() {
        return BlockShapes.sorted(this);
    }

    /**
     * Merges sorted {@code incoming} events (all ingested after every event here) into this sorted block: among
     * equal keys, existing events come first.
     */
    public EventBlock merge(EventBlock incoming) {
        return BlockShapes.merge(this, incoming);
    }

    /** Events {@code [from, to)}. */
    public EventBlock slice(int from, int to) {
        return BlockShapes.slice(this, from, to);
    }

    /** The events of the given blocks one after another (blocks in time order give a sorted run). */
    public static EventBlock concat(List<EventBlock> blocks) {
        return BlockShapes.concat(blocks, false);
    }

    /** Incoming batches of one entity one after another, in arrival order, keeping their event id hashes. */
    static EventBlock concatIncoming(List<EventBlock> batches) {
        return BlockShapes.concat(batches, true);
    }

    /** Events at the given positions of this block, in that order (used to drop duplicates). */
    public EventBlock select(int[] rows) {
        return BlockShapes.select(this, rows);
    }

    /** Splits into sorted blocks of about {@code target} events without separating equal event times. */
    List<EventBlock> split(int target) {
        return BlockShapes.split(this, target);
    }

    /** Stable 64-bit hash of an event id (FNV-1a over UTF-16 units, then a 64-bit finalizer); never 0. */
    public static long idHash(String id) {
        return EventIdHash.of(id);
    }
}

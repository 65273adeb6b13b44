package io.hearth.node.codec;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.events.BlockStats;
import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.EventMergeReceiver;
import io.hearth.node.CacheLayout;
import io.hearth.node.HearthNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteDataStreamer;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.internal.binary.BinaryObjectImpl;

/**
 * Stored forms of event storage as bytes, for checking that what one version of Hearth wrote the next one reads and
 * writes again byte for byte. {@code before-split.bin.gz} was written by this class on the code before EventBlock was
 * split and its Ignite binary form moved to {@code io.hearth.node.codec} ({@link StoredFormsIT#writeFixture}).
 *
 * <p>A fixture is a list of records: the bytes of a stored key (empty for a value that is not stored under a key,
 * such as an incoming batch as the streamer sends it), the bytes of the value, and a description of the value as the
 * writing code read it back ({@link #describe}), which the reading code must reproduce.
 */
final class StoredForms {
    static final String SOURCE = "fixture";
    static final String FIXTURE = "/stored-forms/before-split.bin.gz";

    private StoredForms() {
    }

    record Entry(byte[] key, byte[] value, String description) {
    }

    private static final List<String> NAMES = List.of("s", "i", "l", "f", "d", "b", "t");
    private static final List<ColumnType> TYPES = List.of(ColumnType.STRING, ColumnType.INT, ColumnType.LONG,
        ColumnType.FLOAT, ColumnType.DOUBLE, ColumnType.BOOL, ColumnType.TIMESTAMP);

    /** One batch of events of every column type, some null, some with created times and event ids. */
    static EventBlock batch(Random rnd, int n, long firstTs, boolean ids, boolean created, String idPrefix) {
        EventBlock.Builder b = new EventBlock.Builder(NAMES, TYPES);
        for (int i = 0; i < n; i++) {
            Object[] v = new Object[NAMES.size()];
            v[0] = rnd.nextInt(5) == 0 ? null : new String[] {"web", "store", "app", "é漢字🔥", ""}[rnd.nextInt(5)];
            v[1] = rnd.nextInt(6) == 0 ? null : (long) (rnd.nextInt() >> rnd.nextInt(31));
            v[2] = rnd.nextInt(6) == 0 ? null : rnd.nextBoolean() ? Long.MIN_VALUE + rnd.nextInt(3) : rnd.nextLong();
            v[3] = rnd.nextInt(6) == 0 ? null : (double) (float) rnd.nextGaussian();
            v[4] = rnd.nextInt(6) == 0 ? null : rnd.nextInt(9) == 0 ? Double.NaN : rnd.nextDouble() * 1e6;
            v[5] = rnd.nextInt(6) == 0 ? null : rnd.nextBoolean();
            v[6] = rnd.nextInt(6) == 0 ? null : 1_764_547_200_000L + rnd.nextInt(1_000_000);
            long ts = firstTs + i * 10L + rnd.nextInt(3) * 5L; // some equal times
            long cr = created && rnd.nextBoolean() ? ts + rnd.nextInt(100) : EventBlock.NO_CREATED;
            b.add(ts, cr, ids ? EventBlock.idHash(idPrefix + i) : 0, v);
        }
        return b.build();
    }

    /** A batch of other columns: what a source whose schema changed writes. */
    static EventBlock changedSchema(Random rnd, int n, long firstTs) {
        EventBlock.Builder b = new EventBlock.Builder(List.of("i", "s", "x"),
            List.of(ColumnType.DOUBLE, ColumnType.STRING, ColumnType.BOOL));
        for (int i = 0; i < n; i++) {
            b.add(firstTs + i * 7L, EventBlock.NO_CREATED, 0,
                new Object[] {rnd.nextInt(4) == 0 ? null : rnd.nextInt(1000) / 8.0, "v" + rnd.nextInt(3),
                    rnd.nextInt(3) == 0 ? null : rnd.nextBoolean()});
        }
        return b.build();
    }

    /**
     * Writes the events through the node's real write path, with small blocks and tails so that few events make
     * sealed blocks with summaries, inline tails, blocks split by late events, deduplicated replays and blocks of a
     * changed schema.
     */
    static void writeEvents(Ignite ignite) {
        ignite.getOrCreateCache(CacheLayout.events(SOURCE));
        Random rnd = new Random(2026);
        try (IgniteDataStreamer<String, EventBlock> s = ignite.dataStreamer(CacheLayout.eventsCache(SOURCE))) {
            s.allowOverwrite(true);
            s.receiver(new EventMergeReceiver(TARGET, TAIL));
            for (int k = 0; k < 4; k++) { // in time order: the tail fills and seals into blocks
                write(s, "A", batch(rnd, 20, 1_000_000L + k * 300L, false, false, ""));
            }
            write(s, "B", batch(rnd, 150, 0, true, true, "b"));
            write(s, "B", batch(rnd, 30, 300, true, false, "late")); // into sealed blocks, which split
            write(s, "B", batch(rnd, 10, 300, true, false, "late")); // a replay: dropped
            write(s, "C", batch(rnd, 5, 77, true, true, "c"));
            write(s, "D", batch(rnd, 80, 0, false, true, ""));
            write(s, "D", changedSchema(rnd, 80, 500));
            write(s, "E", EventBlock.concat(List.of(batch(rnd, 3, 10, false, false, ""), changedSchema(rnd, 3, 40))));
        }
    }

    /** Events per block and in a tail: small, so that a few events make every structure. */
    private static final int TARGET = 32;
    private static final int TAIL = 8;

    private static void write(IgniteDataStreamer<String, EventBlock> s, String entity, EventBlock events) {
        s.addData(entity, events);
        s.flush();
    }

    /** Blocks as they travel rather than as they are stored: unsorted incoming batches with event ids. */
    static List<EventBlock> travellingBlocks() {
        Random rnd = new Random(11);
        List<EventBlock> out = new ArrayList<>();
        out.add(batch(rnd, 0, 0, false, false, ""));
        out.add(batch(rnd, 1, 5, true, true, "one"));
        out.add(batch(rnd, 40, 5, true, true, "x").slice(3, 30));
        EventBlock.Builder b = new EventBlock.Builder(List.of("n"), List.of(ColumnType.LONG));
        for (int i = 0; i < 66; i++) {
            b.add(100 - i, EventBlock.NO_CREATED, i % 2 == 0 ? 0 : EventBlock.idHash("n" + i), new Object[] {null});
        }
        out.add(b.build());
        return out;
    }

    /** Every entry of the fixture source's events cache, as stored, and the travelling blocks, as marshalled. */
    static List<Entry> capture(Ignite ignite) {
        List<Entry> out = new ArrayList<>();
        IgniteCache<Object, Object> bin = ignite.cache(CacheLayout.eventsCache(SOURCE)).withKeepBinary();
        Map<String, Entry> sorted = new java.util.TreeMap<>();
        try (QueryCursor<Cache.Entry<Object, Object>> cur = bin.query(new ScanQuery<>())) {
            for (Cache.Entry<Object, Object> e : cur) {
                BinaryObjectImpl k = (BinaryObjectImpl) e.getKey();
                BinaryObjectImpl v = (BinaryObjectImpl) e.getValue();
                EventKey key = k.deserialize();
                Object value = v.deserialize();
                sorted.put(key.entity() + "#" + (key.block() == EventKey.INDEX ? "" : key.block()),
                    new Entry(bytes(k), bytes(v), describe(value)));
            }
        }
        out.addAll(sorted.values());
        for (EventBlock b : travellingBlocks()) {
            BinaryObjectImpl v = (BinaryObjectImpl) ignite.binary().toBinary(b);
            out.add(new Entry(new byte[0], bytes(v), describe(b)));
        }
        return out;
    }

    static byte[] bytes(BinaryObjectImpl o) {
        return java.util.Arrays.copyOfRange(o.array(), o.start(), o.start() + o.length());
    }

    /** What a reader sees of a stored value, through public accessors only. */
    static String describe(Object o) {
        StringBuilder s = new StringBuilder();
        if (o instanceof EventBlock b) {
            describe(b, s);
        } else if (o instanceof EntityIndex idx) {
            s.append("index epoch=").append(idx.epoch()).append(" events=").append(idx.eventCount())
                .append(" earliest=").append(idx.earliest()).append('\n');
            for (int i = 0; i < idx.blockCount(); i++) {
                s.append(" block ").append(idx.blockId(i)).append(" start=").append(idx.blockStart(i))
                    .append(" size=").append(idx.blockSize(i)).append('\n');
                BlockStats st = idx.stats(i);
                if (st != null) {
                    for (String name : List.of("s", "i", "l", "f", "d", "b", "t", "x", "n")) {
                        for (ColumnType t : ColumnType.values()) {
                            int c = st.find(name, t);
                            if (c >= 0) {
                                s.append("  ").append(name).append(':').append(t).append(" count=").append(st.count(c))
                                    .append(" min=").append(st.min(c)).append(" max=").append(st.max(c))
                                    .append(" lsum=").append(st.longSum(c)).append(" dsum=")
                                    .append(java.util.Arrays.toString(st.doubleSum(c))).append('\n');
                            } else if (c == -2 && t == ColumnType.STRING) {
                                s.append("  ").append(name).append(" (no stats as string)\n");
                            }
                        }
                    }
                }
            }
            if (idx.inline() != null) {
                s.append(" inline:\n");
                describe(idx.inline(), s);
            }
        } else {
            s.append(o);
        }
        return s.toString();
    }

    private static void describe(EventBlock b, StringBuilder s) {
        s.append("block size=").append(b.size()).append(" columns=");
        Map<String, ColumnType> types = new LinkedHashMap<>();
        for (int c = 0; c < b.columnNames().size(); c++) {
            types.put(b.columnNames().get(c), b.type(c));
        }
        s.append(types).append('\n');
        for (int i = 0; i < b.size(); i++) {
            s.append("  ").append(b.ts(i)).append(' ').append(b.created(i)).append(' ').append(b.row(i)).append('\n');
        }
    }

    static void write(List<Entry> entries, OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new java.util.zip.GZIPOutputStream(os));
        out.writeInt(entries.size());
        for (Entry e : entries) {
            out.writeInt(e.key().length);
            out.write(e.key());
            out.writeInt(e.value().length);
            out.write(e.value());
            byte[] d = e.description().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(d.length);
            out.write(d);
        }
        out.close();
    }

    static List<Entry> read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(new java.util.zip.GZIPInputStream(is));
        int n = in.readInt();
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] k = in.readNBytes(in.readInt());
            byte[] v = in.readNBytes(in.readInt());
            String d = new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8);
            out.add(new Entry(k, v, d));
        }
        return out;
    }

    /** Starts a node on {@code dir}. */
    static HearthNode node(java.nio.file.Path dir) {
        return new HearthNode(io.hearth.node.TestNodes.single(dir)).compactEvery(0).start();
    }
}

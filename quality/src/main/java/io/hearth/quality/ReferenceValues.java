package io.hearth.quality;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.EventReads.EntityEvents;
import io.hearth.compute.semantics.Column;
import io.hearth.node.CacheLayout;
import io.hearth.node.store.EventStore;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * The values a reference distribution is made of: a source column's stored values with event times in
 * {@code [from, to)}, read where they live (each server node its primary partitions, after folding its logs), or a
 * training set's feature column. Values come back as doubles, nulls counted apart; at most {@link #MAX_VALUES} values
 * per node (a reference beyond that is a uniform sample of them, said in its count).
 */
public final class ReferenceValues {
    /** Most values one node sends back. */
    public static final int MAX_VALUES = 2_000_000;
    private static final int ENTITY_BATCH = 512;

    private ReferenceValues() {
    }

    /** Values and nulls. */
    public record Values(double[] values, long nulls, long seen) implements Serializable {
    }

    /**
     * Where and when a source's events with event times in {@code [from, to)} happened: each event's entity (storage
     * form) and time, from every server node (at most {@link #MAX_VALUES} per node, a uniform sample beyond). A
     * feature's reference over a time range is its value as of each of them: the rows a training set of those events
     * would have.
     */
    public static Events eventsOf(Ignite ignite, Source source, long from, long to) {
        Collection<Events> parts = new ArrayList<>();
        for (Object o : ignite.compute(ignite.cluster().forServers()).broadcast(new NodeValues(source.name(), null, null,
            true, from, to))) {
            parts.add((Events) o);
        }
        int n = 0;
        for (Events e : parts) {
            n += e.entities().length;
        }
        String[] entities = new String[n];
        long[] times = new long[n];
        int at = 0;
        for (Events e : parts) {
            System.arraycopy(e.entities(), 0, entities, at, e.entities().length);
            System.arraycopy(e.times(), 0, times, at, e.times().length);
            at += e.entities().length;
        }
        return new Events(entities, times);
    }

    /** Events' entities and times. */
    public record Events(String[] entities, long[] times) implements Serializable {
    }

    /** A source column's values over {@code [from, to)} of event time, from every server node. */
    public static Values ofSource(Ignite ignite, Source source, String column, long from, long to) {
        Collection<Values> parts = new ArrayList<>();
        for (Object o : ignite.compute(ignite.cluster().forServers()).broadcast(new NodeValues(source.name(), column,
            source.type(column), column.equals(source.timestampField()), from, to))) {
            parts.add((Values) o);
        }
        int n = 0;
        long nulls = 0;
        long seen = 0;
        for (Values v : parts) {
            n += v.values().length;
            nulls += v.nulls();
            seen += v.seen();
        }
        double[] all = new double[n];
        int at = 0;
        for (Values v : parts) {
            System.arraycopy(v.values(), 0, all, at, v.values().length);
            at += v.values().length;
        }
        return new Values(all, nulls, seen);
    }

    /** One node's part: its primary partitions of the source's events. */
    private static final class NodeValues implements IgniteCallable<Object> {
        private static final long serialVersionUID = 1L;
        @IgniteInstanceResource
        private transient Ignite ignite;
        private final String source;
        private final String column;
        private final ColumnType type;
        private final boolean eventTime;
        private final long from;
        private final long to;

        NodeValues(String source, String column, ColumnType type, boolean eventTime, long from, long to) {
            this.source = source;
            this.column = column;
            this.type = type;
            this.eventTime = eventTime;
            this.from = from;
            this.to = to;
        }

        @Override
        public Object call() {
            io.hearth.node.fold.LogFolder folder = io.hearth.node.fold.LogFolder.of(ignite);
            if (folder != null) {
                folder.foldAll(); // events still in a log are in no block yet
            }
            IgniteCache<EventKey, Object> cache = ignite.cache(CacheLayout.eventsCache(source));
            if (cache == null) {
                return column == null ? new Events(new String[0], new long[0]) : new Values(new double[0], 0, 0);
            }
            EventStore store = new EventStore(ignite, 0);
            int[] parts = ignite.affinity(cache.getName()).primaryPartitions(ignite.cluster().localNode());
            Sampler out = new Sampler();
            List<String> entities = new ArrayList<>();
            IgniteCache<Object, Object> bin = cache.withKeepBinary();
            for (int p : parts) {
                try (QueryCursor<Cache.Entry<Object, Object>> cur = bin.query(new ScanQuery<>().setPartition(p)
                    .setLocal(true))) {
                    for (Cache.Entry<Object, Object> e : cur) {
                        BinaryObject k = (BinaryObject) e.getKey();
                        if ((long) k.field("block") == EventKey.INDEX) {
                            entities.add(k.field("entity"));
                        }
                        if (entities.size() >= ENTITY_BATCH) {
                            read(store, entities, out);
                            entities.clear();
                        }
                    }
                }
            }
            if (!entities.isEmpty()) {
                read(store, entities, out);
            }
            return column == null ? out.events() : out.values();
        }

        private void read(EventStore store, List<String> entities, Sampler out) {
            Map<String, EntityEvents> evs = column == null ? store.read(source, entities, from, to - 1)
                : store.read(source, Map.of(column, type), entities, from, to - 1);
            for (Map.Entry<String, EntityEvents> en : evs.entrySet()) {
                EntityEvents ev = en.getValue();
                EventBlock b = ev.events();
                if (b == null) {
                    continue;
                }
                Column c = eventTime || column == null ? null : b.column(column, type);
                for (int i = 0; i < b.size(); i++) {
                    long ts = b.ts(i);
                    if (ts < from || ts >= to) {
                        continue; // the rest of a block that holds events in the range
                    }
                    if (column == null) {
                        out.add(en.getKey(), ts);
                    } else if (eventTime) {
                        out.add(ts);
                    } else if (c.isNull(i)) {
                        out.nulls++;
                    } else {
                        out.add(c.doubleAt(i));
                    }
                }
            }
        }
    }

    /** Keeps every value up to {@link #MAX_VALUES}, then a uniform sample of that many (reservoir sampling). */
    static final class Sampler {
        private double[] values = new double[1024];
        private int n;
        private long seen;
        long nulls;
        private final java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        private long lastSlot = -1;

        void add(double v) {
            seen++;
            if (n < MAX_VALUES) {
                if (n == values.length) {
                    values = Arrays.copyOf(values, Math.min(MAX_VALUES, n * 2));
                }
                values[n++] = v;
                return;
            }
            long j = random.nextLong(seen);
            lastSlot = -1;
            if (j < MAX_VALUES) {
                values[(int) j] = v;
                lastSlot = j;
            }
        }

        Values values() {
            return new Values(Arrays.copyOf(values, n), nulls, seen);
        }

        private String[] names = new String[0];

        /** An event (its entity, and its time as the value), sampled as values are. */
        void add(String entity, long ts) {
            long before = seen;
            int at = n;
            add(ts);
            if (names.length < values.length) {
                names = Arrays.copyOf(names, values.length);
            }
            if (n > at) {
                names[at] = entity;
            } else if (seen > before) { // replaced a sampled event, or skipped: find which slot changed
                long j = lastSlot;
                if (j >= 0) {
                    names[(int) j] = entity;
                }
            }
        }

        Events events() {
            long[] times = new long[n];
            for (int i = 0; i < n; i++) {
                times[i] = (long) values[i];
            }
            return new Events(Arrays.copyOf(names, n), times);
        }
    }

    /** A training set's feature column (its values as numbers, nulls counted apart); null when there is no such set. */
    public static Values ofTrainingSet(Ignite ignite, String trainingSet, String column) {
        IgniteCache<Object, Object> cache = ignite.cache(CacheLayout.trainingCache(trainingSet));
        if (cache == null) {
            return null;
        }
        Sampler out = new Sampler();
        try (QueryCursor<Cache.Entry<Object, Object>> cur = cache.withKeepBinary().query(new ScanQuery<>())) {
            for (Cache.Entry<Object, Object> e : cur) {
                Object v = ((BinaryObject) e.getValue()).field(column);
                if (v == null) {
                    out.nulls++;
                } else if (v instanceof Number num) {
                    out.add(num.doubleValue());
                } else if (v instanceof java.util.Date d) {
                    out.add(d.getTime());
                } else if (v instanceof Boolean b) {
                    out.add(b ? 1 : 0);
                }
            }
        }
        return out.values();
    }
}

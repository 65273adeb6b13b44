package io.hearth.compute.training;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.EventReads;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Status;
import io.hearth.compute.semantics.FeatureEvaluator;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteDataStreamer;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.binary.BinaryObjectBuilder;
import org.apache.ignite.cache.affinity.Affinity;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeJobResultPolicy;
import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * The point-in-time join, run where the data is. {@link #map} sends each spine row to the node that owns its
 * entity (one job per node); each job reads its entities' events locally as consistent snapshots, computes every
 * feature with the same {@link FeatureEvaluator} online lookups use, and streams the output rows (spine columns,
 * then {@code view__feature} columns, keyed by spine row number) into the output cache from the node. A job lost
 * with its node is failed over to another node, which reads the same events from the backups.
 */
public final class TrainingSetTask extends ComputeTaskAdapter<TrainingSetTask.Arg, TrainingSetTask.Result> {
    private static final long serialVersionUID = 1L;
    /** Distinct entities whose events a job holds in memory at once. */
    static final int ENTITY_CHUNK = 8192;

    @IgniteInstanceResource
    private transient Ignite ignite;

    private final transient AtomicLong rowsDone;
    private transient int spineRows;

    /** @param rowsDone counts rows as jobs finish, for progress reports (may be null) */
    public TrainingSetTask(AtomicLong rowsDone) {
        this.rowsDone = rowsDone;
    }

    /** What to join: definitions (canonical JSON), features, output, and the spine in columns. */
    public static final class Arg {
        String definitionsJson;
        String[] features;
        String outputCache;
        String valueType;
        String[] spineColumns;
        byte[] spineTypes;
        String[] entities;
        long[] times;
        Object[][] rows;
        boolean collect;

        /**
         * @param rows the spine rows in spine order, values typed by {@code spineTypes} (TIMESTAMP as Long millis)
         * @param entities each row's entity key (storage form); @param times each row's time
         */
        public Arg(String definitionsJson, List<FeatureRef> features, String outputCache, String valueType,
                   List<String> spineColumns, List<ColumnType> spineTypes, String[] entities, long[] times, Object[][] rows) {
            this.definitionsJson = definitionsJson;
            this.features = features.stream().map(FeatureRef::qualified).toArray(String[]::new);
            this.outputCache = outputCache;
            this.valueType = valueType;
            this.spineColumns = spineColumns.toArray(String[]::new);
            this.spineTypes = new byte[spineTypes.size()];
            for (int i = 0; i < spineTypes.size(); i++) {
                this.spineTypes[i] = (byte) spineTypes.get(i).ordinal();
            }
            this.entities = entities;
            this.times = times;
            this.rows = rows;
        }

        /** Return the feature values to the caller (spine order) instead of writing a table: for files. */
        public Arg collecting() {
            this.collect = true;
            this.outputCache = null;
            return this;
        }
    }

    /**
     * Rows written, and per feature how many values had each {@link Status} (indexed by ordinal). A class, not a
     * record: job results cross nodes through Ignite's binary marshaller.
     */
    public static final class Result {
        private final long rows;
        private final long[][] statusCounts;
        private final long checksum;
        private int[] rowIds;
        private ValueColumn[] columns;

        public Result(long rows, long[][] statusCounts, long checksum) {
            this.rows = rows;
            this.statusCounts = statusCounts;
            this.checksum = checksum;
        }

        /** When collecting: per feature, its values of every spine row (index = row number), else null. */
        public ValueColumn[] columns() {
            return columns;
        }

        /**
         * Order-independent checksum of the feature values (sum over rows of the row number mixed with each value's
         * hash): equal for equal outputs, however the rows were spread over nodes.
         */
        public long checksum() {
            return checksum;
        }

        public long rows() {
            return rows;
        }

        public long[][] statusCounts() {
            return statusCounts;
        }
    }

    @Override
    public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Arg arg) {
        Definitions defs = DefinitionsParser.parse("registry", arg.definitionsJson);
        List<ResolvedFeature> fs = ResolvedFeature.resolve(defs, Arrays.stream(arg.features).map(FeatureRef::parse).toList());
        String cacheName = eventsCache(fs.get(0).source().name());
        Affinity<Object> aff = ignite.affinity(cacheName);
        // The cache's affinity function maps a String key straight to its partition (no affinity mapper is involved
        // for String keys): calling it directly is ~30x cheaper than Affinity.partition per spine row.
        @SuppressWarnings("unchecked")
        org.apache.ignite.cache.affinity.AffinityFunction fn = ignite.cache(cacheName)
            .getConfiguration(org.apache.ignite.configuration.CacheConfiguration.class).getAffinity();
        // Rows by partition (a counting sort: O(rows)), partitions by primary node, and each node's partitions cut
        // into as many jobs as it has cores, so one node joins on all its cores.
        int parts = aff.partitions();
        int n = arg.entities.length;
        spineRows = n;
        int[] partOfRow = new int[n];
        int[] perPart = new int[parts + 1];
        for (int r = 0; r < n; r++) {
            partOfRow[r] = fn.partition(arg.entities[r]);
            perPart[partOfRow[r] + 1]++;
        }
        for (int p = 0; p < parts; p++) {
            perPart[p + 1] += perPart[p];
        }
        int[] byPart = new int[n];
        int[] fill = Arrays.copyOf(perPart, parts);
        for (int r = 0; r < n; r++) {
            byPart[fill[partOfRow[r]]++] = r;
        }
        Map<ClusterNode, List<Integer>> partsOfNode = new HashMap<>();
        for (int p = 0; p < parts; p++) {
            if (perPart[p + 1] > perPart[p]) {
                partsOfNode.computeIfAbsent(aff.mapPartitionToNode(p), k -> new ArrayList<>()).add(p);
            }
        }
        Map<ComputeJob, ClusterNode> jobs = new HashMap<>();
        partsOfNode.forEach((node, ps) -> {
            int cores = Math.max(1, node.metrics().getTotalCpus());
            int rowsOfNode = ps.stream().mapToInt(p -> perPart[p + 1] - perPart[p]).sum();
            int target = Math.max(1, (rowsOfNode + cores - 1) / cores);
            int[] buf = new int[rowsOfNode];
            int k = 0;
            for (int i = 0; i < ps.size(); i++) {
                int p = ps.get(i);
                for (int j = perPart[p]; j < perPart[p + 1]; j++) {
                    buf[k++] = byPart[j];
                }
                if (k >= target || i == ps.size() - 1) { // whole partitions per job
                    jobs.put(new ExtractJob(arg, Arrays.copyOf(buf, k)), node);
                    k = 0;
                }
            }
        });
        return jobs;
    }

    @Override
    public ComputeJobResultPolicy result(ComputeJobResult res, List<ComputeJobResult> received) {
        ComputeJobResultPolicy p = super.result(res, received); // FAILOVER when the node left; throws on job errors
        if (p == ComputeJobResultPolicy.WAIT && rowsDone != null && res.getData() != null) {
            rowsDone.addAndGet(((Result) res.getData()).rows());
        }
        return p;
    }

    @Override
    public Result reduce(List<ComputeJobResult> results) {
        long rows = 0;
        long sum = 0;
        long[][] counts = null;
        for (ComputeJobResult r : results) {
            Result jr = r.getData();
            rows += jr.rows();
            sum += jr.checksum();
            if (counts == null) {
                counts = new long[jr.statusCounts().length][Status.values().length];
            }
            for (int f = 0; f < counts.length; f++) {
                for (int s = 0; s < counts[f].length; s++) {
                    counts[f][s] += jr.statusCounts()[f][s];
                }
            }
        }
        Result out = new Result(rows, counts == null ? new long[0][] : counts, sum);
        if (results.stream().anyMatch(r -> ((Result) r.getData()).columns != null)) {
            ValueColumn[] byRow = null;
            for (ComputeJobResult r : results) {
                Result jr = r.getData();
                if (byRow == null) {
                    byRow = new ValueColumn[jr.columns.length];
                    for (int f = 0; f < byRow.length; f++) {
                        byRow[f] = new ValueColumn(jr.columns[f].type(), spineRows);
                    }
                }
                for (int f = 0; f < byRow.length; f++) {
                    jr.columns[f].scatterTo(byRow[f], jr.rowIds);
                }
            }
            out.columns = byRow;
        }
        return out;
    }

    static String eventsCache(String source) {
        return "events_" + source; // io.hearth.node.CacheLayout#eventsCache: compute cannot see node
    }

    static String logCache(String source) {
        return "log_" + source; // io.hearth.node.CacheLayout#logCache
    }

    /** The rows of one node. */
    static final class ExtractJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        @IgniteInstanceResource
        private transient Ignite ignite;

        private final String definitionsJson;
        private final String[] features;
        private final String outputCache;
        private final String valueType;
        private final String[] spineColumns;
        private final byte[] spineTypes;
        private final int[] rowIds;
        private final String[] entities;
        private final long[] times;
        private final Object[][] rows;
        private final boolean collect;

        ExtractJob(Arg arg, int[] rowIds) {
            this.collect = arg.collect;
            this.definitionsJson = arg.definitionsJson;
            this.features = arg.features;
            this.outputCache = arg.outputCache;
            this.valueType = arg.valueType;
            this.spineColumns = arg.spineColumns;
            this.spineTypes = arg.spineTypes;
            this.rowIds = rowIds;
            this.entities = new String[rowIds.length];
            this.times = new long[rowIds.length];
            this.rows = new Object[rowIds.length][];
            for (int i = 0; i < rowIds.length; i++) {
                entities[i] = arg.entities[rowIds[i]];
                times[i] = arg.times[rowIds[i]];
                rows[i] = arg.rows[rowIds[i]];
            }
        }

        @Override
        public Result execute() {
            Definitions defs = DefinitionsParser.parse("registry", definitionsJson);
            List<ResolvedFeature> fs = ResolvedFeature.resolve(defs,
                Arrays.stream(features).map(FeatureRef::parse).toList());
            Set<String> sources = new LinkedHashSet<>();
            fs.forEach(f -> sources.add(f.source().name()));
            List<String> sourceList = new ArrayList<>(sources);
            int[] sourceOf = new int[fs.size()];
            for (int f = 0; f < fs.size(); f++) {
                sourceOf[f] = sourceList.indexOf(fs.get(f).source().name());
            }
            EventReads.EntityEvents[] evs = new EventReads.EntityEvents[sourceList.size()];
            ColumnType[] types = ColumnType.values();
            long[][] counts = new long[fs.size()][Status.values().length];
            // Rows grouped by entity (a counting sort over entity numbers), so each entity's events are read once.
            Map<String, Integer> entityNo = new HashMap<>();
            int[] entityOfRow = new int[rowIds.length];
            for (int i = 0; i < rowIds.length; i++) {
                Integer no = entityNo.putIfAbsent(entities[i], entityNo.size());
                entityOfRow[i] = no == null ? entityNo.size() - 1 : no;
            }
            int[] start = new int[entityNo.size() + 1];
            for (int e : entityOfRow) {
                start[e + 1]++;
            }
            for (int e = 0; e < entityNo.size(); e++) {
                start[e + 1] += start[e];
            }
            int[] order = new int[rowIds.length];
            for (int i = 0; i < rowIds.length; i++) {
                order[start[entityOfRow[i]]++] = i;
            }
            long sum = 0;
            boolean dry = outputCache == null; // count and checksum (and, collecting, return the values): no table
            ValueColumn[] collected = null; // by feature, index = the job's row index
            if (collect) {
                collected = new ValueColumn[fs.size()];
                for (int f = 0; f < fs.size(); f++) {
                    collected[f] = new ValueColumn(fs.get(f).outputType(), rowIds.length);
                }
            }
            try (IgniteDataStreamer<Long, BinaryObject> out = dry ? null : ignite.dataStreamer(outputCache)) {
                if (out != null) {
                    out.keepBinary(true);
                    out.perNodeBufferSize(4096);
                }
                int i = 0;
                while (i < order.length) {
                    // A chunk of whole entities.
                    List<String> chunk = new ArrayList<>();
                    int j = i;
                    long maxT = Long.MIN_VALUE;
                    while (j < order.length && (chunk.size() < ENTITY_CHUNK
                        || entities[order[j]].equals(chunk.get(chunk.size() - 1)))) {
                        String e = entities[order[j]];
                        if (chunk.isEmpty() || !chunk.get(chunk.size() - 1).equals(e)) {
                            chunk.add(e);
                        }
                        maxT = Math.max(maxT, times[order[j]]);
                        j++;
                    }
                    List<Map<String, EventReads.EntityEvents>> bySource = new ArrayList<>();
                    for (String s : sourceList) {
                        IgniteCache<EventKey, Object> cache = ignite.cache(eventsCache(s));
                        Map<String, ColumnType> schema = defs.source(s).orElseThrow().schema();
                        bySource.add(cache == null ? Map.of() : read(cache, s, schema, chunk, maxT));
                    }
                    for (int k = i; k < j; k++) {
                        int r = order[k];
                        BinaryObjectBuilder b = dry ? null : ignite.binary().builder(valueType);
                        for (int c = 0; c < spineColumns.length && !dry; c++) {
                            set(b, spineColumns[c], types[spineTypes[c]], rows[r][c]);
                        }
                        long rowHash = rowIds[r];
                        if (k == i || !entities[r].equals(entities[order[k - 1]])) { // once per entity, not per row
                            for (int s = 0; s < evs.length; s++) {
                                evs[s] = bySource.get(s).get(entities[r]);
                            }
                        }
                        for (int f = 0; f < fs.size(); f++) {
                            ResolvedFeature rf = fs.get(f);
                            EventReads.EntityEvents ev = evs[sourceOf[f]];
                            FeatureValue v = ev == null
                                ? FeatureEvaluator.evaluate(rf.view(), rf.feature(), rf.source(), null, false, times[r])
                                : FeatureEvaluator.evaluate(rf.view(), rf.feature(), rf.source(), ev.events(),
                                ev.anyAtOrBefore(times[r]), times[r]);
                            counts[f][v.status().ordinal()]++;
                            rowHash = rowHash * 31 + (v.value() == null ? 0 : v.value().hashCode());
                            if (collected != null) {
                                collected[f].set(r, v.value());
                            }
                            if (!dry) {
                                set(b, rf.column(), rf.outputType(), v.value());
                            }
                        }
                        sum += mix(rowHash);
                        if (!dry) {
                            out.addData((long) rowIds[r], b.build());
                        }
                    }
                    i = j;
                }
            }
            Result res = new Result(rowIds.length, counts, sum);
            if (collected != null) {
                res.rowIds = rowIds;
                res.columns = collected;
            }
            return res;
        }

        /**
         * A chunk's events: by scanning its entities' local partitions when they are most of what those partitions
         * hold (each entity is an index and about one block: two entries), else by key.
         */
        private Map<String, EventReads.EntityEvents> read(IgniteCache<EventKey, Object> cache, String source,
                                                          Map<String, ColumnType> schema, List<String> chunk, long maxT) {
            @SuppressWarnings("unchecked")
            org.apache.ignite.cache.affinity.AffinityFunction fn = cache
                .getConfiguration(org.apache.ignite.configuration.CacheConfiguration.class).getAffinity();
            Set<Integer> parts = new java.util.TreeSet<>();
            for (String e : chunk) {
                parts.add(fn.partition(e));
            }
            long entries = 0;
            boolean local = true;
            for (int p : parts) {
                local &= ignite.affinity(cache.getName()).isPrimary(ignite.cluster().localNode(), p);
                entries += cache.localSizeLong(p, org.apache.ignite.cache.CachePeekMode.PRIMARY);
            }
            IgniteCache<io.hearth.compute.events.LogKey, Object> log = ignite.cache(logCache(source));
            io.hearth.compute.events.SourceCaches caches = log == null
                ? io.hearth.compute.events.SourceCaches.foldedOnly(cache)
                : new io.hearth.compute.events.SourceCaches(cache, log,
                    io.hearth.compute.events.LogPartitions.of(ignite, logCache(source)));
            if (local && 4L * chunk.size() >= entries) {
                return EventReads.scan(caches, source, parts.stream().mapToInt(Integer::intValue).toArray(),
                    new java.util.HashSet<>(chunk), Long.MIN_VALUE + 1, maxT, schema);
            }
            return EventReads.read(caches, source, chunk, Long.MIN_VALUE + 1, maxT, schema, null);
        }

        private static long mix(long h) {
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            return h;
        }

        private static void set(BinaryObjectBuilder b, String field, ColumnType type, Object v) {
            switch (type) {
                case STRING -> b.setField(field, v == null ? null : v.toString(), String.class);
                case INT, LONG -> b.setField(field, v == null ? null : ((Number) v).longValue(), Long.class);
                case FLOAT, DOUBLE -> b.setField(field, v == null ? null : ((Number) v).doubleValue(), Double.class);
                case BOOL -> b.setField(field, (Boolean) v, Boolean.class);
                case TIMESTAMP -> b.setField(field, v == null ? null : new Timestamp(((Number) v).longValue()),
                    Timestamp.class);
                default -> throw new IllegalStateException("unhandled type " + type);
            }
        }
    }
}

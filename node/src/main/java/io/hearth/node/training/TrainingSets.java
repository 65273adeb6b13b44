package io.hearth.node.training;

import io.hearth.node.CacheLayout;
import io.hearth.node.store.RegistryStore;

import io.hearth.catalog.CanonicalForm;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.semantics.Status;
import io.hearth.compute.training.TrainingSetTask;
import io.hearth.compute.training.ResolvedFeature;
import io.hearth.compute.training.Spine;
import io.hearth.compute.training.SpineException;
import io.hearth.compute.training.ValueColumn;
import io.hearth.compute.time.Timestamps;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Locale;
import org.apache.ignite.cache.query.FieldsQueryCursor;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.ignite.Ignite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds training sets: checks the request, creates the table {@code TRAINING.<NAME>}, runs the colocated
 * {@link TrainingSetTask}, and drops the table again if anything fails, so no half-written table is ever left behind.
 */
public final class TrainingSets {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingSets.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private final Ignite ignite;
    private final RegistryStore registry;

    public TrainingSets(Ignite ignite, RegistryStore registry) {
        this.ignite = ignite;
        this.registry = registry;
    }

    /** How many values of one output feature had each status. */
    public record FeatureStats(String column, long present, long nullValue, long notFound, long outsideMaxAge) {
    }

    /** A finished training set. */
    public record Outcome(String name, String table, long rows, long millis, List<String> columns,
                          List<ColumnType> types, List<FeatureStats> features) {
    }

    /** What a training set needs, checked: the features resolved, the entity they describe. */
    public record Checked(String name, List<ResolvedFeature> features, Entity entity, Definitions definitions) {
    }

    /** The current definitions (feature services name features). */
    public Definitions definitions() {
        return registry.definitions();
    }

    /** Checks name and features before any spine is read; errors name the field and the rule. */
    public Checked check(String name, List<FeatureRef> refs) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SpineException("name", "name.pattern", "a training set name must match " + NAME.pattern()
                + ", got " + (name == null ? "nothing" : "'" + name + "'"));
        }
        if (refs == null || refs.isEmpty()) {
            throw new SpineException("features", "required", "name the features (view:feature,...) or a feature service");
        }
        Definitions defs = registry.definitions();
        List<ResolvedFeature> fs;
        try {
            fs = ResolvedFeature.resolve(defs, refs);
        } catch (IllegalArgumentException e) {
            throw new SpineException("features", "ref.feature", e.getMessage());
        }
        Entity entity = null;
        for (ResolvedFeature f : fs) {
            Entity e = defs.entity(f.view().entity()).orElseThrow();
            if (entity != null && !entity.equals(e)) {
                throw new SpineException("features", "entity.mixed", "features of entities '" + entity.name() + "' and '"
                    + e.name() + "' cannot be joined to one spine");
            }
            entity = e;
        }
        return new Checked(name, fs, entity, defs);
    }

    /**
     * Joins the spine and writes {@code TRAINING.<NAME>}; blocks until done. {@code rowsDone} (may be null) counts
     * rows as node jobs finish.
     */
    public Outcome buildTable(Checked c, Spine spine, boolean replace, AtomicLong rowsDone) {
        List<String> columns = new ArrayList<>();
        List<ColumnType> types = new ArrayList<>();
        outputColumns(c, spine, columns, types);
        String cacheName = CacheLayout.trainingCache(c.name());
        if (ignite.cacheNames().contains(cacheName)) {
            if (!replace) {
                throw new SpineException("name", "name.exists", "training set '" + c.name() + "' exists; choose another "
                    + "name or replace it");
            }
            ignite.destroyCache(cacheName);
        }
        String valueType = "hearth_training_" + c.name() + "_" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        ignite.createCache(CacheLayout.training(c.name(), columns, types, valueType));
        long created = System.nanoTime();
        try {
            TrainingSetTask.Arg arg = new TrainingSetTask.Arg(CanonicalForm.toJson(c.definitions()),
                c.features().stream().map(ResolvedFeature::ref).toList(), cacheName, valueType, spine.columns(),
                spine.types(), spine.entities(), spine.times(), spine.rows());
            TrainingSetTask.Result r = spine.size() == 0 ? new TrainingSetTask.Result(0, new long[c.features().size()][4], 0)
                : ignite.compute().execute(new TrainingSetTask(rowsDone), arg);
            List<FeatureStats> stats = stats(c, r);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            LOG.info("Training set {}: {} rows, {} features, {} ms (table created in {} ms)", c.name(), r.rows(),
                c.features().size(), ms, (created - t0) / 1_000_000);
            return new Outcome(c.name(), CacheLayout.TRAINING_SCHEMA + "." + c.name().toUpperCase(java.util.Locale.ROOT),
                r.rows(), ms, columns, types, stats);
        } catch (RuntimeException e) {
            LOG.warn("Training set {} failed, its table is dropped: {}", c.name(), e.toString());
            org.apache.ignite.IgniteCache<Object, Object> cache = ignite.cache(cacheName);
            @SuppressWarnings("unchecked")
            org.apache.ignite.configuration.CacheConfiguration<Object, Object> cfg = cache == null ? null
                : cache.getConfiguration(org.apache.ignite.configuration.CacheConfiguration.class);
            boolean ours = cfg != null && cfg.getQueryEntities().stream()
                .anyMatch(q -> valueType.equals(((org.apache.ignite.cache.QueryEntity) q).getValueType()));
            if (ours) {
                ignite.destroyCache(cacheName); // never another run's table of the same name
            }
            throw e;
        }
    }

    /**
     * The join without a table: rows computed on the nodes, counted and checksummed ({@link TrainingSetTask.Result}).
     * For benchmarks and for checking two runs agree.
     */
    public TrainingSetTask.Result checksum(Checked c, Spine spine) {
        TrainingSetTask.Arg arg = new TrainingSetTask.Arg(CanonicalForm.toJson(c.definitions()),
            c.features().stream().map(ResolvedFeature::ref).toList(), null, null, spine.columns(), spine.types(),
            spine.entities(), spine.times(), spine.rows());
        return ignite.compute().execute(new TrainingSetTask(null), arg);
    }

    /**
     * Reads a spine from a SQL table ({@code [SCHEMA.]TABLE}, default schema PUBLIC): its columns, lower-cased, and
     * rows, checked like an uploaded spine.
     */
    public Spine spineFromTable(String table, Checked c, String tsColumn) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new SpineException("spine_table", "table.syntax", "spine_table must be [SCHEMA.]TABLE, got "
                + (table == null ? "nothing" : "'" + table + "'"));
        }
        List<String> header = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        try (FieldsQueryCursor<List<?>> cur = ignite.cache(CacheLayout.QUARANTINE) // any SQL-enabled cache runs a query
            .query(new SqlFieldsQuery("SELECT * FROM " + table).setSchema("PUBLIC"))) {
            for (int i = 0; i < cur.getColumnsCount(); i++) {
                // SQL upper-cases unquoted names: give join keys and the time column their definitions' spelling.
                String sqlName = cur.getFieldName(i);
                String name = sqlName.toLowerCase(Locale.ROOT);
                for (String k : c.entity().joinKeys()) {
                    if (k.equalsIgnoreCase(sqlName)) {
                        name = k;
                    }
                }
                if (tsColumn.equalsIgnoreCase(sqlName)) {
                    name = tsColumn;
                }
                header.add(name);
            }
            for (List<?> r : cur) {
                String[] t = new String[r.size()];
                for (int i = 0; i < t.length; i++) {
                    Object v = r.get(i);
                    t[i] = v == null ? "" : v instanceof Timestamp ts ? Timestamps.format(ts.getTime()) : v.toString();
                }
                rows.add(t);
            }
        } catch (javax.cache.CacheException | org.apache.ignite.IgniteException e) {
            throw new SpineException("spine_table", "table.read", "cannot read spine table " + table + ": "
                + String.valueOf(e.getMessage()).split("\n")[0]);
        }
        return Spine.fromText(header, rows.iterator(), c.entity(), c.features().get(0).source(), tsColumn);
    }

    /** Whether a training set of that name exists (names are case-insensitive). */
    public boolean exists(String name) {
        return ignite.cacheNames().contains(CacheLayout.trainingCache(name));
    }

    /**
     * A training set computed for a file: the output columns (the spine's, then the features') and, per feature, its
     * values of every spine row.
     */
    public record Values(List<String> columns, List<ColumnType> types, ValueColumn[] featureValues, long millis,
                            List<FeatureStats> features) {
    }

    /**
     * The join with its values brought back in spine order instead of a table: what a file needs, without the cost
     * of SQL rows. {@code rowsDone} (may be null) counts rows as node jobs finish.
     */
    public Values buildValues(Checked c, Spine spine, AtomicLong rowsDone) {
        List<String> columns = new ArrayList<>();
        List<ColumnType> types = new ArrayList<>();
        outputColumns(c, spine, columns, types);
        long t0 = System.nanoTime();
        TrainingSetTask.Result r;
        if (spine.size() == 0) {
            r = new TrainingSetTask.Result(0, new long[c.features().size()][4], 0);
        } else {
            TrainingSetTask.Arg arg = new TrainingSetTask.Arg(CanonicalForm.toJson(c.definitions()),
                c.features().stream().map(ResolvedFeature::ref).toList(), null, null, spine.columns(), spine.types(),
                spine.entities(), spine.times(), spine.rows()).collecting();
            r = ignite.compute().execute(new TrainingSetTask(rowsDone), arg);
        }
        ValueColumn[] values = r.columns();
        if (values == null) { // an empty spine
            values = new ValueColumn[c.features().size()];
            for (int f = 0; f < values.length; f++) {
                values[f] = new ValueColumn(c.features().get(f).outputType(), 0);
            }
        }
        return new Values(columns, types, values,
            (System.nanoTime() - t0) / 1_000_000, stats(c, r));
    }

    private static List<FeatureStats> stats(Checked c, TrainingSetTask.Result r) {
        List<FeatureStats> stats = new ArrayList<>();
        for (int f = 0; f < c.features().size(); f++) {
            long[] s = r.statusCounts()[f];
            stats.add(new FeatureStats(c.features().get(f).column(), s[Status.PRESENT.ordinal()],
                s[Status.NULL_VALUE.ordinal()], s[Status.NOT_FOUND.ordinal()], s[Status.OUTSIDE_MAX_AGE.ordinal()]));
        }
        return stats;
    }

    /** The output's columns and types: the spine's, then one per feature; a feature may not reuse a spine column's name. */
    private static void outputColumns(Checked c, Spine spine, List<String> columns, List<ColumnType> types) {
        columns.addAll(spine.columns());
        types.addAll(spine.types());
        for (ResolvedFeature f : c.features()) {
            if (columns.contains(f.column())) {
                throw new SpineException(f.column(), "spine.column_clash", "the spine already has a column '" + f.column()
                    + "', the name of a feature column");
            }
            columns.add(f.column());
            types.add(f.outputType());
        }
    }

    /** Drops a training set; false when there was none. */
    public boolean drop(String name) {
        String cacheName = CacheLayout.trainingCache(name);
        if (!ignite.cacheNames().contains(cacheName)) {
            return false;
        }
        ignite.destroyCache(cacheName);
        return true;
    }

    /** Rows read per getAll: keys are spine row numbers, so reading them in order needs no sort. */
    static final int ROW_BATCH = 8192;

    /**
     * The rows of a training table in spine order (timestamps as epoch millis), a batch of keys at a time; a
     * missing row is an error, never a skipped row.
     */
    public Iterable<Object[]> tableRows(Outcome t) {
        return () -> new TableRows(ignite.cache(CacheLayout.trainingCache(t.name())).withKeepBinary(), t.columns(),
            t.rows());
    }

    private static final class TableRows implements java.util.Iterator<Object[]> {
        private final org.apache.ignite.IgniteCache<Long, org.apache.ignite.binary.BinaryObject> cache;
        private final List<String> columns;
        private final long rows;
        private long next;
        private java.util.Map<Long, org.apache.ignite.binary.BinaryObject> batch = java.util.Map.of();

        TableRows(org.apache.ignite.IgniteCache<Long, org.apache.ignite.binary.BinaryObject> cache, List<String> columns,
                  long rows) {
            this.cache = cache;
            this.columns = columns;
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return next < rows;
        }

        @Override
        public Object[] next() {
            if (!batch.containsKey(next)) {
                java.util.Set<Long> keys = new java.util.TreeSet<>();
                for (long k = next; k < Math.min(rows, next + ROW_BATCH); k++) {
                    keys.add(k);
                }
                batch = cache.getAll(keys);
            }
            org.apache.ignite.binary.BinaryObject b = batch.get(next);
            if (b == null) {
                throw new IllegalStateException("training row " + next + " is missing (a node holding it left?): "
                    + "build the training set again");
            }
            next++;
            Object[] vals = new Object[columns.size()];
            for (int i = 0; i < vals.length; i++) {
                Object v = b.field(columns.get(i));
                vals[i] = v instanceof java.util.Date d ? (Object) d.getTime() : v; // SQL timestamps as epoch millis
            }
            return vals;
        }
    }
}

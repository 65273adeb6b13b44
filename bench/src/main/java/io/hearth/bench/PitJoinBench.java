package io.hearth.bench;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Entity;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.EventReads;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.FeatureEvaluator;
import io.hearth.compute.training.ExtractTask;
import io.hearth.compute.training.ResolvedFeature;
import io.hearth.compute.training.Spine;
import io.hearth.gateway.training.TrainingExport;
import io.hearth.node.CacheLayout;
import io.hearth.node.store.EventStore;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.store.RegistryStore;
import io.hearth.node.training.TrainingSets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.affinity.Affinity;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.binary.BinaryObjectImpl;
import org.apache.ignite.internal.processors.cache.persistence.GridCacheDatabaseSharedManager;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Point-in-time training join: Hearth against DuckDB, same data, same JVM.
 *
 * <p>Data: N entities, ~100 events each (per entity 50..150, pairs summing to 200, so the total is exact) with
 * unique event times over 365 days, columns a, b, c (doubles); a spine of random (entity, time) rows. Measured,
 * each twice and the second (JIT-warm) run reported:
 * <ol>
 *   <li>join: Hearth {@code dryRun} of v:a,v:b,v:c (computed on the node, counted and checksummed, no table) vs
 *       DuckDB {@code CREATE OR REPLACE TABLE out AS ... ASOF LEFT JOIN};</li>
 *   <li>windows: dryRun of count/avg over 7d and 30d vs DuckDB window functions over events ∪ spine;</li>
 *   <li>file: {@code run} (table TRAINING.BENCH) + Parquet export vs DuckDB {@code COPY (ASOF query) TO parquet};</li>
 *   <li>SQL: rows/s of {@code run}, i.e. the join written as an SQL table.</li>
 * </ol>
 * Then a correctness check: a sample of 1000 spine rows compared value by value (plain and windowed), plus an
 * order-independent checksum of the whole plain join. Exits non-zero when they disagree. The last line on stdout
 * is one JSON object.
 */
public final class PitJoinBench {
    static final long DAY = 86_400_000L;
    static final long BASE = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    static final long SPAN = 365 * DAY;
    static final int LOAD_BATCH = 2000; // entities per EventStore.write
    static final int SAMPLE = 1000;

    static final String YAML = """
        project: bench
        entities:
          - name: e
            join_keys: [entity_id]
        sources:
          - name: ev
            entity: e
            timestamp_field: ts
            schema:
              entity_id: string
              ts: timestamp
              a: double
              b: double
              c: double
        feature_views:
          - name: v
            entity: e
            source: ev
            features:
              - name: a
                column: a
              - name: b
                column: b
              - name: c
                column: c
              - name: cnt_7d
                aggregation: count
                window: 7d
              - name: cnt_30d
                aggregation: count
                window: 30d
              - name: avg_a_7d
                aggregation: avg
                column: a
                window: 7d
              - name: avg_a_30d
                aggregation: avg
                column: a
                window: 30d
        """;

    static final List<String> PLAIN = List.of("v:a", "v:b", "v:c");
    static final List<String> WINDOWS = List.of("v:cnt_7d", "v:cnt_30d", "v:avg_a_7d", "v:avg_a_30d");

    // ---------------------------------------------------------------- data (shared by both engines)
    final int entities;
    final int spineRows;
    final String[] names;
    final int[] offset;   // events of entity i: [offset[i], offset[i+1]), time-sorted
    final long[] ts;
    final double[] a;
    final double[] b;
    final double[] c;
    final int[] spEntity;
    final long[] spTs;

    PitJoinBench(int entities, long events, int spineRows, long seed) {
        this.entities = entities;
        this.spineRows = spineRows;
        SplittableRandom rnd = new SplittableRandom(seed);
        int avg = (int) (events / entities);
        int[] count = new int[entities];
        for (int i = 0; i + 1 < entities; i += 2) {
            int d = rnd.nextInt(101) - 50;
            count[i] = avg + d;
            count[i + 1] = avg - d;
        }
        if (entities % 2 == 1) {
            count[entities - 1] = avg;
        }
        long total = 0;
        for (int n : count) {
            total += n;
        }
        count[entities - 1] += (int) (events - total); // remainder of events / entities
        names = new String[entities];
        offset = new int[entities + 1];
        for (int i = 0; i < entities; i++) {
            names[i] = "e" + i;
            offset[i + 1] = offset[i] + count[i];
        }
        int n = offset[entities];
        ts = new long[n];
        a = new double[n];
        b = new double[n];
        c = new double[n];
        for (int i = 0; i < entities; i++) {
            int from = offset[i];
            int to = offset[i + 1];
            for (int k = from; k < to; k++) {
                ts[k] = BASE + rnd.nextLong(SPAN);
            }
            Arrays.sort(ts, from, to);
            for (int k = from + 1; k < to; k++) {
                if (ts[k] <= ts[k - 1]) {
                    ts[k] = ts[k - 1] + 1; // unique per entity: ASOF ties would let the engines disagree legitimately
                }
            }
            for (int k = from; k < to; k++) {
                a[k] = Math.round(rnd.nextDouble() * 1e6) / 100.0;
                b[k] = rnd.nextDouble() * 2 - 1;
                c[k] = rnd.nextInt(1000);
            }
        }
        spEntity = new int[spineRows];
        spTs = new long[spineRows];
        for (int r = 0; r < spineRows; r++) {
            spEntity[r] = rnd.nextInt(entities);
            spTs[r] = BASE + rnd.nextLong(SPAN);
        }
    }

    int events() {
        return offset[entities];
    }

    // ---------------------------------------------------------------- main

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        for (String s : args) {
            if (!s.equals("--quick")) {
                System.err.println("usage: bench/run pit-join [--quick]");
                System.exit(2);
            }
        }
        int entities = quick ? 10_000 : 100_000;
        long events = quick ? 1_000_000L : 10_000_000L;
        int spine = quick ? 100_000 : 1_000_000;
        long regionBytes = quick ? 1L << 30 : 3L << 30;
        int code;
        try {
            code = new PitJoinBench(entities, events, spine, 20261125L).run(quick, regionBytes);
        } catch (Throwable t) {
            t.printStackTrace();
            code = 1;
        }
        System.out.flush();
        // Ignite may leave non-daemon threads behind: exit explicitly (JFR and logback still flush).
        System.exit(code);
    }

    static double secs(long nanos) {
        return nanos / 1e9;
    }

    static void out(String fmt, Object... args) {
        System.out.println(String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }

    int run(boolean quick, long regionBytes) throws Exception {
        out("pit-join: %s scale: %,d entities, %,d events over 365 days (a, b, c doubles), %,d spine rows",
            quick ? "quick (1/10)" : "full", entities, events(), spineRows);
        out("machine: %d cores, max heap %d MB, Hearth region %d MB (+ training region %d MB), DuckDB threads=2",
            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, regionBytes >> 20,
            regionBytes / 2 >> 20);
        out("every timing is the second of two runs (JIT warm); ratio = duckdb / hearth (> 1: Hearth faster)");
        Path dir = Files.createTempDirectory("hearth-pit-bench");
        Path hearthFile = dir.resolve("hearth.parquet");
        Path duckFile = dir.resolve("duckdb.parquet");
        Path duckFileOrdered = dir.resolve("duckdb-ordered.parquet");
        int disco = freePortBase();
        int comm = freePortBase();
        int client = freePortBase();
        NodeSettings settings = NodeSettings.server(dir.resolve("node")).withPorts(disco, comm, client)
            .withPeers(List.of("127.0.0.1:" + disco)).withLimits(regionBytes, 16L << 20);
        boolean ok;
        try (HearthNode node = new HearthNode(settings).start();
             Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            ok = measure(node.ignite(), duck, dir, hearthFile, duckFile, duckFileOrdered);
        } finally {
            deleteTree(dir);
        }
        return ok ? 0 : 1;
    }

    boolean measure(Ignite ignite, Connection duck, Path dir, Path hearthFile, Path duckFile, Path duckFileOrdered)
        throws Exception {
        Definitions defs = DefinitionsParser.parse("bench.yaml", YAML);
        RegistryStore registry = new RegistryStore(ignite, Clock.systemUTC());
        registry.apply(defs);
        Source source = defs.source("ev").orElseThrow();
        Entity entity = defs.entity("e").orElseThrow();

        // ------------------------------------------------------------ load
        long t0 = System.nanoTime();
        loadHearth(ignite, source, entity);
        double hearthLoad = secs(System.nanoTime() - t0);
        out("load hearth: %.2f s, %,.0f events/s (EventStore.write, %d entities per call, blocks built from boxed rows)",
            hearthLoad, events() / hearthLoad, LOAD_BATCH);

        try (Statement s = duck.createStatement()) {
            s.execute("SET threads=2");
            s.execute("SET preserve_insertion_order=false");
        }
        t0 = System.nanoTime();
        loadDuck(duck);
        double duckLoad = secs(System.nanoTime() - t0);
        out("load duckdb: %.2f s, %,.0f events/s (Appender; events and spine)", duckLoad, events() / duckLoad);

        Storage st = storage(ignite, dir);
        out("bytes/event: payload %.1f B (keys+values as marshalled: %,d blocks, %,d indexes, %,d B), "
                + "region pages %s, partition files %s",
            st.payload / (double) events(), st.blocks, st.indexes, st.payload,
            st.regionUsed > 0 ? String.format(Locale.ROOT, "%.1f B (%,d B used of %,d B allocated)",
                st.regionUsed / (double) events(), st.regionUsed, st.regionAllocated) : "n/a (metric reads 0)",
            st.disk > 0 ? String.format(Locale.ROOT, "%.1f B (%,d B after a checkpoint)", st.disk / (double) events(),
                st.disk) : "n/a");
        double bytesPerEvent = (st.disk > 0 ? st.disk : st.regionUsed > 0 ? st.regionUsed : st.payload)
            / (double) events();

        // ------------------------------------------------------------ spine
        t0 = System.nanoTime();
        Spine spine = spine(entity, source);
        out("spine: %,d rows parsed by Spine.fromText in %.2f s (not in the timings below)", spine.size(),
            secs(System.nanoTime() - t0));

        TrainingSets sets = new TrainingSets(ignite, registry);
        TrainingSets.Checked plain = sets.check("bench", PLAIN.stream().map(FeatureRef::parse).toList());
        TrainingSets.Checked windows = sets.check("bench_w", WINDOWS.stream().map(FeatureRef::parse).toList());

        // ------------------------------------------------------------ 1. join
        ExtractTask.Result[] dry = new ExtractTask.Result[1];
        double[] hJoin = twice(() -> dry[0] = sets.dryRun(plain, spine));
        double[] dJoin = twice(() -> exec(duck, "CREATE OR REPLACE TABLE out AS " + asof()));
        out("1. join a,b,c       hearth %.3f s (1st %.3f, gc %.3f)  duckdb %.3f s (1st %.3f)  ratio %.2f",
            hJoin[1], hJoin[0], hJoin[2], dJoin[1], dJoin[0], dJoin[1] / hJoin[1]);

        // ------------------------------------------------------------ 2. windows
        double[] hWin = twice(() -> sets.dryRun(windows, spine));
        double[] dWin = twice(() -> exec(duck, "CREATE OR REPLACE TABLE wout AS " + windowSql()));
        out("2. windows 7d/30d   hearth %.3f s (1st %.3f, gc %.3f)  duckdb %.3f s (1st %.3f)  ratio %.2f",
            hWin[1], hWin[0], hWin[2], dWin[1], dWin[0], dWin[1] / hWin[1]);
        // The join measured right after the bulk load competes with the node's checkpointing of what was just
        // loaded; measured again now, both engines are warm and the node is quiet.
        double[] hJoinLater = twice(() -> sets.dryRun(plain, spine));
        double[] dJoinLater = twice(() -> exec(duck, "CREATE OR REPLACE TABLE out AS " + asof()));
        out("1'. join again     hearth %.3f s (1st %.3f, gc %.3f)  duckdb %.3f s (1st %.3f)  ratio %.2f  (after the windows)",
            hJoinLater[1], hJoinLater[0], hJoinLater[2], dJoinLater[1], dJoinLater[0], dJoinLater[1] / hJoinLater[1]);

        // ------------------------------------------------------------ 3 + 4. table, file
        double[] hRun = new double[2];
        double[] hExport = new double[2];
        long gcRun = 0;
        TrainingSets.Outcome outcome = null;
        for (int i = 0; i < 2; i++) {
            long g0 = gcMillis();
            long s0 = System.nanoTime();
            outcome = sets.run(plain, spine, true, null);
            long s1 = System.nanoTime();
            TrainingExport.write(sets, outcome, TrainingExport.Format.PARQUET, hearthFile, null);
            long s2 = System.nanoTime();
            hRun[i] = secs(s1 - s0);
            hExport[i] = secs(s2 - s1);
            gcRun = gcMillis() - g0;
        }
        // What `hearth extract --out x.parquet` does: the join computed on the nodes, values brought back in spine order,
        // written straight to Parquet (no SQL table).
        Path hearthFileOnly = dir.resolve("hearth-file-only.parquet");
        double[] collectS = new double[1];
        double[] hFileOnly = twice(() -> {
            long c0 = System.nanoTime();
            TrainingSets.Collected col = sets.collect(plain, spine, null);
            collectS[0] = secs(System.nanoTime() - c0);
            try {
                TrainingExport.write(spine, col, "bench", TrainingExport.Format.PARQUET, hearthFileOnly);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        double[] dFile = twice(() -> exec(duck, "COPY (" + asof() + ") TO '" + duckFile + "' (FORMAT parquet)"));
        double[] dFileOrdered = twice(() -> exec(duck, "COPY (" + asof() + " ORDER BY s.row_id) TO '" + duckFileOrdered
            + "' (FORMAT parquet)"));
        double hFile = hFileOnly[1];
        double hTableFile = hRun[1] + hExport[1];
        out("3. parquet file     hearth %.3f s (collect + write, no table; 1st %.3f, gc %.3f)  duckdb %.3f s (1st %.3f)  "
                + "ratio %.2f", hFile, hFileOnly[0], hFileOnly[2], dFile[1], dFile[0], dFile[1] / hFile);
        out("   of which collecting the values %.3f s, writing the file %.3f s (second run)", collectS[0],
            hFileOnly[1] - collectS[0]);
        out("   via the SQL table: hearth %.3f s (run %.3f + export %.3f; 1st %.3f, gc %.3f), ratio %.2f", hTableFile,
            hRun[1], hExport[1], hRun[0] + hExport[0], gcRun / 1e3, dFile[1] / hTableFile);
        out("   files: hearth %,d B (spine order), duckdb %,d B (unordered); duckdb with ORDER BY row_id %.3f s "
                + "(%,d B), ratio vs that %.2f",
            Files.size(hearthFile), Files.size(duckFile), dFileOrdered[1], Files.size(duckFileOrdered),
            dFileOrdered[1] / hFile);
        double rowsPerS = outcome.rows() / hRun[1];
        out("4. SQL table        TRAINING.BENCH %,d rows in %.3f s = %,.0f rows/s (1st %.3f s); vs duckdb CREATE TABLE "
            + "ratio %.2f", outcome.rows(), hRun[1], rowsPerS, hRun[0], dJoin[1] / hRun[1]);

        // ------------------------------------------------------------ correctness
        boolean ok = check(ignite, duck, sets, windows, spine, dry[0]);
        ok &= checkFile(hearthFileOnly, duck);

        // ------------------------------------------------------------ where Hearth's time goes
        breakdown(ignite, defs, spine);

        sets.drop("bench");
        sets.drop("bench_w");
        out("{\"bench\":\"pit-join\",\"hearth_s\":%.4f,\"duckdb_s\":%.4f,\"ratio\":%.3f,"
                + "\"window_ratio\":%.3f,\"file_ratio\":%.3f,\"sql_rows_per_s\":%.0f,\"bytes_per_event\":%.2f,"
                + "\"hearth_s_later\":%.4f,\"duckdb_s_later\":%.4f,\"ratio_later\":%.3f}",
            hJoin[1], dJoin[1], dJoin[1] / hJoin[1], dWin[1] / hWin[1], dFile[1] / hFile, rowsPerS, bytesPerEvent,
            hJoinLater[1], dJoinLater[1], dJoinLater[1] / hJoinLater[1]);
        return ok;
    }

    // ---------------------------------------------------------------- loading

    void loadHearth(Ignite ignite, Source source, Entity entity) {
        RowValidator v = new RowValidator(source, entity);
        List<String> cols = v.columns();
        double[][] byCol = new double[cols.size()][];
        for (int k = 0; k < cols.size(); k++) {
            byCol[k] = switch (cols.get(k)) {
                case "a" -> a;
                case "b" -> b;
                case "c" -> c;
                default -> throw new IllegalStateException("unexpected stored column " + cols.get(k));
            };
        }
        EventStore store = new EventStore(ignite);
        for (int from = 0; from < entities; from += LOAD_BATCH) {
            int to = Math.min(entities, from + LOAD_BATCH);
            Map<String, EventBlock> batch = new LinkedHashMap<>();
            for (int i = from; i < to; i++) {
                EventBlock.Builder bl = v.newBlock();
                for (int k = offset[i]; k < offset[i + 1]; k++) {
                    Object[] row = new Object[byCol.length];
                    for (int col = 0; col < row.length; col++) {
                        row[col] = byCol[col][k];
                    }
                    bl.add(ts[k], EventBlock.NO_CREATED, 0L, row);
                }
                batch.put(names[i], bl.build());
            }
            store.write("ev", batch);
        }
    }

    void loadDuck(Connection duck) throws SQLException {
        exec(duck, "CREATE TABLE events(entity_id VARCHAR, ts TIMESTAMP, a DOUBLE, b DOUBLE, c DOUBLE)");
        exec(duck, "CREATE TABLE spine(row_id BIGINT, entity_id VARCHAR, ts TIMESTAMP)");
        DuckDBConnection dc = duck.unwrap(DuckDBConnection.class);
        try (DuckDBAppender ap = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
            for (int i = 0; i < entities; i++) {
                String name = names[i];
                for (int k = offset[i]; k < offset[i + 1]; k++) {
                    ap.beginRow().append(name).appendEpochMicros(ts[k] * 1000).append(a[k]).append(b[k]).append(c[k])
                        .endRow();
                }
            }
        }
        try (DuckDBAppender ap = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "spine")) {
            for (int r = 0; r < spineRows; r++) {
                ap.beginRow().append((long) r).append(names[spEntity[r]]).appendEpochMicros(spTs[r] * 1000).endRow();
            }
        }
        try (Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM events), (SELECT min(epoch_ms(ts)) FROM events)")) {
            rs.next();
            if (rs.getLong(1) != events() || rs.getLong(2) < BASE) {
                throw new IllegalStateException("duckdb load: " + rs.getLong(1) + " events, min ts " + rs.getLong(2));
            }
        }
    }

    Spine spine(Entity entity, Source source) {
        Iterator<String[]> rows = new Iterator<>() {
            int r;

            public boolean hasNext() {
                return r < spineRows;
            }

            public String[] next() {
                String[] row = {names[spEntity[r]], Long.toString(spTs[r])};
                r++;
                return row;
            }
        };
        return Spine.fromText(List.of("entity_id", "ts"), rows, entity, source, "ts");
    }

    // ---------------------------------------------------------------- DuckDB SQL

    static String asof() {
        return "SELECT s.row_id, s.entity_id, s.ts, e.a, e.b, e.c FROM spine s ASOF LEFT JOIN events e "
            + "ON s.entity_id = e.entity_id AND s.ts >= e.ts";
    }

    /**
     * Windows (t - w, t] over events ∪ spine rows: spine rows carry a NULL a (count(a) and avg(a) skip them) and
     * a row_id (events: NULL). RANGE frames include the current row's peers, so an event at exactly t counts.
     */
    static String windowSql() {
        return "SELECT row_id, cnt_7d, cnt_30d, avg_a_7d, avg_a_30d FROM ("
            + " SELECT row_id, count(a) OVER w7 AS cnt_7d, count(a) OVER w30 AS cnt_30d,"
            + " avg(a) OVER w7 AS avg_a_7d, avg(a) OVER w30 AS avg_a_30d FROM ("
            + "  SELECT NULL::BIGINT AS row_id, entity_id, ts, a FROM events"
            + "  UNION ALL SELECT row_id, entity_id, ts, NULL::DOUBLE AS a FROM spine) u"
            + " WINDOW w7 AS (PARTITION BY entity_id ORDER BY ts RANGE BETWEEN INTERVAL (" + (7 * DAY - 1)
            + ") MILLISECONDS PRECEDING AND CURRENT ROW),"
            + " w30 AS (PARTITION BY entity_id ORDER BY ts RANGE BETWEEN INTERVAL (" + (30 * DAY - 1)
            + ") MILLISECONDS PRECEDING AND CURRENT ROW)"
            + ") x WHERE row_id IS NOT NULL";
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    /** Runs twice: {first s, second s, GC time during the second s}. */
    static double[] twice(Work w) throws Exception {
        double[] t = new double[3];
        for (int i = 0; i < 2; i++) {
            long g0 = gcMillis();
            long t0 = System.nanoTime();
            w.run();
            t[i] = secs(System.nanoTime() - t0);
            t[2] = (gcMillis() - g0) / 1e3;
        }
        return t;
    }

    /** Total time the JVM's collectors report (pauses and, for concurrent collectors, cycle time). */
    static long gcMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    // ---------------------------------------------------------------- storage

    record Storage(long payload, long blocks, long indexes, long regionUsed, long regionAllocated, long disk) {
    }

    Storage storage(Ignite ignite, Path dir) throws IOException {
        IgniteCache<Object, Object> cache = ignite.cache(CacheLayout.eventsCache("ev")).withKeepBinary();
        long payload = 0;
        long blocks = 0;
        long indexes = 0;
        try (QueryCursor<Cache.Entry<Object, Object>> cur = cache.query(new ScanQuery<>())) {
            for (Cache.Entry<Object, Object> e : cur) {
                payload += binaryLength(ignite, e.getKey()) + binaryLength(ignite, e.getValue());
                BinaryObject k = (BinaryObject) e.getKey();
                if ((long) k.field("block") == EventKey.INDEX) {
                    indexes++;
                } else {
                    blocks++;
                }
            }
        }
        // Page-level: force a checkpoint so the partition files hold every page, then measure them.
        long disk = 0;
        try {
            ((GridCacheDatabaseSharedManager) ((IgniteEx) ignite).context().cache().context().database())
                .waitForCheckpoint("bench bytes/event");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.filter(p -> p.getParent() != null
                    && p.getParent().getFileName().toString().equals("cache-" + CacheLayout.eventsCache("ev"))
                    && p.getFileName().toString().startsWith("part-")).toList()) {
                    disk += Files.size(p);
                }
            }
        } catch (Exception e) {
            out("(checkpoint / partition files not measurable: %s)", e);
        }
        long used = 0;
        long allocated = 0;
        var m = ignite.dataRegionMetrics("hearth");
        if (m != null) {
            used = m.getTotalUsedPages() * m.getPageSize();
            allocated = m.getTotalAllocatedPages() * m.getPageSize();
        }
        return new Storage(payload, blocks, indexes, used, allocated, disk);
    }

    static long binaryLength(Ignite ignite, Object o) {
        if (o instanceof BinaryObjectImpl bo) {
            return bo.length();
        }
        Object b = ignite.binary().toBinary(o);
        if (b instanceof BinaryObjectImpl bo) {
            return bo.length();
        }
        throw new IllegalStateException("cannot size " + o.getClass());
    }

    // ---------------------------------------------------------------- correctness

    boolean check(Ignite ignite, Connection duck, TrainingSets sets, TrainingSets.Checked windows, Spine spine,
                  ExtractTask.Result dry) throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        long[] sample = rnd.longs(SAMPLE * 3L, 0, spineRows).distinct().limit(SAMPLE).sorted().toArray();
        String in = Arrays.stream(sample).mapToObj(Long::toString).reduce((x, y) -> x + "," + y).orElseThrow();

        // Plain: TRAINING.BENCH against DuckDB's out.
        Map<Long, Object[]> hearth = sql(ignite, "bench", "SELECT _key, V__A, V__B, V__C FROM TRAINING.BENCH WHERE _key IN ("
            + in + ")", 3);
        Map<Long, Object[]> dk = duckRows(duck, "SELECT row_id, a, b, c FROM out WHERE row_id IN (" + in + ")", 3);
        int equal = 0;
        String firstDiff = null;
        for (long r : sample) {
            Object[] h = hearth.get(r);
            Object[] d = dk.get(r);
            boolean same = h != null && d != null;
            for (int i = 0; same && i < 3; i++) {
                same = h[i] == null ? d[i] == null : d[i] != null && ((Number) h[i]).doubleValue() == ((Number) d[i]).doubleValue();
            }
            if (same) {
                equal++;
            } else if (firstDiff == null) {
                firstDiff = "row " + r + ": hearth " + Arrays.toString(h) + ", duckdb " + Arrays.toString(d);
            }
        }
        long nulls = hearth.values().stream().filter(v -> v[0] == null).count();
        out("sample check: %d/%d equal (plain a,b,c; %d of them null: spine time before the entity's first event)%s",
            equal, sample.length, nulls, firstDiff == null ? "" : " FIRST DIFFERENCE " + firstDiff);
        boolean ok = equal == sample.length;

        // The whole plain join: DuckDB's out through the checksum ExtractTask computes.
        long sum = 0;
        long rows = 0;
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT row_id, a, b, c FROM out")) {
            while (rs.next()) {
                long h = rs.getLong(1);
                for (int i = 2; i <= 4; i++) {
                    Object v = rs.getObject(i);
                    h = h * 31 + (v == null ? 0 : Double.valueOf(((Number) v).doubleValue()).hashCode());
                }
                sum += mix(h);
                rows++;
            }
        }
        boolean sumOk = sum == dry.checksum() && rows == dry.rows();
        out("full check: %,d rows, checksum of DuckDB's join %s Hearth's dryRun checksum", rows, sumOk ? "equals" : "DIFFERS FROM");
        ok &= sumOk;

        // Windows: materialize Hearth's (not timed) and compare the sample.
        long t0 = System.nanoTime();
        TrainingSets.Outcome w = sets.run(windows, spine, true, null);
        out("(windows as table TRAINING.BENCH_W: %,d rows in %.3f s, only for the check)", w.rows(),
            secs(System.nanoTime() - t0));
        Map<Long, Object[]> hw = sql(ignite, "bench_w", "SELECT _key, V__CNT_7D, V__CNT_30D, V__AVG_A_7D, V__AVG_A_30D "
            + "FROM TRAINING.BENCH_W WHERE _key IN (" + in + ")", 4);
        Map<Long, Object[]> dw = duckRows(duck, "SELECT row_id, cnt_7d, cnt_30d, avg_a_7d, avg_a_30d FROM wout "
            + "WHERE row_id IN (" + in + ")", 4);
        int wEqual = 0;
        String wDiff = null;
        long nonEmpty = 0;
        for (long r : sample) {
            Object[] h = hw.get(r);
            Object[] d = dw.get(r);
            boolean same = h != null && d != null;
            for (int i = 0; same && i < 4; i++) {
                if (h[i] == null || d[i] == null) {
                    same = h[i] == null && d[i] == null;
                } else if (i < 2) {
                    same = ((Number) h[i]).longValue() == ((Number) d[i]).longValue();
                } else {
                    double x = ((Number) h[i]).doubleValue();
                    double y = ((Number) d[i]).doubleValue();
                    same = Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
                }
            }
            if (h != null && h[0] != null && ((Number) h[0]).longValue() > 0) {
                nonEmpty++;
            }
            if (same) {
                wEqual++;
            } else if (wDiff == null) {
                wDiff = "row " + r + ": hearth " + Arrays.toString(h) + ", duckdb " + Arrays.toString(d);
            }
        }
        out("sample check: %d/%d equal (windows cnt_7d, cnt_30d exact, avg_a_7d, avg_a_30d rel. 1e-9; %d with events "
            + "in the 7d window)%s", wEqual, sample.length, nonEmpty, wDiff == null ? "" : " FIRST DIFFERENCE " + wDiff);
        ok &= wEqual == sample.length;
        if (!ok) {
            out("CORRECTNESS CHECK FAILED");
        }
        return ok;
    }

    /**
     * The Parquet file `hearth extract` writes (collect + write): every row, in spine order; the sampled rows' spine
     * columns equal the spine and their a, b, c DuckDB's join.
     */
    boolean checkFile(Path file, Connection duck) throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        long[] sample = rnd.longs(SAMPLE * 3L, 0, spineRows).distinct().limit(SAMPLE).sorted().toArray();
        String in = Arrays.stream(sample).mapToObj(Long::toString).reduce((x, y) -> x + "," + y).orElseThrow();
        Map<Long, Object[]> dk = duckRows(duck, "SELECT row_id, a, b, c FROM out WHERE row_id IN (" + in + ")", 3);
        int equal = 0;
        long rows = 0;
        String firstDiff = null;
        int k = 0;
        try (io.hearth.formats.ParquetIn f = new io.hearth.formats.ParquetIn(file)) {
            while (f.hasNext()) {
                Map<String, Object> row = f.next();
                long r = rows++;
                if (k < sample.length && sample[k] == r) {
                    k++;
                    Object[] d = dk.get(r);
                    Object[] h = {row.get("v__a"), row.get("v__b"), row.get("v__c")};
                    boolean same = names[spEntity[(int) r]].equals(row.get("entity_id"))
                        && Long.valueOf(spTs[(int) r]).equals(row.get("ts")) && d != null;
                    for (int i = 0; same && i < 3; i++) {
                        same = h[i] == null ? d[i] == null
                            : d[i] != null && ((Number) h[i]).doubleValue() == ((Number) d[i]).doubleValue();
                    }
                    if (same) {
                        equal++;
                    } else if (firstDiff == null) {
                        firstDiff = "row " + r + ": file " + row + ", duckdb " + Arrays.toString(d);
                    }
                }
            }
        }
        out("file check: %,d rows; %d/%d sampled rows equal (entity_id, ts as in the spine; a, b, c as DuckDB's)%s",
            rows, equal, sample.length, firstDiff == null ? "" : " FIRST DIFFERENCE " + firstDiff);
        return rows == spineRows && equal == sample.length;
    }

    static Map<Long, Object[]> sql(Ignite ignite, String table, String sql, int n) {
        Map<Long, Object[]> out = new HashMap<>();
        for (List<?> row : ignite.cache(CacheLayout.trainingCache(table)).query(new SqlFieldsQuery(sql)
            .setSchema(CacheLayout.TRAINING_SCHEMA)).getAll()) {
            Object[] v = new Object[n];
            for (int i = 0; i < n; i++) {
                v[i] = row.get(i + 1);
            }
            out.put(((Number) row.get(0)).longValue(), v);
        }
        return out;
    }

    static Map<Long, Object[]> duckRows(Connection duck, String sql, int n) throws SQLException {
        Map<Long, Object[]> out = new HashMap<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Object[] v = new Object[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rs.getObject(i + 2);
                }
                out.put(rs.getLong(1), v);
            }
        }
        return out;
    }

    /** ExtractTask's row mix, so a DuckDB result can be checksummed the same way. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    // ---------------------------------------------------------------- breakdown

    /**
     * What the join's node job does, phase by phase, replicated here on one thread (the job also runs on one
     * thread): map rows to nodes, sort by entity, read events (EventReads, chunks of 2048 entities), evaluate.
     */
    void breakdown(Ignite ignite, Definitions defs, Spine spine) {
        for (List<String> refs : List.of(PLAIN, WINDOWS)) {
            List<ResolvedFeature> fs = ResolvedFeature.resolve(defs, refs.stream().map(FeatureRef::parse).toList());
            double[] t = new double[4];
            for (int rep = 0; rep < 2; rep++) { // second run reported
                String[] ents = spine.entities();
                long[] times = spine.times();
                long t0 = System.nanoTime();
                Affinity<Object> aff = ignite.affinity(CacheLayout.eventsCache("ev"));
                Map<ClusterNode, List<Integer>> byNode = new HashMap<>();
                for (int r = 0; r < ents.length; r++) {
                    byNode.computeIfAbsent(aff.mapKeyToNode(ents[r]), k -> new ArrayList<>()).add(r);
                }
                long t1 = System.nanoTime();
                Integer[] order = new Integer[ents.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, Comparator.comparing(i -> ents[i]));
                long t2 = System.nanoTime();
                IgniteCache<EventKey, Object> cache = ignite.cache(CacheLayout.eventsCache("ev"));
                long read = 0;
                long eval = 0;
                long sink = 0;
                int i = 0;
                while (i < order.length) {
                    List<String> chunk = new ArrayList<>();
                    int j = i;
                    long maxT = Long.MIN_VALUE;
                    while (j < order.length && (chunk.size() < 2048 || ents[order[j]].equals(chunk.get(chunk.size() - 1)))) {
                        String e = ents[order[j]];
                        if (chunk.isEmpty() || !chunk.get(chunk.size() - 1).equals(e)) {
                            chunk.add(e);
                        }
                        maxT = Math.max(maxT, times[order[j]]);
                        j++;
                    }
                    long r0 = System.nanoTime();
                    Map<String, EventReads.EntityEvents> evs = EventReads.read(cache, "ev", chunk, Long.MIN_VALUE + 1, maxT);
                    long r1 = System.nanoTime();
                    for (int k = i; k < j; k++) {
                        int r = order[k];
                        EventReads.EntityEvents ev = evs.get(ents[r]);
                        for (ResolvedFeature f : fs) {
                            FeatureValue v = ev == null
                                ? FeatureEvaluator.evaluate(f.view(), f.feature(), f.source(), null, false, times[r])
                                : FeatureEvaluator.evaluate(f.view(), f.feature(), f.source(), ev.events(),
                                ev.anyAtOrBefore(times[r]), times[r]);
                            sink += v.value() == null ? 0 : v.value().hashCode();
                        }
                    }
                    read += r1 - r0;
                    eval += System.nanoTime() - r1;
                    i = j;
                }
                t = new double[] {secs(t1 - t0), secs(t2 - t1), secs(read), secs(eval)};
                if (sink == 42) {
                    out(""); // keep the evaluation alive
                }
            }
            out("   breakdown %-8s (bench code replaying the node job, 1 thread): map %.3f s, sort by entity %.3f s, "
                    + "read events %.3f s, evaluate %.3f s", refs == PLAIN ? "join" : "windows", t[0], t[1], t[2], t[3]);
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** A free base port (as io.hearth.node.TestNodes picks them): loopback only. */
    static int freePortBase() {
        SplittableRandom rnd = new SplittableRandom();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + rnd.nextInt(30_000);
            if (free(base) && free(base + 1) && free(base + 2)) {
                return base;
            }
        }
        throw new IllegalStateException("no free ports found");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}

package io.hearth.bench.pitjoin;

import static io.hearth.bench.pitjoin.Comparison.secs;
import static io.hearth.bench.pitjoin.Report.line;

import io.hearth.bench.BenchSupport;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.Source;
import io.hearth.compute.training.TrainingSetTask;
import io.hearth.compute.training.Spine;
import io.hearth.gateway.training.TrainingExport;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.fold.LogFolder;
import io.hearth.node.store.RegistryStore;
import io.hearth.node.training.TrainingSets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;
import org.apache.ignite.Ignite;

/**
 * Point-in-time training join: Hearth against DuckDB, same data ({@link DataSet}), same JVM; this class runs the
 * steps in order and prints the report. Measured, each twice and the second (JIT-warm) run reported
 * ({@link Comparison}):
 * <ol>
 *   <li>join: Hearth {@code checksum} of v:a,v:b,v:c (computed on the node, counted and checksummed, no table) vs
 *       DuckDB {@code CREATE OR REPLACE TABLE out AS ... ASOF LEFT JOIN}, right after the load (what a user who
 *       back-fills and then builds a training set meets); again after the windows (1');</li>
 *   <li>windows: checksum of count/avg over 7d and 30d vs DuckDB window functions over events ∪ spine;</li>
 *   <li>file: {@code collect} + Parquet write (what {@code hearth extract} does), and {@code run} (table
 *       TRAINING.BENCH) + Parquet export, vs DuckDB {@code COPY (ASOF query) TO parquet};</li>
 *   <li>SQL: rows/s of {@code run}, i.e. the join written as an SQL table, and as a share of the bare data
 *       streamer's rows/s writing the same rows ({@link StreamerCeiling});</li>
 *   <li>the join again on a quiet node (1''): after a forced fold and checkpoint of everything loaded.</li>
 * </ol>
 * Then the {@link Checks} against DuckDB (exit code 1 when they disagree) and Hearth's {@link Breakdown}. The last
 * line on stdout is one JSON object ({@link Report#json}).
 */
public final class PitJoinBench {
    private static final long SEED = 20261125L;

    private final DataSet data;
    private final boolean quick;
    private final long regionBytes;
    private final int probeRuns;

    private PitJoinBench(DataSet data, boolean quick, long regionBytes, int probeRuns) {
        this.data = data;
        this.quick = quick;
        this.regionBytes = regionBytes;
        this.probeRuns = probeRuns;
    }

    public static void main(String[] args) {
        boolean quick = false;
        int probe = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--probe") && i + 1 < args.length && args[i + 1].matches("\\d{1,3}")) {
                probe = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: bench/run pit-join [--quick] [--probe N]");
                System.exit(2);
            }
        }
        int entities = quick ? 10_000 : 100_000;
        long events = quick ? 1_000_000L : 10_000_000L;
        int spine = quick ? 100_000 : 1_000_000;
        long regionBytes = quick ? 1L << 30 : 3L << 30;
        int code;
        try {
            code = new PitJoinBench(new DataSet(entities, events, spine, SEED), quick, regionBytes, probe).run();
        } catch (Throwable t) {
            t.printStackTrace();
            code = 1;
        }
        System.out.flush();
        // Ignite may leave non-daemon threads behind: exit explicitly (JFR and logback still flush).
        System.exit(code);
    }

    /** One server node on free loopback ports and an in-memory DuckDB, both in a temporary directory. */
    private int run() throws Exception {
        line("pit-join: %s scale: %,d entities, %,d events over 365 days (a, b, c doubles), %,d spine rows, seed %d",
            quick ? "quick (1/10)" : "full", data.entities, data.events(), data.spineRows, data.seed);
        line("machine: %d cores, max heap %d MB, Hearth region %d MB (+ training region %d MB), DuckDB threads=2",
            Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, regionBytes >> 20,
            regionBytes / 2 >> 20);
        line("every timing is the second of two runs (JIT warm); ratio = duckdb / hearth (> 1: Hearth faster)");
        Path dir = Files.createTempDirectory("hearth-pit-bench");
        int disco = BenchSupport.freePortBase();
        int comm = BenchSupport.freePortBase();
        int client = BenchSupport.freePortBase();
        NodeSettings settings = NodeSettings.server(dir.resolve("node")).withPorts(disco, comm, client)
            .withPeers(List.of("127.0.0.1:" + disco)).withLimits(regionBytes, 16L << 20);
        boolean ok;
        try (HearthNode node = new HearthNode(settings).start();
             Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            ok = measure(node.ignite(), new DuckDbBaseline(duck, data), dir);
        } finally {
            BenchSupport.deleteTree(dir);
        }
        return ok ? 0 : 1;
    }

    /** What the node holds unfolded now (events and the oldest's age), printed. */
    private static void foldLag(Ignite ignite, String when) {
        long events = 0;
        long oldest = Long.MAX_VALUE;
        for (long[] b : LogFolder.backlogEverywhere(ignite, "ev")) {
            events += b[1] + b[3];
            oldest = Math.min(oldest, b[4]);
        }
        line("   %s: %,d events not yet folded%s", when, events, oldest == Long.MAX_VALUE ? ""
            : String.format(java.util.Locale.ROOT, " (the oldest %.1f s old)", (System.currentTimeMillis() - oldest) / 1e3));
    }

    private boolean measure(Ignite ignite, DuckDbBaseline duck, Path dir) throws Exception {
        Definitions defs = HearthLoader.definitions();
        RegistryStore registry = new RegistryStore(ignite, Clock.systemUTC());
        registry.apply(defs);
        Source source = defs.source("ev").orElseThrow();
        Entity entity = defs.entity("e").orElseThrow();

        // ------------------------------------------------------------ load
        long t0 = System.nanoTime();
        HearthLoader.load(ignite, data, source, entity);
        double hearthLoad = secs(System.nanoTime() - t0);
        line("load hearth: %.2f s, %,.0f events/s (EventStore.write, %d entities per call, blocks built from boxed rows)",
            hearthLoad, data.events() / hearthLoad, HearthLoader.LOAD_BATCH);
        duck.configure();
        t0 = System.nanoTime();
        duck.load();
        double duckLoad = secs(System.nanoTime() - t0);
        line("load duckdb: %.2f s, %,.0f events/s (Appender; events and spine)", duckLoad, data.events() / duckLoad);

        StorageProbe.Storage storage = StorageProbe.measure(ignite, dir);
        storage.print(data.events());

        t0 = System.nanoTime();
        Spine spine = HearthLoader.spine(data, entity, source);
        line("spine: %,d rows parsed by Spine.fromText in %.2f s (not in the timings below)", spine.size(),
            secs(System.nanoTime() - t0));
        TrainingSets sets = new TrainingSets(ignite, registry);
        TrainingSets.Checked plain = sets.check("bench", HearthLoader.PLAIN.stream().map(FeatureRef::parse).toList());
        TrainingSets.Checked windows = sets.check("bench_w",
            HearthLoader.WINDOWS.stream().map(FeatureRef::parse).toList());

        // ------------------------------------------------------------ 1. join, 2. windows, 1'. join again
        TrainingSetTask.Result[] dry = new TrainingSetTask.Result[1];
        foldLag(ignite, "before the join");
        if (probeRuns > 0) {
            WarmUpProbe.run(probeRuns, () -> sets.checksum(plain, spine));
        }
        Comparison.Compared join = Comparison.compare(() -> dry[0] = sets.checksum(plain, spine), duck::join);
        join.print("1. join a,b,c", "", "");
        foldLag(ignite, "after it");
        Comparison.Compared win = Comparison.compare(() -> sets.checksum(windows, spine), duck::windows);
        win.print("2. windows 7d/30d", "", "");
        // Measured right after the load, the join is the first this JVM runs (the JIT has not compiled it yet, and
        // the background fold may still look at what the load wrote); again now, after the windows.
        Comparison.Compared later = Comparison.compare(() -> sets.checksum(plain, spine), duck::join);
        later.print("1'. join again", "", "  (after the windows)");
        // And on a quiet node: everything loaded folded and checkpointed (both forced, waited for).
        long c0 = System.nanoTime();
        LogFolder.foldEverywhere(ignite);
        long c1 = System.nanoTime();
        BenchSupport.checkpoint(ignite, "bench: the join on a quiet node");
        line("   folded what was left in %.2f s, checkpointed in %.2f s", secs(c1 - c0), secs(System.nanoTime() - c1));
        Comparison.Compared idle = Comparison.compare(() -> sets.checksum(plain, spine), duck::join);
        idle.print("1''. join idle", "", "  (after a checkpoint)");

        // ------------------------------------------------------------ 3. file, 4. SQL table
        Path hearthFile = dir.resolve("hearth.parquet");
        TrainingSets.Outcome[] table = new TrainingSets.Outcome[1];
        Comparison.Split run = new Comparison.Split();
        Comparison.Timing viaTable = Comparison.twice(() -> {
            table[0] = run.time(() -> sets.buildTable(plain, spine, true, null));
            TrainingExport.write(sets, table[0], TrainingExport.Format.PARQUET, hearthFile, null);
        });
        // What `hearth extract --out x.parquet` does: the join computed on the nodes, values brought back in spine
        // order, written straight to Parquet (no SQL table).
        Path hearthFileOnly = dir.resolve("hearth-file-only.parquet");
        Path duckFile = dir.resolve("duckdb.parquet");
        Path duckFileOrdered = dir.resolve("duckdb-ordered.parquet");
        Comparison.Split collect = new Comparison.Split();
        Comparison.Compared file = Comparison.compare(() -> {
            TrainingSets.Values col = collect.time(() -> sets.buildValues(plain, spine, null));
            TrainingExport.write(spine, col, "bench", TrainingExport.Format.PARQUET, hearthFileOnly);
        }, () -> duck.file(duckFile));
        Comparison.Timing duckOrdered = Comparison.twice(() -> duck.fileInSpineOrder(duckFileOrdered));
        double hFile = file.hearth().second();
        file.print("3. parquet file", "collect + write, no table; ", "");
        line("   of which collecting the values %.3f s, writing the file %.3f s (second run)", collect.second(),
            hFile - collect.second());
        line("   via the SQL table: hearth %.3f s (run %.3f + export %.3f; 1st %.3f, gc %.3f), ratio %.2f",
            viaTable.second(), run.second(), viaTable.second() - run.second(), viaTable.first(), viaTable.gc(),
            file.duck().second() / viaTable.second());
        line("   files: hearth %,d B (spine order), duckdb %,d B (unordered); duckdb with ORDER BY row_id %.3f s "
                + "(%,d B), ratio vs that %.2f",
            Files.size(hearthFile), Files.size(duckFile), duckOrdered.second(), Files.size(duckFileOrdered),
            duckOrdered.second() / hFile);
        double rowsPerS = table[0].rows() / run.second();
        line("4. SQL table        TRAINING.BENCH %,d rows in %.3f s = %,.0f rows/s (1st %.3f s); vs duckdb CREATE TABLE "
            + "ratio %.2f", table[0].rows(), run.second(), rowsPerS, run.first(), join.duck().second() / run.second());
        Comparison.Timing ceiling = StreamerCeiling.measure(ignite, table[0]);
        double ceilingRowsPerS = table[0].rows() / ceiling.second();
        line("   ceiling: the bare data streamer writing the same rows into the same kind of table %.3f s = %,.0f rows/s "
            + "(1st %.3f s, gc %.3f); the table's rows/s is %.2f of it", ceiling.second(), ceilingRowsPerS,
            ceiling.first(), ceiling.gc(), rowsPerS / ceilingRowsPerS);

        // ------------------------------------------------------------ correctness, then where Hearth's time goes
        Checks checks = new Checks(ignite, duck, data);
        boolean ok = checks.plain(dry[0]);
        ok &= checks.windows(sets, windows, spine);
        ok &= checks.file(hearthFileOnly);
        if (!ok) {
            line("CORRECTNESS CHECK FAILED");
        }
        Breakdown.print(ignite, defs, spine);

        sets.drop("bench");
        sets.drop("bench_w");
        Report.json(join, win, file, rowsPerS, storage.bytesPerEvent(data.events()), later, idle, ceilingRowsPerS);
        return ok;
    }
}

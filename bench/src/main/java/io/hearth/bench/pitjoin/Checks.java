package io.hearth.bench.pitjoin;

import io.hearth.compute.training.TrainingSetTask;
import io.hearth.compute.training.Spine;
import io.hearth.formats.ParquetIn;
import io.hearth.node.CacheLayout;
import io.hearth.node.training.TrainingSets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.SqlFieldsQuery;

/**
 * Hearth's results against DuckDB's: a sample of spine rows (the same {@link #SAMPLE} rows every run) compared value
 * by value for the plain join, the windows and the Parquet file, and the whole plain join by an order-independent
 * checksum. Each check prints one line and says whether it passed.
 */
final class Checks {
    static final int SAMPLE = 1000;

    private final Ignite ignite;
    private final DuckDbBaseline duck;
    private final DataSet data;
    private final long[] sample; // spine row numbers, sorted

    Checks(Ignite ignite, DuckDbBaseline duck, DataSet data) {
        this.ignite = ignite;
        this.duck = duck;
        this.data = data;
        SplittableRandom rnd = new SplittableRandom(7);
        sample = rnd.longs(SAMPLE * 3L, 0, data.spineRows).distinct().limit(SAMPLE).sorted().toArray();
    }

    /** The plain join: table TRAINING.BENCH (sample) and the checksum run's checksum against DuckDB's table out. */
    boolean plain(TrainingSetTask.Result dry) throws Exception {
        Map<Long, Object[]> hearth = hearthRows("bench", "SELECT _key, V__A, V__B, V__C FROM TRAINING.BENCH WHERE _key IN ("
            + DuckDbBaseline.in(sample) + ")", 3);
        Map<Long, Object[]> dk = duck.joinRows(sample);
        int equal = 0;
        String firstDiff = null;
        for (long r : sample) {
            Object[] h = hearth.get(r);
            Object[] d = dk.get(r);
            if (sameValues(h, d)) {
                equal++;
            } else if (firstDiff == null) {
                firstDiff = "row " + r + ": hearth " + Arrays.toString(h) + ", duckdb " + Arrays.toString(d);
            }
        }
        long nulls = hearth.values().stream().filter(v -> v[0] == null).count();
        Report.line("sample check: %d/%d equal (plain a,b,c; %d of them null: spine time before the entity's first event)%s",
            equal, sample.length, nulls, firstDiff == null ? "" : " FIRST DIFFERENCE " + firstDiff);
        boolean ok = equal == sample.length;

        DuckDbBaseline.Checksum sum = duck.joinChecksum();
        boolean sumOk = sum.sum() == dry.checksum() && sum.rows() == dry.rows();
        Report.line("full check: %,d rows, checksum of DuckDB's join %s Hearth's checksum run", sum.rows(),
            sumOk ? "equals" : "DIFFERS FROM");
        return ok && sumOk;
    }

    /** The windows: materialized as TRAINING.BENCH_W (not timed) and the sample compared with DuckDB's wout. */
    boolean windows(TrainingSets sets, TrainingSets.Checked windows, Spine spine) throws Exception {
        long t0 = System.nanoTime();
        TrainingSets.Outcome w = sets.buildTable(windows, spine, true, null);
        Report.line("(windows as table TRAINING.BENCH_W: %,d rows in %.3f s, only for the check)", w.rows(),
            Comparison.secs(System.nanoTime() - t0));
        Map<Long, Object[]> hw = hearthRows("bench_w", "SELECT _key, V__CNT_7D, V__CNT_30D, V__AVG_A_7D, V__AVG_A_30D "
            + "FROM TRAINING.BENCH_W WHERE _key IN (" + DuckDbBaseline.in(sample) + ")", 4);
        Map<Long, Object[]> dw = duck.windowRows(sample);
        int equal = 0;
        String firstDiff = null;
        long nonEmpty = 0;
        for (long r : sample) {
            Object[] h = hw.get(r);
            Object[] d = dw.get(r);
            if (h != null && h[0] != null && ((Number) h[0]).longValue() > 0) {
                nonEmpty++;
            }
            if (sameWindows(h, d)) {
                equal++;
            } else if (firstDiff == null) {
                firstDiff = "row " + r + ": hearth " + Arrays.toString(h) + ", duckdb " + Arrays.toString(d);
            }
        }
        Report.line("sample check: %d/%d equal (windows cnt_7d, cnt_30d exact, avg_a_7d, avg_a_30d rel. 1e-9; %d with "
            + "events in the 7d window)%s", equal, sample.length, nonEmpty, firstDiff == null ? "" : " FIRST DIFFERENCE " + firstDiff);
        return equal == sample.length;
    }

    /**
     * The Parquet file `hearth extract` writes (collect + write): every row, in spine order; the sampled rows' spine
     * columns equal the spine and their a, b, c DuckDB's join.
     */
    boolean file(Path file) throws Exception {
        Map<Long, Object[]> dk = duck.joinRows(sample);
        int equal = 0;
        long rows = 0;
        String firstDiff = null;
        int k = 0;
        try (ParquetIn f = new ParquetIn(file)) {
            while (f.hasNext()) {
                Map<String, Object> row = f.next();
                long r = rows++;
                if (k < sample.length && sample[k] == r) {
                    k++;
                    Object[] d = dk.get(r);
                    Object[] h = {row.get("v__a"), row.get("v__b"), row.get("v__c")};
                    boolean same = data.names[data.spEntity[(int) r]].equals(row.get("entity_id"))
                        && Long.valueOf(data.spTs[(int) r]).equals(row.get("ts")) && sameValues(h, d);
                    if (same) {
                        equal++;
                    } else if (firstDiff == null) {
                        firstDiff = "row " + r + ": file " + row + ", duckdb " + Arrays.toString(d);
                    }
                }
            }
        }
        Report.line("file check: %,d rows; %d/%d sampled rows equal (entity_id, ts as in the spine; a, b, c as DuckDB's)%s",
            rows, equal, sample.length, firstDiff == null ? "" : " FIRST DIFFERENCE " + firstDiff);
        return rows == data.spineRows && equal == sample.length;
    }

    /** Plain values: both rows present, each value null in both or the same double in both. */
    private static boolean sameValues(Object[] h, Object[] d) {
        boolean same = h != null && d != null;
        for (int i = 0; same && i < h.length; i++) {
            same = h[i] == null ? d[i] == null
                : d[i] != null && ((Number) h[i]).doubleValue() == ((Number) d[i]).doubleValue();
        }
        return same;
    }

    /** Windowed values {cnt_7d, cnt_30d, avg_a_7d, avg_a_30d}: counts exact, averages to a relative 1e-9. */
    private static boolean sameWindows(Object[] h, Object[] d) {
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
        return same;
    }

    /** Rows of a training table by SQL: _key → the next n columns. */
    private Map<Long, Object[]> hearthRows(String table, String sql, int n) {
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
}

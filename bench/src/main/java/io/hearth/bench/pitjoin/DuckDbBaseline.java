package io.hearth.bench.pitjoin;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The baseline: the data set in an in-memory DuckDB (tables events and spine), the same results computed with its
 * ASOF join and window functions, and the reads of those results the checks use. All of the bench's DuckDB SQL is
 * here.
 */
final class DuckDbBaseline {
    private static final String ASOF = "SELECT s.row_id, s.entity_id, s.ts, e.a, e.b, e.c FROM spine s "
        + "ASOF LEFT JOIN events e ON s.entity_id = e.entity_id AND s.ts >= e.ts";

    /**
     * Windows (t - w, t] over events ∪ spine rows: spine rows carry a NULL a (count(a) and avg(a) skip them) and
     * a row_id (events: NULL). RANGE frames include the current row's peers, so an event at exactly t counts.
     */
    private static final String WINDOWS = "SELECT row_id, cnt_7d, cnt_30d, avg_a_7d, avg_a_30d FROM ("
        + " SELECT row_id, count(a) OVER w7 AS cnt_7d, count(a) OVER w30 AS cnt_30d,"
        + " avg(a) OVER w7 AS avg_a_7d, avg(a) OVER w30 AS avg_a_30d FROM ("
        + "  SELECT NULL::BIGINT AS row_id, entity_id, ts, a FROM events"
        + "  UNION ALL SELECT row_id, entity_id, ts, NULL::DOUBLE AS a FROM spine) u"
        + " WINDOW w7 AS (PARTITION BY entity_id ORDER BY ts RANGE BETWEEN INTERVAL (" + (7 * DataSet.DAY - 1)
        + ") MILLISECONDS PRECEDING AND CURRENT ROW),"
        + " w30 AS (PARTITION BY entity_id ORDER BY ts RANGE BETWEEN INTERVAL (" + (30 * DataSet.DAY - 1)
        + ") MILLISECONDS PRECEDING AND CURRENT ROW)"
        + ") x WHERE row_id IS NOT NULL";

    private final Connection duck;
    private final DataSet data;

    DuckDbBaseline(Connection duck, DataSet data) {
        this.duck = duck;
        this.data = data;
    }

    /** Two threads (the machine's cores) and no insertion order to preserve: DuckDB's fastest setting here. */
    void configure() throws SQLException {
        exec("SET threads=2");
        exec("SET preserve_insertion_order=false");
    }

    /** Events and spine through the Appender; checks the event count and the earliest time afterwards. */
    void load() throws SQLException {
        exec("CREATE TABLE events(entity_id VARCHAR, ts TIMESTAMP, a DOUBLE, b DOUBLE, c DOUBLE)");
        exec("CREATE TABLE spine(row_id BIGINT, entity_id VARCHAR, ts TIMESTAMP)");
        DuckDBConnection dc = duck.unwrap(DuckDBConnection.class);
        try (DuckDBAppender ap = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
            for (int i = 0; i < data.entities; i++) {
                String name = data.names[i];
                for (int k = data.offset[i]; k < data.offset[i + 1]; k++) {
                    ap.beginRow().append(name).appendEpochMicros(data.ts[k] * 1000).append(data.a[k])
                        .append(data.b[k]).append(data.c[k]).endRow();
                }
            }
        }
        try (DuckDBAppender ap = dc.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "spine")) {
            for (int r = 0; r < data.spineRows; r++) {
                ap.beginRow().append((long) r).append(data.names[data.spEntity[r]])
                    .appendEpochMicros(data.spTs[r] * 1000).endRow();
            }
        }
        try (Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM events), (SELECT min(epoch_ms(ts)) FROM events)")) {
            rs.next();
            if (rs.getLong(1) != data.events() || rs.getLong(2) < DataSet.BASE) {
                throw new IllegalStateException("duckdb load: " + rs.getLong(1) + " events, min ts " + rs.getLong(2));
            }
        }
    }

    /** The plain join a, b, c as table out. */
    void join() throws SQLException {
        exec("CREATE OR REPLACE TABLE out AS " + ASOF);
    }

    /** The windowed features as table wout. */
    void windows() throws SQLException {
        exec("CREATE OR REPLACE TABLE wout AS " + WINDOWS);
    }

    /** The plain join written to a Parquet file, in whatever order DuckDB produces. */
    void file(Path file) throws SQLException {
        exec("COPY (" + ASOF + ") TO '" + file + "' (FORMAT parquet)");
    }

    /** The plain join written to a Parquet file in spine order, as Hearth writes it. */
    void fileInSpineOrder(Path file) throws SQLException {
        exec("COPY (" + ASOF + " ORDER BY s.row_id) TO '" + file + "' (FORMAT parquet)");
    }

    /** Rows of table out (after {@link #join}): row_id → {a, b, c}. */
    Map<Long, Object[]> joinRows(long[] rowIds) throws SQLException {
        return rows("SELECT row_id, a, b, c FROM out WHERE row_id IN (" + in(rowIds) + ")", 3);
    }

    /** Rows of table wout (after {@link #windows}): row_id → {cnt_7d, cnt_30d, avg_a_7d, avg_a_30d}. */
    Map<Long, Object[]> windowRows(long[] rowIds) throws SQLException {
        return rows("SELECT row_id, cnt_7d, cnt_30d, avg_a_7d, avg_a_30d FROM wout WHERE row_id IN ("
            + in(rowIds) + ")", 4);
    }

    record Checksum(long rows, long sum) {
    }

    /** The whole table out through the checksum TrainingSetTask computes for its results (TrainingSets#checksum). */
    Checksum joinChecksum() throws SQLException {
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
        return new Checksum(rows, sum);
    }

    /** TrainingSetTask's row mix (private there), so a DuckDB result can be checksummed the same way. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    static String in(long[] rowIds) {
        return Arrays.stream(rowIds).mapToObj(Long::toString).reduce((x, y) -> x + "," + y).orElseThrow();
    }

    private Map<Long, Object[]> rows(String sql, int n) throws SQLException {
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

    private void exec(String sql) throws SQLException {
        try (Statement s = duck.createStatement()) {
            s.execute(sql);
        }
    }
}

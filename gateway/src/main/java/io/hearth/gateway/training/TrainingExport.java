package io.hearth.gateway.training;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.time.Timestamps;
import io.hearth.node.CacheLayout;
import io.hearth.node.TrainingSets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.FieldsQueryCursor;
import org.apache.ignite.cache.query.SqlFieldsQuery;

/** Writes a training table to a CSV or Parquet file, rows in spine order. */
public final class TrainingExport {
    public enum Format { CSV, PARQUET }

    private TrainingExport() {
    }

    public static void write(Ignite ignite, TrainingSets.Outcome t, Format format, Path file) throws IOException {
        StringBuilder cols = new StringBuilder();
        for (String c : t.columns()) {
            cols.append(cols.length() == 0 ? "" : ", ").append('"').append(c.toUpperCase(Locale.ROOT)).append('"');
        }
        SqlFieldsQuery q = new SqlFieldsQuery("SELECT " + cols + " FROM " + CacheLayout.TRAINING_SCHEMA + "."
            + t.name().toUpperCase(Locale.ROOT) + " ORDER BY _KEY").setSchema(CacheLayout.TRAINING_SCHEMA)
            .setLazy(true).setPageSize(10_000);
        try (FieldsQueryCursor<List<?>> cur = ignite.cache(CacheLayout.trainingCache(t.name())).query(q)) {
            if (format == Format.CSV) {
                writeCsv(t, cur, file);
            } else {
                writeParquet(t, cur, file);
            }
        }
    }

    private static void writeCsv(TrainingSets.Outcome t, Iterable<List<?>> rows, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", t.columns().stream().map(TrainingExport::csv).toList()));
            w.write('\n');
            for (List<?> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    if (i > 0) {
                        w.write(',');
                    }
                    Object v = row.get(i);
                    if (v instanceof Timestamp ts) {
                        w.write(Timestamps.format(ts.getTime()));
                    } else if (v != null) {
                        w.write(csv(v.toString()));
                    }
                }
                w.write('\n');
            }
        }
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static void writeParquet(TrainingSets.Outcome t, Iterable<List<?>> rows, Path file) throws IOException {
        try (io.hearth.gateway.files.ParquetOut out = new io.hearth.gateway.files.ParquetOut(file, t.columns(), t.types())) {
            for (List<?> row : rows) {
                Object[] vals = new Object[row.size()];
                for (int i = 0; i < vals.length; i++) {
                    Object v = row.get(i);
                    vals[i] = v instanceof Timestamp ts ? (Object) ts.getTime() : v;
                    if (t.types().get(i) == ColumnType.TIMESTAMP && v instanceof java.util.Date d && !(v instanceof Timestamp)) {
                        vals[i] = d.getTime();
                    }
                }
                out.write(vals);
            }
        }
    }
}

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
import org.apache.ignite.Ignite;

/** Writes a training table to a CSV or Parquet file, rows in spine order. */
public final class TrainingExport {
    public enum Format { CSV, PARQUET }

    private TrainingExport() {
    }

    /** Writes a collected training set (spine columns, then feature values) to a file, in spine order. */
    public static void write(io.hearth.compute.training.Spine spine, TrainingSets.Collected c, String name, Format format,
                             Path file) throws IOException {
        TrainingSets.Outcome shape = new TrainingSets.Outcome(name, null, spine.size(), c.millis(), c.columns(), c.types(),
            c.features());
        Iterable<List<?>> rows = () -> new java.util.Iterator<>() {
            int r;

            public boolean hasNext() {
                return r < spine.size();
            }

            public List<?> next() {
                Object[] s = spine.rows()[r];
                Object[] f = c.featureValues()[r++];
                Object[] all = java.util.Arrays.copyOf(s, s.length + f.length);
                System.arraycopy(f, 0, all, s.length, f.length);
                for (int i = 0; i < all.length; i++) {
                    if (c.types().get(i) == ColumnType.TIMESTAMP && all[i] instanceof Long ms) {
                        all[i] = new Timestamp(ms); // as a table row would hold it
                    }
                }
                return java.util.Arrays.asList(all);
            }
        };
        if (format == Format.CSV) {
            writeCsv(shape, rows, file);
        } else {
            writeParquet(shape, rows, file);
        }
    }

    /** Rows read per getAll: keys are spine row numbers, so reading them in order needs no sort. */
    static final int BATCH = 8192;

    public static void write(Ignite ignite, TrainingSets.Outcome t, Format format, Path file) throws IOException {
        Iterable<List<?>> rows = () -> new RowIterator(ignite.cache(CacheLayout.trainingCache(t.name())).withKeepBinary(),
            t.columns(), t.rows());
        if (format == Format.CSV) {
            writeCsv(t, rows, file);
        } else {
            writeParquet(t, rows, file);
        }
    }

    /** The rows of a training table in spine order, a batch of keys at a time; a missing row is an error. */
    private static final class RowIterator implements java.util.Iterator<List<?>> {
        private final org.apache.ignite.IgniteCache<Long, org.apache.ignite.binary.BinaryObject> cache;
        private final List<String> columns;
        private final long rows;
        private long next;
        private java.util.Map<Long, org.apache.ignite.binary.BinaryObject> batch = java.util.Map.of();

        RowIterator(org.apache.ignite.IgniteCache<Long, org.apache.ignite.binary.BinaryObject> cache, List<String> columns,
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
        public List<?> next() {
            if (!batch.containsKey(next)) {
                java.util.Set<Long> keys = new java.util.TreeSet<>();
                for (long k = next; k < Math.min(rows, next + BATCH); k++) {
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
                vals[i] = b.field(columns.get(i));
            }
            return java.util.Arrays.asList(vals);
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

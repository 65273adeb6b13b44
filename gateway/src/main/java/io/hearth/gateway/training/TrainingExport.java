package io.hearth.gateway.training;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.time.Timestamps;
import io.hearth.formats.Csv;
import io.hearth.compute.training.ValueColumn;
import io.hearth.node.CacheLayout;
import io.hearth.node.training.TrainingSets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.ignite.Ignite;

/** Writes a training table to a CSV or Parquet file, rows in spine order. */
public final class TrainingExport {
    public enum Format { CSV, PARQUET }

    private TrainingExport() {
    }

    /**
     * Writes a collected training set (spine columns, then feature values) to a file, in spine order. Parquet is
     * written column by column ({@link io.hearth.formats.ParquetColumnsOut}), CSV row by row.
     */
    public static void write(io.hearth.compute.training.Spine spine, TrainingSets.Collected c, String name, Format format,
                             Path file) throws IOException {
        int width = spine.columns().size();
        if (format == Format.PARQUET) {
            List<ValueColumn> cols = new java.util.ArrayList<>();
            for (int i = 0; i < width; i++) {
                cols.add(ValueColumn.ofRows(spine.types().get(i), spine.rows(), i));
            }
            cols.addAll(List.of(c.featureValues()));
            io.hearth.formats.ParquetColumnsOut.write(file, c.columns(), c.types(), cols);
            return;
        }
        ValueColumn[] features = c.featureValues();
        Iterable<Object[]> rows = () -> new java.util.Iterator<>() {
            int r;
            final Object[] all = new Object[c.columns().size()]; // reused: writers copy what they keep

            public boolean hasNext() {
                return r < spine.size();
            }

            public Object[] next() {
                System.arraycopy(spine.rows()[r], 0, all, 0, width);
                for (int f = 0; f < features.length; f++) {
                    all[width + f] = features[f].get(r);
                }
                r++;
                return all;
            }
        };
        writeCsv(c.columns(), c.types(), rows, spine.text().iterator(), width, file);
    }

    /** Rows read per getAll: keys are spine row numbers, so reading them in order needs no sort. */
    static final int BATCH = 8192;

    /**
     * Writes a training table to a file. {@code spineText} (may be null) gives the spine's cells as they were
     * uploaded, header first: a CSV then passes them through byte for byte rather than as the table typed them.
     */
    public static void write(Ignite ignite, TrainingSets.Outcome t, Format format, Path file,
                             java.util.Iterator<String[]> spineText) throws IOException {
        Iterable<Object[]> rows = () -> new RowIterator(ignite.cache(CacheLayout.trainingCache(t.name())).withKeepBinary(),
            t.columns(), t.rows());
        if (format == Format.CSV) {
            int width = 0;
            if (spineText != null && spineText.hasNext()) {
                width = spineText.next().length; // the header
            }
            writeCsv(t.columns(), t.types(), rows, width == 0 ? null : spineText, width, file);
        } else {
            writeParquet(t.columns(), t.types(), rows, file);
        }
    }

    /** The rows of a training table in spine order, a batch of keys at a time; a missing row is an error. */
    private static final class RowIterator implements java.util.Iterator<Object[]> {
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
        public Object[] next() {
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
                Object v = b.field(columns.get(i));
                vals[i] = v instanceof java.util.Date d ? (Object) d.getTime() : v; // SQL timestamps as epoch millis
            }
            return vals;
        }
    }

    /**
     * Rows as CSV by {@link io.hearth.formats.Csv}'s rules; the first {@code textWidth} cells of each row come
     * from {@code text} when it is given (the spine as uploaded), the rest are formatted from their values.
     */
    private static void writeCsv(List<String> columns, List<ColumnType> types, Iterable<Object[]> rows,
                                 java.util.Iterator<String[]> text, int textWidth, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    w.write(',');
                }
                Csv.cell(w, columns.get(i));
            }
            w.write('\n');
            for (Object[] row : rows) {
                String[] given = text != null ? text.next() : null;
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        w.write(',');
                    }
                    Object v = row[i];
                    if (given != null && i < textWidth) {
                        Csv.cell(w, given[i]);
                    } else if (v != null && types.get(i) == ColumnType.TIMESTAMP) {
                        w.write(Timestamps.format(((Number) v).longValue()));
                    } else if (v != null) {
                        Csv.cell(w, v.toString());
                    }
                }
                w.write('\n');
            }
        }
    }

    private static void writeParquet(List<String> columns, List<ColumnType> types, Iterable<Object[]> rows, Path file)
        throws IOException {
        try (io.hearth.formats.ParquetOut out = new io.hearth.formats.ParquetOut(file, columns, types)) {
            for (Object[] row : rows) {
                out.write(row);
            }
        }
    }
}

package io.hearth.formats;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.time.Timestamps;
import io.hearth.compute.training.Spine;
import io.hearth.compute.training.ValueColumn;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Training sets as files, rows in spine order: CSV by {@link Csv}'s rules (spine cells byte for byte as the spine
 * gave them, feature values formatted) or Parquet (typed columns). Where the rows come from (a join computed in
 * memory, or a training table in the grid) is the caller's business.
 */
public final class TrainingFiles {
    public enum Format { CSV, PARQUET }

    private TrainingFiles() {
    }

    /**
     * A set computed in memory: the spine's columns, then the features' values ({@code columns} and {@code types}
     * name all of them). Parquet is written column by column ({@link ParquetColumnsOut}), CSV row by row.
     */
    public static void write(Spine spine, List<String> columns, List<ColumnType> types, ValueColumn[] features,
                             Format format, Path file) throws IOException {
        int width = spine.columns().size();
        if (format == Format.PARQUET) {
            List<ValueColumn> cols = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                cols.add(ValueColumn.ofRows(spine.types().get(i), spine.rows(), i));
            }
            cols.addAll(List.of(features));
            ParquetColumnsOut.write(file, columns, types, cols);
            return;
        }
        Iterable<Object[]> rows = () -> new Iterator<>() {
            int r;
            final Object[] all = new Object[columns.size()]; // reused: writers copy what they keep

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
        writeCsv(columns, types, rows, spine.text().iterator(), width, file);
    }

    /**
     * A set read row by row (timestamps as epoch-millis Longs). {@code spineText} (may be null) gives the spine's
     * cells as they were uploaded, header first: a CSV then passes them through byte for byte rather than as the
     * rows typed them.
     */
    public static void write(List<String> columns, List<ColumnType> types, Iterable<Object[]> rows, Format format,
                             Path file, Iterator<String[]> spineText) throws IOException {
        if (format == Format.PARQUET) {
            try (ParquetOut out = new ParquetOut(file, columns, types)) {
                for (Object[] row : rows) {
                    out.write(row);
                }
            }
            return;
        }
        int width = 0;
        if (spineText != null && spineText.hasNext()) {
            width = spineText.next().length; // the header
        }
        writeCsv(columns, types, rows, width == 0 ? null : spineText, width, file);
    }

    /** Rows written one at a time (values as {@link #write(List, List, Iterable, Format, Path, Iterator)} takes them). */
    public interface RowWriter extends AutoCloseable {
        void write(Object[] row) throws IOException;

        /** Finishes the file (a Parquet file appears only now, complete). */
        @Override
        void close() throws IOException;
    }

    /**
     * A file written row by row, for rows that are produced as they are read (a cursor) rather than held: Parquet by
     * {@link ParquetOut}, CSV by the rules above (null an empty cell, timestamps ISO-8601, text quoted as needed).
     */
    public static RowWriter writer(List<String> columns, List<ColumnType> types, Format format, Path file)
        throws IOException {
        if (format == Format.PARQUET) {
            ParquetOut out = new ParquetOut(file, columns, types);
            return new RowWriter() {
                public void write(Object[] row) throws IOException {
                    out.write(row);
                }

                public void close() throws IOException {
                    out.close();
                }
            };
        }
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        writeHeader(w, columns);
        return new RowWriter() {
            public void write(Object[] row) throws IOException {
                writeRow(w, types, row, null, 0);
            }

            public void close() throws IOException {
                w.close();
            }
        };
    }

    private static void writeHeader(BufferedWriter w, List<String> columns) throws IOException {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            Csv.cell(w, columns.get(i));
        }
        w.write('\n');
    }

    private static void writeRow(BufferedWriter w, List<ColumnType> types, Object[] row, String[] given, int textWidth)
        throws IOException {
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

    /**
     * Rows as CSV; the first {@code textWidth} cells of each row come from {@code text} when it is given (the spine
     * as uploaded), the rest are formatted from their values.
     */
    private static void writeCsv(List<String> columns, List<ColumnType> types, Iterable<Object[]> rows,
                                 Iterator<String[]> text, int textWidth, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeHeader(w, columns);
            for (Object[] row : rows) {
                writeRow(w, types, row, text != null ? text.next() : null, textWidth);
            }
        }
    }
}

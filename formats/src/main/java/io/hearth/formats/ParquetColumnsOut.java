package io.hearth.formats;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.training.ValueColumn;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Writes whole columns held in memory ({@link ValueColumn}s, e.g. a collected training set) to one Parquet file,
 * column by column: each column chunk of a row group is encoded straight through parquet-column's
 * {@link ColumnWriter} (no per-row record assembly, no boxed values), and the chunks of one row group are encoded on
 * several threads, then appended to the file in schema order. Rows stay in their order.
 *
 * <p>The file is the same as {@link ParquetOut} writes for the same rows (schema, types, Snappy by the pure-Java
 * codec, Parquet v1 pages, dictionary encoding, statistics), except for where row groups end: here every row group
 * holds about the same number of rows, at most about {@link ParquetOut#ROW_GROUP_BYTES} of raw values. Like
 * {@link ParquetOut}, the file is written to a hidden temporary file and renamed into place only when complete.
 */
final class ParquetColumnsOut {

    private ParquetColumnsOut() {
    }

    /**
     * Writes {@code columns} (all of one size; STRING → String values, INT/LONG/TIMESTAMP → long, FLOAT/DOUBLE →
     * double, BOOL → boolean) as the columns {@code names} of {@code types} to {@code file}, replacing it.
     *
     * @throws IllegalArgumentException when names, types and columns disagree, or an INT value exceeds 32 bits
     */
    public static void write(Path file, List<String> names, List<ColumnType> types, List<ValueColumn> columns)
        throws IOException {
        write(file, names, types, columns, CompressionCodecName.SNAPPY, ParquetOut.ROW_GROUP_BYTES,
            Runtime.getRuntime().availableProcessors());
    }

    /** With another codec (one of {@link PureJavaCodecs#SUPPORTED}), row group size and thread count. For tests. */
    static void write(Path file, List<String> names, List<ColumnType> types, List<ValueColumn> columns,
                      CompressionCodecName codec, long rowGroupBytes, int threads) throws IOException {
        Objects.requireNonNull(file, "file");
        ColumnType[] ts = types.toArray(new ColumnType[0]);
        MessageType schema = ParquetOut.schema(names, ts);
        if (columns.size() != ts.length) {
            throw new IllegalArgumentException(columns.size() + " columns of values for " + ts.length + " columns");
        }
        int rows = columns.get(0).size();
        for (int c = 0; c < ts.length; c++) {
            ValueColumn col = columns.get(c);
            if (col.size() != rows) {
                throw new IllegalArgumentException("column " + names.get(c) + " has " + col.size() + " values, column "
                    + names.get(0) + " " + rows);
            }
            if (storage(col.type()) != storage(ts[c])) {
                throw new IllegalArgumentException("column " + names.get(c) + " (" + ts[c].spelling() + ") cannot be "
                    + "written from " + col.type().spelling() + " values");
            }
        }
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(String.valueOf(dir), null, "cannot write " + file
                + ": the directory does not exist");
        }
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        ParquetProperties props = ParquetProperties.builder().build(); // ParquetWriter's defaults: v1 pages, dictionary
        PureJavaCodecs codecs = new PureJavaCodecs();
        int groupRows = rowsPerGroup(columns, ts, rows, rowGroupBytes);
        ParquetFileWriter fw = new ParquetFileWriter(new LocalOutputFile(tmp), schema, ParquetFileWriter.Mode.CREATE,
            rowGroupBytes, 0, null, props);
        int pool = Math.max(1, Math.min(threads, ts.length));
        ExecutorService exec = pool == 1 || rows == 0 ? null : Executors.newFixedThreadPool(pool, r -> {
            Thread t = new Thread(r, "parquet-columns");
            t.setDaemon(true);
            return t;
        });
        boolean done = false;
        try {
            fw.start();
            List<ColumnDescriptor> descriptors = schema.getColumns();
            for (int from = 0; from < rows; from += groupRows) {
                int to = Math.min(rows, from + groupRows);
                ColumnChunkPageWriteStore pages = ColumnChunkPageWriteStore.builder()
                    .withCompressorProvider(d -> codecs.getCompressor(codec)) // one per column: each is for one thread
                    .withSchema(schema)
                    .withAllocator(props.getAllocator())
                    .withColumnIndexTruncateLength(props.getColumnIndexTruncateLength())
                    .withPageWriteChecksumEnabled(props.getPageWriteChecksumEnabled())
                    .build();
                List<Future<?>> encoded = new ArrayList<>();
                for (int c = 0; c < ts.length; c++) {
                    // A store per column, so columns are encoded independently: a store decides page ends by its rows.
                    ColumnWriteStore store = props.newColumnWriteStore(new MessageType(schema.getName(),
                        schema.getType(c)), pages);
                    ColumnWriter w = store.getColumnWriter(descriptors.get(c));
                    ValueColumn col = columns.get(c);
                    ColumnType t = ts[c];
                    String name = names.get(c);
                    int f = from;
                    Runnable encode = () -> {
                        encode(w, store, col, t, name, f, to);
                        store.flush();
                    };
                    if (exec == null) {
                        encode.run();
                    } else {
                        encoded.add(exec.submit(encode));
                    }
                }
                for (Future<?> e : encoded) {
                    await(e);
                }
                fw.startBlock(to - from);
                pages.flushToFileWriter(fw);
                fw.endBlock();
                pages.close();
            }
            fw.end(Map.of(ParquetWriter.OBJECT_MODEL_NAME_PROP, "hearth"));
            done = true;
        } finally {
            if (exec != null) {
                exec.shutdownNow();
            }
            if (!done) {
                try {
                    fw.abort();
                    fw.close();
                } catch (IOException | RuntimeException ignored) {
                    // The file is being abandoned; the exception on its way out says why.
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Rows [from, to) of one column into its writer; a null is an absent optional value (definition level 0). */
    private static void encode(ColumnWriter w, ColumnWriteStore store, ValueColumn col, ColumnType t, String name,
                               int from, int to) {
        for (int r = from; r < to; r++) {
            if (col.isNull(r)) {
                w.writeNull(0, 0);
            } else {
                switch (t) {
                    case STRING -> w.write(Binary.fromString(col.getString(r)), 0, 1);
                    case INT -> {
                        long v = col.getLong(r);
                        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                            throw new IllegalArgumentException("column " + name + " (int): " + v
                                + " is out of the 32-bit range");
                        }
                        w.write((int) v, 0, 1);
                    }
                    case LONG, TIMESTAMP -> w.write(col.getLong(r), 0, 1);
                    case FLOAT -> w.write((float) col.getDouble(r), 0, 1);
                    case DOUBLE -> w.write(col.getDouble(r), 0, 1);
                    case BOOL -> w.write(col.getBool(r), 0, 1);
                }
            }
            store.endRecord();
        }
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing a Parquet file");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IOException(e.getCause());
        }
    }

    /** Which array a type's values live in: types sharing one are interchangeable here. */
    private static int storage(ColumnType t) {
        return switch (t) {
            case INT, LONG, TIMESTAMP -> 0;
            case FLOAT, DOUBLE -> 1;
            case BOOL -> 2;
            case STRING -> 3;
        };
    }

    /** Rows per row group: groups of equal size with at most about {@code rowGroupBytes} of raw values each. */
    static int rowsPerGroup(List<ValueColumn> columns, ColumnType[] types, int rows, long rowGroupBytes) {
        if (rows == 0) {
            return 1;
        }
        long rowBytes = 0;
        for (int c = 0; c < types.length; c++) {
            rowBytes += switch (types[c]) {
                case INT, FLOAT -> 4;
                case LONG, DOUBLE, TIMESTAMP -> 8;
                case BOOL -> 1;
                case STRING -> 4 + averageLength(columns.get(c));
            };
        }
        long perGroup = Math.max(1, rowGroupBytes / Math.max(1, rowBytes));
        long groups = (rows + perGroup - 1) / perGroup;
        return (int) ((rows + groups - 1) / groups);
    }

    /** Average UTF-16 length of up to 1,000 evenly spread values. */
    private static long averageLength(ValueColumn col) {
        int n = col.size();
        int step = Math.max(1, n / 1000);
        long chars = 0;
        long seen = 0;
        for (int r = 0; r < n; r += step) {
            String s = col.getString(r);
            chars += s == null ? 0 : s.length();
            seen++;
        }
        return seen == 0 ? 0 : chars / seen;
    }
}

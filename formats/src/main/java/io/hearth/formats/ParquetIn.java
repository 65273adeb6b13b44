package io.hearth.formats;

import io.hearth.catalog.ColumnType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet file row by row, each row as column name → value (String, Long, Double, Boolean, null; TIMESTAMP
 * columns as Long epoch millis; INT32 as Long; FLOAT as Double).
 *
 * <p>Written for {@link ParquetOut}'s files and for backfill files from other tools (pandas/pyarrow, Spark, DuckDB),
 * so it also takes: timestamps in MICROS or NANOS (floored to millis) and legacy INT96 timestamps; DATE (as epoch
 * millis of midnight UTC); DECIMAL (as Double); 8/16-bit and unsigned integers; UUID, ENUM, JSON and unannotated
 * BINARY columns (as UTF-8 text). Only flat schemas are read: a nested or repeated column, or an unsupported type
 * (TIME, INTERVAL, FLOAT16, BSON, geometry, plain FIXED_LEN_BYTE_ARRAY), is refused when the file is opened. Pages
 * may be uncompressed or Snappy, ZSTD, GZIP or LZ4_RAW compressed.
 *
 * <p>Each map has every column, in file order, with null for a missing value. {@link #hasNext()} and {@link #next()}
 * report read errors as {@link UncheckedIOException}. The file is closed at the end of the rows, on error, and by
 * {@link #close()}. Not thread-safe.
 */
public final class ParquetIn implements AutoCloseable, java.util.Iterator<Map<String, Object>> {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    /** Julian day number of 1970-01-01, for INT96 timestamps. */
    private static final long JULIAN_EPOCH_DAY = 2_440_588L;

    private final Path file;
    private final ParquetFileReader reader;
    private final List<String> names;
    private final List<ColumnType> types;
    private final long rowCount;
    private final MessageColumnIO columnIO;
    private final RowMaterializer materializer;
    private RecordReader<Object[]> rows;
    private long leftInGroup;
    private boolean done;

    public ParquetIn(Path file) throws IOException {
        this.file = file;
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such Parquet file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("not a Parquet file (not a regular file): " + file);
        }
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new PureJavaCodecs())
                .build();
        try {
            this.reader = ParquetFileReader.open(new LocalInputFile(file), options);
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a readable Parquet file: " + file + ": " + e.getMessage(), e);
        }
        try {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            List<String> n = new ArrayList<>();
            List<ColumnType> t = new ArrayList<>();
            PrimitiveConverter[] converters = new PrimitiveConverter[schema.getFieldCount()];
            Object[] row = new Object[converters.length];
            for (int i = 0; i < converters.length; i++) {
                Type field = schema.getType(i);
                if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
                    throw new IOException(file + ": column " + field.getName()
                            + " is nested or repeated; only flat Parquet files can be read");
                }
                n.add(field.getName());
                t.add(hearthType(field.asPrimitiveType()));
                converters[i] = converter(field.asPrimitiveType(), row, i);
            }
            long count = 0;
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                count += block.getRowCount();
                for (ColumnChunkMetaData chunk : block.getColumns()) {
                    CompressionCodecName codec = chunk.getCodec();
                    if (!PureJavaCodecs.SUPPORTED.contains(codec)) {
                        throw new IOException(file + ": column " + chunk.getPath().toDotString()
                                + " is compressed with " + codec + ", which is not supported (supported: "
                                + PureJavaCodecs.SUPPORTED + ")");
                    }
                }
            }
            this.names = Collections.unmodifiableList(n);
            this.types = Collections.unmodifiableList(t);
            this.rowCount = count;
            this.columnIO = new ColumnIOFactory().getColumnIO(schema);
            this.materializer = new RowMaterializer(row, converters);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Column names, in file order. */
    public List<String> columnNames() {
        return names;
    }

    /**
     * The Hearth type each column reads as, in file order: INT32 → INT, INT64 → LONG, FLOAT → FLOAT, DOUBLE → DOUBLE,
     * BOOLEAN → BOOL, text → STRING, timestamps and DATE → TIMESTAMP, DECIMAL → DOUBLE. As {@link #next()} returns them,
     * INT values are Longs and FLOAT values Doubles.
     */
    public List<ColumnType> columnTypes() {
        return types;
    }

    /** Rows in the file, from its footer. */
    public long rowCount() {
        return rowCount;
    }

    /** Row groups in the file. For tests. */
    int rowGroupCount() {
        return reader.getFooter().getBlocks().size();
    }

    @Override
    public boolean hasNext() {
        while (!done && leftInGroup == 0) {
            try {
                PageReadStore pages = reader.readNextRowGroup();
                if (pages == null) {
                    done = true;
                    closeQuietly();
                } else {
                    leftInGroup = pages.getRowCount();
                    rows = columnIO.getRecordReader(pages, materializer);
                }
            } catch (IOException e) {
                closeQuietly();
                throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                closeQuietly();
                throw new UncheckedIOException(new IOException("reading " + file + ": " + e.getMessage(), e));
            }
        }
        return !done;
    }

    @Override
    public Map<String, Object> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows in " + file);
        }
        Object[] values;
        try {
            values = rows.read();
        } catch (RuntimeException e) {
            closeQuietly();
            throw new UncheckedIOException(new IOException("reading " + file + ": " + e.getMessage(), e));
        }
        leftInGroup--;
        Map<String, Object> m = new LinkedHashMap<>((int) (values.length / 0.75f) + 1);
        for (int i = 0; i < values.length; i++) {
            m.put(names.get(i), values[i]);
        }
        return m;
    }

    @Override
    public void close() throws IOException {
        done = true;
        reader.close();
    }

    private void closeQuietly() {
        done = true;
        try {
            reader.close();
        } catch (IOException | RuntimeException ignored) {
            // Already failing or finished; nothing more to report.
        }
    }

    private IOException unsupported(PrimitiveType p) {
        return new IOException(file + ": column " + p.getName() + " has type " + p.getPrimitiveTypeName()
                + (p.getLogicalTypeAnnotation() == null ? "" : " " + p.getLogicalTypeAnnotation())
                + ", which cannot be read");
    }

    private ColumnType hearthType(PrimitiveType p) throws IOException {
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        if (a instanceof DecimalLogicalTypeAnnotation) {
            return ColumnType.DOUBLE;
        }
        return switch (p.getPrimitiveTypeName()) {
            case BOOLEAN -> ColumnType.BOOL;
            case INT32 -> a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? ColumnType.TIMESTAMP
                    : ColumnType.INT;
            case INT64 -> a instanceof TimestampLogicalTypeAnnotation ? ColumnType.TIMESTAMP : ColumnType.LONG;
            case INT96 -> ColumnType.TIMESTAMP;
            case FLOAT -> ColumnType.FLOAT;
            case DOUBLE -> ColumnType.DOUBLE;
            case BINARY -> {
                if (a == null || a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    yield ColumnType.STRING;
                }
                throw unsupported(p); // BSON, GEOMETRY, GEOGRAPHY, VARIANT parts
            }
            case FIXED_LEN_BYTE_ARRAY -> {
                if (a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    yield ColumnType.STRING;
                }
                throw unsupported(p);
            }
        };
    }

    /** A converter that stores column {@code i}'s value, converted to what {@link #next()} returns, in row[i]. */
    private PrimitiveConverter converter(PrimitiveType p, Object[] row, int i) throws IOException {
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        if (a instanceof DecimalLogicalTypeAnnotation d) {
            int scale = d.getScale();
            return new PrimitiveConverter() {
                @Override
                public void addInt(int v) {
                    row[i] = BigDecimal.valueOf(v, scale).doubleValue();
                }

                @Override
                public void addLong(long v) {
                    row[i] = BigDecimal.valueOf(v, scale).doubleValue();
                }

                @Override
                public void addBinary(Binary v) {
                    row[i] = new BigDecimal(new BigInteger(v.getBytes()), scale).doubleValue();
                }
            };
        }
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return new PrimitiveConverter() {
                    @Override
                    public void addBoolean(boolean v) {
                        row[i] = v;
                    }
                };
            case INT32: {
                boolean date = a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation;
                boolean unsigned = a instanceof IntLogicalTypeAnnotation ia && !ia.isSigned();
                if (a != null && !date && !(a instanceof IntLogicalTypeAnnotation)) {
                    throw unsupported(p); // TIME(MILLIS) and the like
                }
                return new PrimitiveConverter() {
                    @Override
                    public void addInt(int v) {
                        row[i] = date ? v * MILLIS_PER_DAY : unsigned ? Integer.toUnsignedLong(v) : (long) v;
                    }
                };
            }
            case INT64: {
                long divisor;
                if (a instanceof TimestampLogicalTypeAnnotation ts) {
                    divisor = switch (ts.getUnit()) {
                        case MILLIS -> 1L;
                        case MICROS -> 1_000L;
                        case NANOS -> 1_000_000L;
                    };
                } else if (a == null || a instanceof IntLogicalTypeAnnotation) {
                    divisor = 1L;
                } else {
                    throw unsupported(p); // TIME(MICROS/NANOS)
                }
                return new PrimitiveConverter() {
                    @Override
                    public void addLong(long v) {
                        row[i] = divisor == 1L ? v : Math.floorDiv(v, divisor);
                    }
                };
            }
            case INT96:
                return new PrimitiveConverter() {
                    @Override
                    public void addBinary(Binary v) {
                        // Impala/Spark layout: 8 bytes nanos of the day, then 4 bytes Julian day, little-endian.
                        ByteBuffer b = v.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                        long nanosOfDay = b.getLong(b.position());
                        long julianDay = Integer.toUnsignedLong(b.getInt(b.position() + 8));
                        row[i] = (julianDay - JULIAN_EPOCH_DAY) * MILLIS_PER_DAY
                                + Math.floorDiv(nanosOfDay, 1_000_000L);
                    }
                };
            case FLOAT:
                return new PrimitiveConverter() {
                    @Override
                    public void addFloat(float v) {
                        row[i] = (double) v;
                    }
                };
            case DOUBLE:
                return new PrimitiveConverter() {
                    @Override
                    public void addDouble(double v) {
                        row[i] = v;
                    }
                };
            case BINARY:
                return new TextConverter(row, i);
            case FIXED_LEN_BYTE_ARRAY:
                if (a instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    return new PrimitiveConverter() {
                        @Override
                        public void addBinary(Binary v) {
                            ByteBuffer b = v.toByteBuffer();
                            row[i] = new UUID(b.getLong(b.position()), b.getLong(b.position() + 8)).toString();
                        }
                    };
                }
                throw unsupported(p);
            default:
                throw unsupported(p);
        }
    }

    /** UTF-8 text; decodes each dictionary entry once instead of once per row. */
    private static final class TextConverter extends PrimitiveConverter {
        private final Object[] row;
        private final int i;
        private String[] dictionary;

        TextConverter(Object[] row, int i) {
            this.row = row;
            this.i = i;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary d) {
            dictionary = new String[d.getMaxId() + 1];
            for (int id = 0; id < dictionary.length; id++) {
                dictionary[id] = d.decodeToBinary(id).toStringUsingUTF8();
            }
        }

        @Override
        public void addValueFromDictionary(int dictionaryId) {
            row[i] = dictionary[dictionaryId];
        }

        @Override
        public void addBinary(Binary v) {
            row[i] = v.toStringUsingUTF8();
        }
    }

    /** Flat records: the root converter clears the row at the start of each record; absent fields stay null. */
    private static final class RowMaterializer extends RecordMaterializer<Object[]> {
        private final Object[] row;
        private final GroupConverter root;

        RowMaterializer(Object[] row, PrimitiveConverter[] fields) {
            this.row = row;
            this.root = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return fields[fieldIndex];
                }

                @Override
                public void start() {
                    Arrays.fill(row, null);
                }

                @Override
                public void end() {
                }
            };
        }

        @Override
        public Object[] getCurrentRecord() {
            return row;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }
}

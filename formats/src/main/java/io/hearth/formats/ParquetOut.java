package io.hearth.formats;

import io.hearth.catalog.ColumnType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes rows to a Parquet file: one row group stream, all columns optional (nullable).
 *
 * <p>Column types map as STRING → BINARY (STRING), INT → INT32, LONG → INT64, FLOAT → FLOAT, DOUBLE → DOUBLE,
 * BOOL → BOOLEAN, TIMESTAMP → INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true). Pages are Snappy-compressed by a pure-Java
 * codec (no native library); see docs/decisions/0005-parquet.md.
 *
 * <p>The rows go to a hidden temporary file next to {@code file}, which {@link #close()} renames onto {@code file}
 * (replacing it), so a reader never sees a half-written file. If {@link #write} throws, the output is abandoned:
 * later writes are refused and {@code close()} deletes the temporary file and publishes nothing.
 *
 * <p>Not thread-safe. Memory: one row group (at most about {@value #ROW_GROUP_BYTES} bytes once encoded) is
 * buffered before it is written.
 */
public final class ParquetOut implements AutoCloseable {

    /** Row group size: bounds the memory one export holds; large enough for efficient column scans. */
    static final long ROW_GROUP_BYTES = 32L * 1024 * 1024;

    /** Name of the Parquet message (root group); pyarrow uses "schema" too. */
    static final String MESSAGE_NAME = "schema";

    private final Path file;
    private final Path tmp;
    private final ColumnType[] types;
    private final List<String> names;
    private final ParquetWriter<Object[]> writer;
    private long rows;
    private boolean failed;
    private boolean closed;

    public ParquetOut(Path file, List<String> columnNames, List<ColumnType> types) throws IOException {
        this(file, columnNames, types, CompressionCodecName.SNAPPY, ROW_GROUP_BYTES);
    }

    /** With another page codec (one of {@link PureJavaCodecs#SUPPORTED}) and row group size. For tests. */
    ParquetOut(Path file, List<String> columnNames, List<ColumnType> types, CompressionCodecName codec,
            long rowGroupBytes) throws IOException {
        Objects.requireNonNull(file, "file");
        this.names = List.copyOf(Objects.requireNonNull(columnNames, "columnNames"));
        this.types = Objects.requireNonNull(types, "types").toArray(new ColumnType[0]);
        MessageType schema = schema(names, this.types);
        this.file = file.toAbsolutePath();
        Path dir = this.file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(String.valueOf(dir), null, "cannot write " + file
                    + ": the directory does not exist");
        }
        this.tmp = dir.resolve("." + this.file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            this.writer = new RowWriteSupport.Builder(new LocalOutputFile(tmp), new RowWriteSupport(schema, this.types))
                    .withConf(new PlainParquetConfiguration())
                    .withCodecFactory(new PureJavaCodecs())
                    .withCompressionCodec(codec)
                    .withRowGroupSize(rowGroupBytes)
                    .withWriteMode(ParquetFileWriter.Mode.CREATE)
                    .build();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Writes one row. {@code values[i]} is null or: STRING → String, INT/LONG → Long (or Integer), FLOAT/DOUBLE →
     * Double (or another Number), BOOL → Boolean, TIMESTAMP → Long epoch millis (a {@link java.util.Date} or
     * {@link Instant} is taken too).
     *
     * @throws IllegalArgumentException when the row has the wrong length or a value does not fit its column
     */
    public void write(Object[] values) throws IOException {
        if (closed) {
            throw new IllegalStateException("ParquetOut for " + file + " is closed");
        }
        if (failed) {
            throw new IllegalStateException("an earlier write to " + file + " failed; the file is abandoned");
        }
        failed = true;
        if (values == null || values.length != types.length) {
            throw new IllegalArgumentException("row has " + (values == null ? "no" : String.valueOf(values.length))
                    + " values, the file has " + types.length + " columns");
        }
        Object[] row = new Object[types.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = values[i] == null ? null : convert(i, values[i]);
        }
        writer.write(row);
        rows++;
        failed = false;
    }

    public long rowsWritten() {
        return rows;
    }

    /** Finishes the file and renames it into place; after a failed write, deletes it instead. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failed) {
            try {
                writer.close();
            } catch (IOException | RuntimeException ignored) {
                // The file is being abandoned; the write that failed already reported why.
            } finally {
                Files.deleteIfExists(tmp);
            }
            return;
        }
        try {
            writer.close();
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    static MessageType schema(List<String> names, ColumnType[] types) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a Parquet file needs at least one column");
        }
        if (names.size() != types.length) {
            throw new IllegalArgumentException(names.size() + " column names but " + types.length + " types");
        }
        Set<String> seen = new HashSet<>();
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (int i = 0; i < types.length; i++) {
            String name = names.get(i);
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("column " + i + " has no name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("duplicate column name: " + name);
            }
            ColumnType t = Objects.requireNonNull(types[i], () -> "column " + name + " has no type");
            switch (t) {
                case STRING -> b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
                case INT -> b.optional(PrimitiveTypeName.INT32).named(name);
                case LONG -> b.optional(PrimitiveTypeName.INT64).named(name);
                case FLOAT -> b.optional(PrimitiveTypeName.FLOAT).named(name);
                case DOUBLE -> b.optional(PrimitiveTypeName.DOUBLE).named(name);
                case BOOL -> b.optional(PrimitiveTypeName.BOOLEAN).named(name);
                case TIMESTAMP -> b.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
                        .named(name);
            }
        }
        return b.named(MESSAGE_NAME);
    }

    /** The value as the exact Java type {@link RowWriteSupport} hands to Parquet for the column's type. */
    private Object convert(int i, Object v) {
        switch (types[i]) {
            case STRING:
                if (v instanceof CharSequence s) {
                    return Binary.fromString(s.toString());
                }
                break;
            case INT:
                Long l = integral(v);
                if (l != null) {
                    if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException("column " + names.get(i) + " (int): " + v
                                + " is out of the 32-bit range");
                    }
                    return l.intValue();
                }
                break;
            case LONG:
                Long x = integral(v);
                if (x != null) {
                    return x;
                }
                break;
            case TIMESTAMP:
                if (v instanceof java.util.Date d) {
                    return d.getTime();
                }
                if (v instanceof Instant t) {
                    return t.toEpochMilli();
                }
                Long ms = integral(v);
                if (ms != null) {
                    return ms;
                }
                break;
            case FLOAT:
                if (v instanceof Number n) {
                    return n.floatValue();
                }
                break;
            case DOUBLE:
                if (v instanceof Number n) {
                    return n.doubleValue();
                }
                break;
            case BOOL:
                if (v instanceof Boolean) {
                    return v;
                }
                break;
        }
        throw new IllegalArgumentException("column " + names.get(i) + " (" + types[i].spelling() + "): cannot write a "
                + v.getClass().getSimpleName() + " (" + v + ")");
    }

    /** Integral numbers as long; null for anything else (fractions included, rather than truncating them). */
    private Long integral(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        try {
            if (v instanceof BigInteger b) {
                return b.longValueExact();
            }
            if (v instanceof BigDecimal b) {
                return b.longValueExact();
            }
        } catch (ArithmeticException e) {
            return null;
        }
        return null;
    }
}

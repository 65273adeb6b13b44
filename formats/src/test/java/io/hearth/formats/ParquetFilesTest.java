package io.hearth.formats;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ColumnType;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParquetFilesTest {

    private static final List<String> ALL_NAMES = List.of("s", "i", "l", "f", "d", "b", "t");
    private static final List<ColumnType> ALL_TYPES = List.of(ColumnType.STRING, ColumnType.INT, ColumnType.LONG,
            ColumnType.FLOAT, ColumnType.DOUBLE, ColumnType.BOOL, ColumnType.TIMESTAMP);

    @TempDir
    Path dir;

    @Test
    void everyTypeRoundTripsWithNullsAndUnicode() throws IOException {
        Object[][] rows = {
            {"plain", 42L, 7L, 1.5, 2.25, true, 1_700_000_000_123L},
            {"héllo wörld ß", Integer.MAX_VALUE, Long.MAX_VALUE, 3.4028235e38, Double.MAX_VALUE, false, 0L},
            {"日本語テキスト", Integer.MIN_VALUE, Long.MIN_VALUE, -0.1, -Double.MIN_VALUE, true, -86_400_001L},
            {"emoji 👩‍💻🚀 and \u0000 nul", 0, 0, Double.NaN, Double.NaN, false, 253_402_300_799_999L},
            {"", -1, Integer.valueOf(-5), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, true, -1L},
            {null, null, null, null, null, null, null},
            {"only string", null, null, null, -0.0, null, null},
            {null, 1L, null, 0.0, null, null, 1L},
        };
        Path file = dir.resolve("all-types.parquet");
        try (ParquetOut out = new ParquetOut(file, ALL_NAMES, ALL_TYPES)) {
            for (Object[] row : rows) {
                out.write(row);
            }
            assertThat(out.rowsWritten()).isEqualTo(rows.length);
        }

        List<Map<String, Object>> read = readAll(file);
        assertThat(read).hasSize(rows.length);
        for (int r = 0; r < rows.length; r++) {
            assertThat(read.get(r)).as("row %d", r).containsExactlyEntriesOf(expected(rows[r]));
        }
        try (ParquetIn in = new ParquetIn(file)) {
            assertThat(in.columnNames()).isEqualTo(ALL_NAMES);
            assertThat(in.columnTypes()).isEqualTo(ALL_TYPES);
            assertThat(in.rowCount()).isEqualTo(rows.length);
        }
    }

    @Test
    void twoHundredThousandRandomRowsRoundTrip() throws IOException {
        long seed = Seeds.seed("ParquetFilesTest");
        int n = 200_000;
        List<String> names = List.of("s", "cat", "i", "l", "f", "d", "b", "t");
        List<ColumnType> types = List.of(ColumnType.STRING, ColumnType.STRING, ColumnType.INT, ColumnType.LONG,
                ColumnType.FLOAT, ColumnType.DOUBLE, ColumnType.BOOL, ColumnType.TIMESTAMP);
        Path file = dir.resolve("random.parquet");
        try {
            Random gen = new Random(seed);
            // Small row groups so that several are written and read back.
            try (ParquetOut out = new ParquetOut(file, names, types, CompressionCodecName.SNAPPY, 1 << 20)) {
                for (int r = 0; r < n; r++) {
                    out.write(randomRow(gen));
                }
                assertThat(out.rowsWritten()).isEqualTo(n);
            }
            Random expect = new Random(seed);
            int r = 0;
            try (ParquetIn in = new ParquetIn(file)) {
                assertThat(in.rowCount()).isEqualTo(n);
                assertThat(in.rowGroupCount()).isGreaterThan(1);
                while (in.hasNext()) {
                    Map<String, Object> row = in.next();
                    Object[] want = randomRow(expect);
                    Map<String, Object> wanted = new LinkedHashMap<>();
                    for (int c = 0; c < names.size(); c++) {
                        wanted.put(names.get(c), normalise(types.get(c), want[c]));
                    }
                    if (!row.equals(wanted)) {
                        assertThat(row).as("row %d", r).containsExactlyEntriesOf(wanted);
                    }
                    r++;
                }
            }
            assertThat(r).isEqualTo(n);
        } catch (AssertionError | IOException | RuntimeException e) {
            System.err.println("ParquetFilesTest: failed with seed " + seed + " (rerun with -Dhearth.seed="
                    + seed + ")");
            throw e;
        }
    }

    @Test
    void emptyFileRoundTrips() throws IOException {
        Path file = dir.resolve("empty.parquet");
        try (ParquetOut out = new ParquetOut(file, ALL_NAMES, ALL_TYPES)) {
            assertThat(out.rowsWritten()).isZero();
        }
        assertThat(file).isRegularFile();
        try (ParquetIn in = new ParquetIn(file)) {
            assertThat(in.columnNames()).isEqualTo(ALL_NAMES);
            assertThat(in.columnTypes()).isEqualTo(ALL_TYPES);
            assertThat(in.rowCount()).isZero();
            assertThat(in.hasNext()).isFalse();
            assertThatThrownBy(in::next).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void timestampColumnIsMillisUtcAndReadsBackTheSameEpochMillis() throws IOException {
        long[] millis = {0L, 1L, -1L, 1_700_000_000_123L, -62_135_596_800_000L, 253_402_300_799_999L};
        Path file = dir.resolve("ts.parquet");
        try (ParquetOut out = new ParquetOut(file, List.of("event_time"), List.of(ColumnType.TIMESTAMP))) {
            for (long m : millis) {
                out.write(new Object[] {m});
            }
            out.write(new Object[] {java.time.Instant.ofEpochMilli(5L)});
            out.write(new Object[] {new java.sql.Timestamp(6L)});
        }
        // What other tools see: INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true).
        PrimitiveType col = footerSchema(file).getType("event_time").asPrimitiveType();
        assertThat(col.getPrimitiveTypeName()).isEqualTo(PrimitiveTypeName.INT64);
        assertThat(col.getLogicalTypeAnnotation())
                .isEqualTo(LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS));

        List<Object> read = readAll(file).stream().map(m -> m.get("event_time")).toList();
        assertThat(read).containsExactly(0L, 1L, -1L, 1_700_000_000_123L, -62_135_596_800_000L,
                253_402_300_799_999L, 5L, 6L);
    }

    @Test
    void missingFileIsAClearIOException() {
        Path missing = dir.resolve("no-such-file.parquet");
        assertThatThrownBy(() -> new ParquetIn(missing))
                .isInstanceOf(NoSuchFileException.class)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no-such-file.parquet")
                .hasMessageContaining("no such Parquet file");
    }

    @Test
    void aFileThatIsNotParquetIsAClearIOException() throws IOException {
        Path notParquet = Files.writeString(dir.resolve("data.parquet"), "id,name\n1,a\n");
        assertThatThrownBy(() -> new ParquetIn(notParquet))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a readable Parquet file")
                .hasMessageContaining("data.parquet");
        assertThatThrownBy(() -> new ParquetIn(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a regular file");
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "ZSTD", "GZIP", "LZ4_RAW"})
    void everySupportedCodecRoundTrips(CompressionCodecName codec) throws IOException {
        Path file = dir.resolve(codec + ".parquet");
        Random gen = new Random(codec.ordinal());
        List<Object[]> rows = new ArrayList<>();
        try (ParquetOut out = new ParquetOut(file, ALL_NAMES, ALL_TYPES, codec, 1 << 20)) {
            for (int r = 0; r < 5_000; r++) {
                Object[] row = randomRow(gen);
                Object[] seven = {row[0], row[2], row[3], row[4], row[5], row[6], row[7]};
                rows.add(seven);
                out.write(seven);
            }
        }
        assertThat(codecsOf(file)).containsOnly(codec);
        List<Map<String, Object>> read = readAll(file);
        assertThat(read).hasSize(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            assertThat(read.get(r)).as("row %d", r).containsExactlyEntriesOf(expected(rows.get(r)));
        }
    }

    @Test
    void readsTimestampsDatesAndDecimalsAsOtherToolsWriteThem() throws IOException {
        MessageType schema = Types.buildMessage()
                .optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
                .named("ts_us")
                .optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(false, TimeUnit.NANOS))
                .named("ts_ns")
                .optional(PrimitiveTypeName.INT96).named("ts_int96")
                .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named("day")
                .optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.decimalType(2, 18)).named("price")
                .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(16, true)).named("small")
                .required(PrimitiveTypeName.BINARY).named("raw")
                .named("spark_schema");
        Path file = dir.resolve("foreign.parquet");
        long ms = 1_700_000_000_123L;
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withType(schema)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new PureJavaCodecs())
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(schema);
            w.write(groups.newGroup()
                    .append("ts_us", ms * 1_000 + 456)
                    .append("ts_ns", -ms * 1_000_000 - 1)
                    .append("ts_int96", int96(ms))
                    .append("day", 19_675)
                    .append("price", 123_45L)
                    .append("small", (int) Short.MIN_VALUE)
                    .append("raw", "bytes"));
            w.write(groups.newGroup().append("raw", Binary.fromConstantByteArray("ü".getBytes(StandardCharsets.UTF_8))));
        }
        try (ParquetIn in = new ParquetIn(file)) {
            assertThat(in.columnTypes()).containsExactly(ColumnType.TIMESTAMP, ColumnType.TIMESTAMP,
                    ColumnType.TIMESTAMP, ColumnType.TIMESTAMP, ColumnType.DOUBLE, ColumnType.INT, ColumnType.STRING);
            Map<String, Object> first = in.next();
            assertThat(first).containsEntry("ts_us", ms)
                    .containsEntry("ts_ns", -ms - 1) // floored, not truncated towards zero
                    .containsEntry("ts_int96", ms)
                    .containsEntry("day", 19_675L * 86_400_000L)
                    .containsEntry("price", 123.45)
                    .containsEntry("small", (long) Short.MIN_VALUE)
                    .containsEntry("raw", "bytes");
            Map<String, Object> second = in.next();
            assertThat(second).containsEntry("raw", "ü").containsEntry("ts_us", null).containsEntry("price", null);
            assertThat(in.hasNext()).isFalse();
        }
    }

    @Test
    void refusesNestedColumnsWhenOpening() throws IOException {
        MessageType schema = Types.buildMessage()
                .optional(PrimitiveTypeName.INT64).named("id")
                .repeated(PrimitiveTypeName.INT64).named("tags")
                .named("schema");
        Path file = dir.resolve("nested.parquet");
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withType(schema)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new PureJavaCodecs())
                .build()) {
            w.write(new SimpleGroupFactory(schema).newGroup().append("id", 1L).append("tags", 2L).append("tags", 3L));
        }
        assertThatThrownBy(() -> new ParquetIn(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("tags")
                .hasMessageContaining("only flat Parquet files");
    }

    @Test
    void aBadValueAbandonsTheFile() throws IOException {
        Path file = dir.resolve("bad.parquet");
        ParquetOut out = new ParquetOut(file, List.of("n", "x"), List.of(ColumnType.INT, ColumnType.DOUBLE));
        out.write(new Object[] {1, 2.0});
        assertThatThrownBy(() -> out.write(new Object[] {"one", 2.0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column n (int)")
                .hasMessageContaining("String");
        assertThatThrownBy(() -> out.write(new Object[] {1, 2.0}))
                .isInstanceOf(IllegalStateException.class);
        out.close();
        assertThat(file).doesNotExist();
        assertThat(listDir()).isEmpty();
    }

    @Test
    void rejectsValuesThatDoNotFit() throws IOException {
        Path file = dir.resolve("fit.parquet");
        for (Object[] bad : new Object[][] {{3_000_000_000L}, {1.5}, {new BigDecimal("1.5")}, {true}}) {
            try (ParquetOut out = new ParquetOut(file, List.of("n"), List.of(ColumnType.INT))) {
                assertThatThrownBy(() -> out.write(bad)).as("%s", bad[0]).isInstanceOf(IllegalArgumentException.class);
            }
        }
        try (ParquetOut out = new ParquetOut(file, List.of("n"), List.of(ColumnType.INT))) {
            assertThatThrownBy(() -> out.write(new Object[] {1, 2})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2 values");
        }
        assertThatThrownBy(() -> new ParquetOut(file, List.of("a", "a"), List.of(ColumnType.INT, ColumnType.INT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new ParquetOut(file, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParquetOut(dir.resolve("no/such/dir/x.parquet"), List.of("a"),
                List.of(ColumnType.INT))).isInstanceOf(NoSuchFileException.class);
        assertThat(listDir()).isEmpty();
    }

    @Test
    void replacesAnExistingFileOnlyWhenClosed() throws IOException {
        Path file = dir.resolve("replace.parquet");
        try (ParquetOut out = new ParquetOut(file, List.of("v"), List.of(ColumnType.LONG))) {
            out.write(new Object[] {1L});
        }
        try (ParquetOut out = new ParquetOut(file, List.of("w"), List.of(ColumnType.STRING))) {
            out.write(new Object[] {"two"});
            // Until close, readers still see the old file.
            assertThat(readAll(file)).containsExactly(Map.of("v", 1L));
        }
        assertThat(readAll(file)).containsExactly(Map.of("w", "two"));
        assertThat(listDir()).containsExactly("replace.parquet");
    }

    // --- helpers ---

    /** What ParquetIn returns for a value ParquetOut was given. */
    private static Map<String, Object> expected(Object[] row) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < ALL_NAMES.size(); c++) {
            m.put(ALL_NAMES.get(c), normalise(ALL_TYPES.get(c), row[c]));
        }
        return m;
    }

    private static Object normalise(ColumnType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case INT, LONG, TIMESTAMP -> ((Number) v).longValue();
            case FLOAT -> (double) ((Number) v).floatValue();
            case DOUBLE -> ((Number) v).doubleValue();
            default -> v;
        };
    }

    private static final String[] ALPHABET = {"a", "b", "Z", "0", " ", "é", "ß", "Ω", "日", "本", "😀", "👩‍💻", "\n", ","};

    /** s, cat, i, l, f, d, b, t; about one value in ten is null. */
    private static Object[] randomRow(Random g) {
        Object[] row = new Object[8];
        StringBuilder sb = new StringBuilder();
        int len = g.nextInt(24);
        for (int k = 0; k < len; k++) {
            sb.append(ALPHABET[g.nextInt(ALPHABET.length)]);
        }
        row[0] = sb.toString();
        row[1] = "category-" + g.nextInt(40);
        row[2] = g.nextBoolean() ? (Object) g.nextInt() : (Object) (long) (g.nextInt(2001) - 1000);
        row[3] = g.nextLong();
        row[4] = g.nextGaussian() * 1e6;
        row[5] = g.nextInt(50) == 0 ? Double.NaN : g.nextGaussian() * 1e12;
        row[6] = g.nextBoolean();
        row[7] = 1_600_000_000_000L + g.nextInt(1_000_000_000) * 100L;
        for (int c = 0; c < row.length; c++) {
            if (g.nextInt(10) == 0) {
                row[c] = null;
            }
        }
        return row;
    }

    private static List<Map<String, Object>> readAll(Path file) throws IOException {
        return ParquetTestFiles.readAll(file);
    }

    private static ParquetFileReader openRaw(Path file) throws IOException {
        return ParquetTestFiles.openRaw(file);
    }

    private static MessageType footerSchema(Path file) throws IOException {
        try (ParquetFileReader r = openRaw(file)) {
            return r.getFooter().getFileMetaData().getSchema();
        }
    }

    private static List<CompressionCodecName> codecsOf(Path file) throws IOException {
        try (ParquetFileReader r = openRaw(file)) {
            return r.getFooter().getBlocks().stream()
                    .flatMap(b -> b.getColumns().stream())
                    .map(c -> c.getCodec())
                    .toList();
        }
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** An INT96 timestamp as Impala and Spark write it: nanos of the day, then the Julian day, little-endian. */
    private static Binary int96(long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        long nanosOfDay = Math.floorMod(epochMillis, 86_400_000L) * 1_000_000L;
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(nanosOfDay).putInt((int) (day + 2_440_588L));
        return Binary.fromConstantByteArray(b.array());
    }
}

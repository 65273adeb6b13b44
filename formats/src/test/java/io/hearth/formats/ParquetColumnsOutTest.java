package io.hearth.formats;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.training.ValueColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The column-by-column writer duelled against the row writer ({@link ParquetOut}): same rows, same file schema. */
class ParquetColumnsOutTest {

    private static final List<String> NAMES = List.of("s", "i", "l", "f", "d", "b", "t");
    private static final List<ColumnType> TYPES = List.of(ColumnType.STRING, ColumnType.INT, ColumnType.LONG,
        ColumnType.FLOAT, ColumnType.DOUBLE, ColumnType.BOOL, ColumnType.TIMESTAMP);

    @TempDir
    Path dir;

    @Test
    void everyTypeWithNullsAndUnicodeReadsBackAsTheRowWriterWritesIt() throws IOException {
        Object[][] rows = {
            {"plain", 42L, 7L, 1.5, 2.25, true, 1_700_000_000_123L},
            {"héllo wörld ß", (long) Integer.MAX_VALUE, Long.MAX_VALUE, 3.4028235e38, Double.MAX_VALUE, false, 0L},
            {"日本語テキスト", (long) Integer.MIN_VALUE, Long.MIN_VALUE, -0.1, -Double.MIN_VALUE, true, -86_400_001L},
            {"emoji 👩‍💻🚀 and \u0000 nul", 0L, 0L, Double.NaN, Double.NaN, false, 253_402_300_799_999L},
            {"", -1L, -5L, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, true, -1L},
            {null, null, null, null, null, null, null},
            {"only string", null, null, null, -0.0, null, null},
            {null, 1L, null, 0.0, null, null, 1L},
        };
        Path byRows = writeRows("rows.parquet", NAMES, TYPES, rows);
        Path byColumns = dir.resolve("columns.parquet");
        ParquetColumnsOut.write(byColumns, NAMES, TYPES, columns(TYPES, rows));

        assertThat(readAll(byColumns)).hasSize(rows.length).isEqualTo(readAll(byRows));
        try (ParquetIn in = new ParquetIn(byColumns)) {
            assertThat(in.columnNames()).isEqualTo(NAMES);
            assertThat(in.columnTypes()).isEqualTo(TYPES);
        }
        assertThat(footer(byColumns).getFileMetaData().getSchema()).isEqualTo(footer(byRows).getFileMetaData().getSchema());
        assertThat(footer(byColumns).getBlocks()).allSatisfy(b -> assertThat(b.getColumns())
            .allSatisfy(c -> assertThat(c.getCodec()).isEqualTo(CompressionCodecName.SNAPPY)));
        assertThat(listDir()).containsExactlyInAnyOrder("rows.parquet", "columns.parquet");
    }

    @Test
    void randomRowsOverSeveralRowGroupsAndThreadsReadBackInOrder() throws IOException {
        long seed = Seeds.seed("ParquetColumnsOutTest");
        try {
            Random gen = new Random(seed);
            int n = 30_000 + gen.nextInt(20_000);
            Object[][] rows = new Object[n][];
            for (int r = 0; r < n; r++) {
                rows[r] = randomRow(gen);
            }
            List<Map<String, Object>> expected = readAll(writeRows("rows.parquet", NAMES, TYPES, rows));
            for (int threads : new int[] {1, 3}) {
                Path file = dir.resolve("columns-" + threads + ".parquet");
                ParquetColumnsOut.write(file, NAMES, TYPES, columns(TYPES, rows), CompressionCodecName.SNAPPY, 256 << 10,
                    threads);
                try (ParquetIn in = new ParquetIn(file)) {
                    assertThat(in.rowCount()).isEqualTo(n);
                    assertThat(in.rowGroupCount()).as("small row groups: several").isGreaterThan(1);
                }
                List<Map<String, Object>> read = readAll(file);
                for (int r = 0; r < n; r++) {
                    if (!read.get(r).equals(expected.get(r))) {
                        assertThat(read.get(r)).as("row %d, %d threads", r, threads).isEqualTo(expected.get(r));
                    }
                }
                assertThat(read).hasSize(n);
            }
        } catch (AssertionError | IOException | RuntimeException e) {
            System.err.println("ParquetColumnsOutTest: failed with seed " + seed + " (rerun with -Dhearth.seed="
                + seed + ")");
            throw e;
        }
    }

    @Test
    void noRowsIsAnEmptyFileWithTheSchema() throws IOException {
        Path file = dir.resolve("empty.parquet");
        ParquetColumnsOut.write(file, NAMES, TYPES, columns(TYPES, new Object[0][]));
        try (ParquetIn in = new ParquetIn(file)) {
            assertThat(in.columnNames()).isEqualTo(NAMES);
            assertThat(in.rowCount()).isZero();
            assertThat(in.hasNext()).isFalse();
        }
    }

    @Test
    void anIntOutOfRangeAbandonsTheFileAndKeepsAnOldOne() throws IOException {
        Path file = dir.resolve("out.parquet");
        Files.writeString(file, "old");
        Object[][] rows = {{"a", 1L << 40, 1L, 1.0, 1.0, true, 1L}};
        for (int threads : new int[] {1, 2}) {
            assertThatThrownBy(() -> ParquetColumnsOut.write(file, NAMES, TYPES, columns(TYPES, rows),
                CompressionCodecName.SNAPPY, 1 << 20, threads))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column i (int)")
                .hasMessageContaining("32-bit");
            assertThat(Files.readString(file)).isEqualTo("old");
            assertThat(listDir()).containsExactly("out.parquet");
        }
    }

    @Test
    void columnsThatDoNotMatchTheSchemaAreRefused() {
        Path file = dir.resolve("bad.parquet");
        List<ColumnType> two = List.of(ColumnType.LONG, ColumnType.STRING);
        assertThatThrownBy(() -> ParquetColumnsOut.write(file, List.of("x", "y"), two,
            List.of(new ValueColumn(ColumnType.LONG, 3), new ValueColumn(ColumnType.STRING, 2))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column y has 2 values");
        assertThatThrownBy(() -> ParquetColumnsOut.write(file, List.of("x", "y"), two,
            List.of(new ValueColumn(ColumnType.DOUBLE, 1), new ValueColumn(ColumnType.STRING, 1))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column x (long)");
        assertThatThrownBy(() -> ParquetColumnsOut.write(file, List.of("x"), two,
            List.of(new ValueColumn(ColumnType.LONG, 1))))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void rowGroupsAreEqualInRowsAndBoundedByRawBytes() {
        List<ColumnType> types = List.of(ColumnType.LONG, ColumnType.DOUBLE);
        List<ValueColumn> cols = List.of(new ValueColumn(ColumnType.LONG, 1000), new ValueColumn(ColumnType.DOUBLE, 1000));
        ColumnType[] ts = types.toArray(new ColumnType[0]);
        assertThat(ParquetColumnsOut.rowsPerGroup(cols, ts, 1000, 16_000)).isEqualTo(1000);
        assertThat(ParquetColumnsOut.rowsPerGroup(cols, ts, 1000, 15_999)).isEqualTo(500);
        assertThat(ParquetColumnsOut.rowsPerGroup(cols, ts, 1000, 1)).isEqualTo(1);
    }

    // --- helpers ---

    private Path writeRows(String name, List<String> names, List<ColumnType> types, Object[][] rows) throws IOException {
        Path file = dir.resolve(name);
        try (ParquetOut out = new ParquetOut(file, names, types)) {
            for (Object[] row : rows) {
                out.write(row);
            }
        }
        return file;
    }

    private static List<ValueColumn> columns(List<ColumnType> types, Object[][] rows) {
        List<ValueColumn> cols = new ArrayList<>();
        for (int c = 0; c < types.size(); c++) {
            cols.add(ValueColumn.ofRows(types.get(c), rows, c));
        }
        return cols;
    }

    private static final String[] ALPHABET = {"a", "b", "Z", "0", " ", "é", "ß", "Ω", "日", "本", "😀", "👩‍💻", "\n", ","};

    /** s, i, l, f, d, b, t; about one value in ten is null; ints in long form, as training rows hold them. */
    private static Object[] randomRow(Random g) {
        Object[] row = new Object[7];
        StringBuilder sb = new StringBuilder();
        int len = g.nextInt(12);
        for (int k = 0; k < len; k++) {
            sb.append(ALPHABET[g.nextInt(ALPHABET.length)]);
        }
        row[0] = g.nextBoolean() ? sb.toString() : "category-" + g.nextInt(40);
        row[1] = g.nextBoolean() ? (long) g.nextInt() : (long) (g.nextInt(2001) - 1000);
        row[2] = g.nextLong();
        row[3] = g.nextGaussian() * 1e6;
        row[4] = g.nextInt(50) == 0 ? Double.NaN : g.nextBoolean() ? g.nextGaussian() * 1e12 : (double) g.nextInt(100);
        row[5] = g.nextBoolean();
        row[6] = 1_600_000_000_000L + g.nextInt(1_000_000_000) * 100L;
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

    private static org.apache.parquet.hadoop.metadata.ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader r = ParquetTestFiles.openRaw(file)) {
            return r.getFooter();
        }
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

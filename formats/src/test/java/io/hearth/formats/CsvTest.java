package io.hearth.formats;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The CSV rule every path shares: an unquoted empty cell is null, a quoted empty cell the empty string. */
class CsvTest {
    private static List<String[]> read(String csv) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = Csv.rows(csv.getBytes(StandardCharsets.UTF_8))) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void anUnquotedEmptyCellIsNullAndAQuotedOneIsTheEmptyString() throws IOException {
        List<String[]> rows = read("customer_id,tier,tenure_days,updated_at\nc7,,120,2026-11-01T10:00:00Z\nc8,\"\",,x\n");
        assertThat(rows.get(1)).containsExactly("c7", null, "120", "2026-11-01T10:00:00Z");
        assertThat(rows.get(2)).containsExactly("c8", "", null, "x");
    }

    @Test
    void aTrailingEmptyCellIsNullToo() throws IOException {
        assertThat(read("a,b\n1,\n").get(1)).containsExactly("1", null);
    }

    @Test
    void writingKeepsNullAndTheEmptyStringApartAndQuotesWhatMustBe() throws IOException {
        String[] cells = {null, "", "plain", "a,b", "say \"hi\"", "two\nlines", " padded "};
        StringWriter w = new StringWriter();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                w.write(',');
            }
            Csv.cell(w, cells[i]);
        }
        assertThat(w.toString()).isEqualTo(",\"\",plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded \"");
        assertThat(read(w + "\n").get(0)).containsExactly(cells);
    }

    @Test
    void randomCellsSurviveAWriteAndARead() throws IOException {
        long seed = Seeds.seed("CsvTest");
        SplittableRandom rnd = new SplittableRandom(seed);
        String alphabet = "ab ,\"\n\r;ü";
        for (int round = 0; round < 500; round++) {
            String[] cells = new String[rnd.nextInt(1, 6)];
            for (int i = 0; i < cells.length; i++) {
                int n = rnd.nextInt(-1, 6);
                if (n >= 0) {
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < n; k++) {
                        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                    }
                    cells[i] = sb.toString();
                }
            }
            StringWriter w = new StringWriter();
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    w.write(',');
                }
                Csv.cell(w, cells[i]);
            }
            if (cells.length == 1 && cells[0] == null) {
                continue; // a lone null cell is an empty line
            }
            assertThat(read(w + "\n").get(0)).as("seed %d, cells %s", seed, java.util.Arrays.toString(cells))
                .containsExactly(cells);
        }
    }

    @Test
    void recordsSplitAtLineBreaksOutsideQuotesWhateverTheChunks() {
        String body = "a,b\r\n1,\"x\ny\"\n2,\"\"\"\"\n3,last";
        List<String> whole = split(body, body.length());
        assertThat(whole).containsExactly("a,b", "1,\"x\ny\"", "2,\"\"\"\"", "3,last");
        for (int chunk = 1; chunk < body.length(); chunk++) {
            assertThat(split(body, chunk)).as("chunks of %d bytes", chunk).isEqualTo(whole);
        }
        assertThat(CsvRecords.cells("1,\"x\ny\"".getBytes(StandardCharsets.UTF_8))).containsExactly("1", "x\ny");
    }

    private static List<String> split(String body, int chunk) {
        List<String> out = new ArrayList<>();
        CsvRecords r = new CsvRecords(1000, b -> out.add(new String(b, StandardCharsets.UTF_8)));
        byte[] all = body.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < all.length; i += chunk) {
            r.feed(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + chunk)));
        }
        r.end();
        return out;
    }

    @Test
    void aQuoteThatNeverClosesIsARecordTooLongNotAHang() {
        CsvRecords r = new CsvRecords(100, b -> { });
        assertThatThrownBy(() -> r.feed(("1,\"" + "x\n".repeat(100)).getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(CsvRecords.TooLong.class);
    }

    @Test
    void aBrokenRecordSaysWhyWithoutJavaTypes() {
        assertThatThrownBy(() -> CsvRecords.cells("1,\"a\"b".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not valid CSV")
            .hasMessageNotContaining("java.");
        assertThatThrownBy(() -> CsvRecords.cells(new byte[] {'a', (byte) 0x99, 'b'}))
            .hasMessageContaining("not UTF-8");
    }

    @Test
    void aHeaderNeedsANameForEveryColumnAndNoneTwice() {
        assertThat(CsvRecords.headerProblem(new String[] {"a", "b"})).isNull();
        assertThat(CsvRecords.headerProblem(new String[] {"a", null})).contains("column 2");
        assertThat(CsvRecords.headerProblem(new String[] {"a", "a"})).contains("'a' appears twice");
    }
}

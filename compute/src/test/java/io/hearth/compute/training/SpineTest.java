package io.hearth.compute.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SpineTest {
    static Definitions defs;

    @BeforeAll
    static void load() throws Exception {
        defs = DefinitionsParser.parse("definitions.yaml", Files.readString(Path.of("../config/demo/definitions.yaml")));
    }

    static Spine spine(List<String> header, String[]... rows) {
        return Spine.fromText(header, List.of(rows).iterator(), defs.entity("customer").orElseThrow(),
            defs.source("orders").orElseThrow(), "event_ts");
    }

    @Test
    void passThroughColumnsAreTypedOnlyWhenEveryValueReadsBackUnchanged() {
        Spine s = spine(List.of("customer_id", "event_ts", "zip", "n", "x", "code", "big"),
            new String[] {"C1", "2026-01-01T00:00:00Z", "02134", "5", "0.25", "1d", "12345678901234567890"},
            new String[] {"C2", "1767225600000", "10001", "-7", "3", "+5", "1"});
        assertThat(s.types()).containsExactly(ColumnType.STRING, ColumnType.TIMESTAMP, ColumnType.STRING, ColumnType.LONG,
            ColumnType.DOUBLE, ColumnType.STRING, ColumnType.STRING);
        assertThat(s.rows()[0][2]).isEqualTo("02134");
        assertThat(s.rows()[1][3]).isEqualTo(-7L);
        assertThat(s.rows()[1][4]).isEqualTo(3.0);
        assertThat(s.rows()[0][5]).isEqualTo("1d");
        assertThat(s.times()[1]).isEqualTo(1767225600000L);
        assertThat(s.entities()).containsExactly("C1", "C2");
    }

    @Test
    void nullCellsAreNullsAndDoNotDecideTheType() {
        Spine s = spine(List.of("customer_id", "event_ts", "label"), new String[] {"C1", "2026-01-01", null},
            new String[] {"C1", "2026-01-02", "1"});
        assertThat(s.types().get(2)).isEqualTo(ColumnType.LONG);
        assertThat(s.rows()[0][2]).isNull();
    }

    @Test
    void anEmptyStringIsAStringValueNotANull() {
        Spine s = spine(List.of("customer_id", "event_ts", "label"), new String[] {"C1", "2026-01-01", ""},
            new String[] {"C1", "2026-01-02", "1"}, new String[] {"C1", "2026-01-03", null});
        assertThat(s.types().get(2)).isEqualTo(ColumnType.STRING);
        assertThat(s.rows()[0][2]).isEqualTo("");
        assertThat(s.rows()[2][2]).isNull();
    }

    @Test
    void theCellsAsGivenAreKeptForTextOutputs() {
        String[] row = {"C1", "2026-11-25T12:00:00Z", "1.50"};
        Spine s = spine(List.of("customer_id", "event_ts", "x"), row);
        assertThat(s.text().get(0)).containsExactly("C1", "2026-11-25T12:00:00Z", "1.50");
        assertThat(s.rows()[0][2]).as("typed, for Parquet and SQL").isEqualTo(1.5);
    }

    @Test
    void aNullTimeOrKeyIsRefusedNamingTheRow() {
        assertThatThrownBy(() -> spine(List.of("customer_id", "event_ts"), new String[] {"C1", null}))
            .hasMessageContaining("row 1").hasFieldOrPropertyWithValue("rule", "spine.timestamp");
        assertThatThrownBy(() -> spine(List.of("customer_id", "event_ts"), new String[] {null, "2026-01-01"}))
            .hasMessageContaining("row 1").hasFieldOrPropertyWithValue("rule", "spine.join_key");
        assertThatThrownBy(() -> spine(java.util.Arrays.asList("customer_id", null), new String[] {"C1", "2026-01-01"}))
            .hasFieldOrPropertyWithValue("rule", "spine.header");
        assertThatThrownBy(() -> spine(List.of("customer_id", "event_ts"), new String[] {"C1", "-5"}))
            .hasMessageContaining("1970-01-01");
    }

    @Test
    void errorsNameTheColumnAndTheRow() {
        assertThatThrownBy(() -> spine(List.of("customer_id", "ts"), new String[] {"C1", "2026-01-01"}))
            .isInstanceOf(SpineException.class).hasFieldOrPropertyWithValue("rule", "spine.timestamp_column");
        assertThatThrownBy(() -> spine(List.of("id", "event_ts"), new String[] {"C1", "2026-01-01"}))
            .hasFieldOrPropertyWithValue("field", "customer_id").hasFieldOrPropertyWithValue("rule", "spine.join_key");
        assertThatThrownBy(() -> spine(List.of("customer_id", "event_ts"), new String[] {"C1", "2026-01-01"},
            new String[] {"C2", "soon"})).hasMessageContaining("row 2").hasMessageContaining("soon")
            .hasFieldOrPropertyWithValue("rule", "spine.timestamp");
        assertThatThrownBy(() -> spine(List.of("customer_id", "event_ts"), new String[] {"", "2026-01-01"}))
            .hasMessageContaining("row 1").hasFieldOrPropertyWithValue("rule", "spine.join_key");
        assertThatThrownBy(() -> spine(List.of("customer_id", "event_ts"), new String[] {"C1"}))
            .hasFieldOrPropertyWithValue("rule", "spine.row_width");
        assertThatThrownBy(() -> spine(List.of("customer_id", "event_ts", "event_ts"), new String[] {"C1", "1", "2"}))
            .hasFieldOrPropertyWithValue("rule", "spine.duplicate_column");
    }
}

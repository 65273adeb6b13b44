package io.hearth.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The small value types of the catalog. */
class ModelTest {

    @Test
    void featureRefParsesViewColonFeature() {
        FeatureRef r = FeatureRef.parse("customer_orders:spend_7d");
        assertThat(r).isEqualTo(new FeatureRef("customer_orders", "spend_7d"));
        assertThat(r.qualified()).isEqualTo("customer_orders:spend_7d");
        assertThat(r.columnName()).isEqualTo("customer_orders__spend_7d");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "view", ":feature", "view:", ":", "a:b:c", "a::b"})
    void featureRefWithoutExactlyOneInnerColonIsNotParsed(String text) {
        assertThat(FeatureRef.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "string, STRING", "str, STRING", "int, INT", "int32, INT", "integer, INT", "long, LONG", "int64, LONG",
        "bigint, LONG", "float, FLOAT", "float32, FLOAT", "double, DOUBLE", "float64, DOUBLE", "bool, BOOL",
        "boolean, BOOL", "timestamp, TIMESTAMP", "datetime, TIMESTAMP", "' Double ', DOUBLE",
    })
    void columnTypeAliasesParse(String text, ColumnType type) {
        assertThat(ColumnType.parse(text)).isEqualTo(type);
    }

    @Test
    void unknownColumnTypeIsNull() {
        assertThat(ColumnType.parse("decimal")).isNull();
        assertThat(ColumnType.parse(null)).isNull();
        assertThat(ColumnType.parse("")).isNull();
    }

    @Test
    void columnTypeSpellingParsesBack() {
        for (ColumnType t : ColumnType.values()) {
            assertThat(ColumnType.parse(t.spelling())).isEqualTo(t);
        }
    }

    @Test
    void onlyNumbersAreNumericAndBoolAndTimestampAreIntegral() {
        assertThat(ColumnType.values()).filteredOn(ColumnType::isNumeric)
            .containsExactly(ColumnType.INT, ColumnType.LONG, ColumnType.FLOAT, ColumnType.DOUBLE);
        assertThat(ColumnType.values()).filteredOn(ColumnType::isIntegral)
            .containsExactly(ColumnType.INT, ColumnType.LONG, ColumnType.BOOL, ColumnType.TIMESTAMP);
    }

    @Test
    void aggregationsParseBySpellingIgnoringCase() {
        for (Aggregation a : Aggregation.values()) {
            assertThat(Aggregation.parse(a.spelling())).isEqualTo(a);
            assertThat(Aggregation.parse(" " + a.name() + " ")).isEqualTo(a);
        }
        assertThat(Aggregation.parse("median")).isNull();
        assertThat(Aggregation.parse(null)).isNull();
        assertThat(Aggregation.COUNT_DISTINCT.spelling()).isEqualTo("count_distinct");
    }

    @Test
    void numericAggregationsAndColumnlessCountAreKnown() {
        assertThat(Aggregation.values()).filteredOn(Aggregation::needsNumeric).containsExactly(
            Aggregation.SUM, Aggregation.AVG, Aggregation.MIN, Aggregation.MAX, Aggregation.STDDEV);
        assertThat(Aggregation.values()).filteredOn(Aggregation::columnOptional).containsExactly(Aggregation.COUNT);
    }

    @Test
    void recordsCopyTheirCollections() {
        List<String> keys = new ArrayList<>(List.of("k"));
        Entity e = new Entity("e", keys, null);
        keys.add("j");
        assertThat(e.joinKeys()).containsExactly("k");
        assertThatThrownBy(() -> e.joinKeys().add("x")).isInstanceOf(UnsupportedOperationException.class);

        Map<String, ColumnType> schema = new LinkedHashMap<>(Map.of("k", ColumnType.STRING));
        Source s = new Source("s", "e", "ts", null, null, schema, Map.of(), 0.05, null, null);
        schema.put("x", ColumnType.INT);
        assertThat(s.schema()).containsOnlyKeys("k");
        assertThatThrownBy(() -> s.schema().put("y", ColumnType.INT)).isInstanceOf(UnsupportedOperationException.class);

        Map<String, String> tags = new LinkedHashMap<>(Map.of("a", "b"));
        FeatureView v = new FeatureView("v", "e", "s", true, 0, 0, List.of(), null, tags, null);
        tags.put("c", "d");
        assertThat(v.meta().tags()).containsExactly(new Tag("a", "b"));
        assertThatThrownBy(() -> v.meta().tags().add(Tag.word("x"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void viewWithoutWindowedFeaturesHasNoLongestWindow() {
        FeatureView v = new FeatureView("v", "e", "s", true, 0, 0, List.of(new Feature("f", "c", null, 0, null)),
            null, Map.of(), null);
        assertThat(v.longestWindowMillis()).isZero();
        assertThat(v.feature("f")).isPresent();
        assertThat(v.feature("g")).isEmpty();
    }
}

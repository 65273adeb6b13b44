package io.hearth.compute.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ColumnContract;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RowValidatorTest {
    private static final long NOON = 1_769_860_800_000L; // 2026-01-31T12:00:00Z

    private static RowValidator orders;
    private static RowValidator profiles;
    private static RowValidator visits; // composite key, long and bool columns, a string contract

    @BeforeAll
    static void definitions() throws IOException {
        Definitions defs = DefinitionsParser.parse("definitions.yaml",
            Files.readString(Path.of("../config/demo/definitions.yaml")));
        Entity customer = defs.entity("customer").orElseThrow();
        orders = new RowValidator(defs.source("orders").orElseThrow(), customer);
        profiles = new RowValidator(defs.source("profiles").orElseThrow(), customer);

        Map<String, ColumnType> schema = new LinkedHashMap<>();
        schema.put("store", ColumnType.STRING);
        schema.put("till", ColumnType.INT);
        schema.put("at", ColumnType.TIMESTAMP);
        schema.put("visits", ColumnType.LONG);
        schema.put("member", ColumnType.BOOL);
        schema.put("note", ColumnType.STRING);
        schema.put("ratio", ColumnType.FLOAT);
        Map<String, ColumnContract> contract = new LinkedHashMap<>();
        contract.put("note", new ColumnContract(true, null, null, null));
        contract.put("ratio", new ColumnContract(false, 0.0, 1.0, null));
        Source src = new Source("visits", "till", "at", null, null, schema, contract, 0.05, null, null);
        visits = new RowValidator(src, new Entity("till", List.of("store", "till"), null));
    }

    /** A valid CSV-like orders row; tests change one thing at a time. */
    private static Map<String, Object> order() {
        Map<String, Object> row = new HashMap<>();
        row.put("customer_id", "c1");
        row.put("order_id", "o1");
        row.put("amount", 12.5);
        row.put("channel", "web");
        row.put("event_ts", "2026-01-31T12:00:00Z");
        return row;
    }

    private static Map<String, Object> order(String key, Object value) {
        Map<String, Object> row = order();
        if (value == REMOVE) {
            row.remove(key);
        } else {
            row.put(key, value);
        }
        return row;
    }

    private static final Object REMOVE = new Object();

    private static RowCheck.Rejected rejected(RowCheck c) {
        assertThat(c).isInstanceOf(RowCheck.Rejected.class);
        return (RowCheck.Rejected) c;
    }

    private static RowCheck.Accepted accepted(RowCheck c) {
        assertThat(c).as("accepted, not %s", c).isInstanceOf(RowCheck.Accepted.class);
        return (RowCheck.Accepted) c;
    }

    private static void assertRejects(RowValidator v, Map<String, Object> row, String field, String rule) {
        RowCheck.Rejected r = rejected(v.check(row));
        assertThat(r.rule()).as("rule for " + row).isEqualTo(rule);
        assertThat(r.field()).as("field for " + row).isEqualTo(field);
        assertThat(r.message()).as("message names the field").contains(field);
    }

    // ------------------------------------------------------------------ schema

    @Test
    void storedColumnsAreTheSchemaLessKeysAndTimes() {
        assertThat(orders.columns()).containsExactly("order_id", "amount", "channel");
        assertThat(orders.columnTypes()).containsExactly(ColumnType.STRING, ColumnType.DOUBLE, ColumnType.STRING);
        assertThat(profiles.columns()).containsExactly("tier", "tenure_days");
        assertThat(visits.columns()).containsExactly("visits", "member", "note", "ratio");
        EventBlock empty = orders.newBlock().build();
        assertThat(empty.columnNames()).containsExactly("order_id", "amount", "channel");
    }

    @Test
    void unknownFieldIsRejectedBeforeAnythingElse() {
        Map<String, Object> row = order("coupon", "X");
        row.remove("customer_id");
        assertRejects(orders, row, "coupon", "schema.unknown_field");
        assertThat(rejected(orders.check(row)).message()).contains("orders");
    }

    @Test
    void missingOrEmptyJoinKeyIsRequired() {
        assertRejects(orders, order("customer_id", REMOVE), "customer_id", "schema.required");
        assertRejects(orders, order("customer_id", null), "customer_id", "schema.required");
        assertRejects(orders, order("customer_id", ""), "customer_id", "schema.required");
        Map<String, Object> v = visit();
        v.remove("till");
        assertRejects(visits, v, "till", "schema.required");
    }

    @Test
    void missingOrEmptyEventTimeIsRequired() {
        assertRejects(orders, order("event_ts", REMOVE), "event_ts", "schema.required");
        assertRejects(orders, order("event_ts", ""), "event_ts", "schema.required");
    }

    @Test
    void valuesOfTheWrongTypeAreRejected() {
        RowCheck.Rejected text = rejected(orders.check(order("amount", "abc")));
        assertThat(text.rule()).isEqualTo("schema.type");
        assertThat(text.field()).isEqualTo("amount");
        assertThat(text.message()).isEqualTo("field 'amount': expected double, got \"abc\"");

        assertRejects(profiles, profile("tenure_days", 1.5), "tenure_days", "schema.type");
        RowCheck.Rejected range = rejected(profiles.check(profile("tenure_days", 3_000_000_000L)));
        assertThat(range.rule()).isEqualTo("schema.type");
        assertThat(range.message()).contains("out of range");
        assertRejects(profiles, profile("tenure_days", "12x"), "tenure_days", "schema.type");

        RowCheck.Rejected nested = rejected(orders.check(order("amount", Map.of("value", 1))));
        assertThat(nested.rule()).isEqualTo("schema.type");
        assertThat(nested.message()).contains("nested object");
        assertThat(rejected(orders.check(order("channel", List.of("web")))).message()).contains("nested array");

        assertRejects(orders, order("amount", Double.NaN), "amount", "schema.type");
        assertRejects(orders, order("amount", "Infinity"), "amount", "schema.type");
    }

    @Test
    void badTimestampsAreTypeErrors() {
        RowCheck.Rejected text = rejected(orders.check(order("event_ts", "yesterday")));
        assertThat(text.rule()).isEqualTo("schema.type");
        assertThat(text.field()).isEqualTo("event_ts");
        assertThat(text.message()).contains("\"yesterday\"").contains("timestamp");
        assertRejects(orders, order("event_ts", 1.7698608E12), "event_ts", "schema.type");
        assertRejects(orders, order("event_ts", new BigDecimal("1769860800000")), "event_ts", "schema.type");
        assertRejects(orders, order("event_ts", true), "event_ts", "schema.type");
        assertRejects(orders, order("created_ts", "soon"), "created_ts", "schema.type");
    }

    @Test
    void joinKeyOfTheWrongTypeIsATypeError() {
        Map<String, Object> v = visit();
        v.put("till", "seven");
        assertRejects(visits, v, "till", "schema.type");
    }

    // ------------------------------------------------------------------ contract

    @Test
    void requiredColumnMustHaveAValue() {
        assertRejects(orders, order("amount", REMOVE), "amount", "contract.required");
        assertRejects(orders, order("amount", null), "amount", "contract.required");
        assertRejects(orders, order("amount", ""), "amount", "contract.required");
        Map<String, Object> v = visit();
        v.remove("note");
        assertRejects(visits, v, "note", "contract.required");
    }

    @Test
    void boundsAreInclusive() {
        assertRejects(orders, order("amount", -0.01), "amount", "contract.min");
        assertRejects(orders, order("amount", "100000.5"), "amount", "contract.max");
        assertRejects(profiles, profile("tenure_days", -1), "tenure_days", "contract.min");
        assertThat(rejected(orders.check(order("amount", -1))).message()).contains("below the minimum");
        assertThat(rejected(orders.check(order("amount", 100001))).message()).contains("above the maximum");
        accepted(orders.check(order("amount", 0)));
        accepted(orders.check(order("amount", 100_000)));
        Map<String, Object> v = visit();
        v.put("ratio", "1.0001");
        assertRejects(visits, v, "ratio", "contract.max");
    }

    @Test
    void valueOutsideAllowedSetIsRejected() {
        RowCheck.Rejected r = rejected(orders.check(order("channel", "fax")));
        assertThat(r.rule()).isEqualTo("contract.allowed");
        assertThat(r.field()).isEqualTo("channel");
        assertThat(r.message()).contains("fax").contains("web");
        assertRejects(profiles, profile("tier", "platinum"), "tier", "contract.allowed");
        assertRejects(orders, order("channel", ""), "channel", "contract.allowed");
        accepted(orders.check(order("channel", REMOVE)));
        accepted(orders.check(order("channel", "app")));
    }

    @Test
    void schemaErrorsComeBeforeContractErrors() {
        Map<String, Object> row = order("channel", "fax");
        row.put("amount", "abc");
        assertRejects(orders, row, "amount", "schema.type");
        row.remove("event_ts");
        assertRejects(orders, row, "event_ts", "schema.required");
    }

    // ------------------------------------------------------------------ accepted rows

    @Test
    void csvTextIsCoercedToColumnTypes() {
        Map<String, Object> row = new HashMap<>();
        row.put("customer_id", "c9");
        row.put("order_id", "o-77");
        row.put("amount", " 12.50 ");
        row.put("channel", "store");
        row.put("event_ts", "2026-01-31T14:00:00+02:00");
        row.put("created_ts", "1769860800123");
        RowCheck.Accepted a = accepted(orders.check(row));
        assertThat(a.entity()).isEqualTo("c9");
        assertThat(a.eventTs()).isEqualTo(NOON);
        assertThat(a.createdTs()).isEqualTo(NOON + 123);
        assertThat(a.idHash()).isEqualTo(EventBlock.idHash("o-77")).isNotZero();
        assertThat(a.values()).containsExactly("o-77", 12.5, "store");

        RowCheck.Accepted p = accepted(profiles.check(profile("tenure_days", "42")));
        assertThat(p.values()).containsExactly("gold", 42L);
    }

    @Test
    void emptyTextOfNonStringColumnIsNull() {
        RowCheck.Accepted p = accepted(profiles.check(profile("tenure_days", "")));
        assertThat(p.values()).containsExactly("gold", null);
        Map<String, Object> v = visit();
        v.put("note", "");
        v.put("visits", "");
        v.put("member", "");
        RowCheck.Accepted a = accepted(visits.check(v));
        assertThat(a.values()).as("an empty string column stays the empty string").containsExactly(null, null, "", 0.5);
    }

    @Test
    void epochMillisAndIsoTimestampsAreAccepted() {
        assertThat(accepted(orders.check(order("event_ts", NOON))).eventTs()).isEqualTo(NOON);
        assertThat(accepted(orders.check(order("event_ts", (int) 5))).eventTs()).isEqualTo(5);
        assertThat(accepted(orders.check(order("event_ts", "1769860800000"))).eventTs()).isEqualTo(NOON);
        assertThat(accepted(orders.check(order("event_ts", "2026-01-31 12:00:00"))).eventTs()).isEqualTo(NOON);
        assertThat(accepted(orders.check(order("event_ts", "2026-01-31T07:00:00-05:00"))).eventTs()).isEqualTo(NOON);
    }

    @Test
    void missingCreatedTimeAndIdGiveTheirNoneMarkers() {
        RowCheck.Accepted a = accepted(orders.check(order("order_id", REMOVE)));
        assertThat(a.createdTs()).isEqualTo(EventBlock.NO_CREATED);
        assertThat(a.idHash()).isZero();
        assertThat(accepted(orders.check(order("created_ts", ""))).createdTs()).isEqualTo(EventBlock.NO_CREATED);
        assertThat(accepted(orders.check(order("order_id", ""))).idHash()).isZero();
        assertThat(accepted(profiles.check(profile("tier", "gold"))).idHash()).as("no id field").isZero();
    }

    @Test
    void jsonNumbersCoerceToColumnTypes() {
        RowCheck.Accepted a = accepted(orders.check(order("amount", 12)));
        assertThat(a.values()[1]).isEqualTo(12.0);
        assertThat(accepted(orders.check(order("amount", new BigDecimal("0.1")))).values()[1]).isEqualTo(0.1);
        assertThat(accepted(profiles.check(profile("tenure_days", 7.0))).values()[1]).as("a whole double is an int")
            .isEqualTo(7L);
        assertThat(accepted(profiles.check(profile("tenure_days", BigInteger.TEN))).values()[1]).isEqualTo(10L);
        assertThat(accepted(profiles.check(profile("tenure_days", Integer.MAX_VALUE))).values()[1])
            .isEqualTo((long) Integer.MAX_VALUE);
        assertThat(accepted(orders.check(order("channel", "web"))).values()[0]).isEqualTo("o1");
    }

    @Test
    void compositeKeysJoinTheirCanonicalParts() {
        RowCheck.Accepted a = accepted(visits.check(visit()));
        assertThat(a.entity()).isEqualTo("north" + EntityKeys.SEPARATOR + "7");
        assertThat(EntityKeys.decode(a.entity())).containsExactly("north", "7");
        Map<String, Object> v = visit();
        v.put("till", "7");
        assertThat(accepted(visits.check(v)).entity()).as("7 and \"7\" are the same key").isEqualTo(a.entity());
        v.put("till", 7.0);
        assertThat(accepted(visits.check(v)).entity()).isEqualTo(a.entity());
        assertThat(a.values()).containsExactly(3L, true, "hello", 0.5);
    }

    @Test
    void coerceHandlesEveryType() {
        assertThat(RowValidator.coerce(ColumnType.STRING, 1.50)).isEqualTo("1.5");
        assertThat(RowValidator.coerce(ColumnType.STRING, 1e20)).isEqualTo("100000000000000000000");
        assertThat(RowValidator.coerce(ColumnType.STRING, 7)).isEqualTo("7");
        assertThat(RowValidator.coerce(ColumnType.STRING, true)).isEqualTo("true");
        assertThat(RowValidator.coerce(ColumnType.LONG, " -12 ")).isEqualTo(-12L);
        assertThat(RowValidator.coerce(ColumnType.LONG, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(RowValidator.coerce(ColumnType.INT, Integer.MIN_VALUE)).isEqualTo((long) Integer.MIN_VALUE);
        assertThat(RowValidator.coerce(ColumnType.DOUBLE, "1e3")).isEqualTo(1000.0);
        assertThat(RowValidator.coerce(ColumnType.FLOAT, 0.5f)).isEqualTo(0.5);
        assertThat(RowValidator.coerce(ColumnType.BOOL, "TRUE")).isEqualTo(true);
        assertThat(RowValidator.coerce(ColumnType.BOOL, "1")).isEqualTo(true);
        assertThat(RowValidator.coerce(ColumnType.BOOL, " false")).isEqualTo(false);
        assertThat(RowValidator.coerce(ColumnType.BOOL, "0")).isEqualTo(false);
        assertThat(RowValidator.coerce(ColumnType.BOOL, false)).isEqualTo(false);
        assertThat(RowValidator.coerce(ColumnType.TIMESTAMP, "2026-01-31")).isEqualTo(NOON - 43_200_000L);
        assertThatThrownBy(() -> RowValidator.coerce(ColumnType.BOOL, "yes")).hasMessage("expected bool, got \"yes\"");
        assertThatThrownBy(() -> RowValidator.coerce(ColumnType.BOOL, 1)).hasMessageContaining("expected bool");
        assertThatThrownBy(() -> RowValidator.coerce(ColumnType.INT, (long) Integer.MAX_VALUE + 1))
            .hasMessageContaining("out of range");
        assertThatThrownBy(() -> RowValidator.coerce(ColumnType.LONG, new BigInteger("9223372036854775808")))
            .hasMessageContaining("expected long");
        assertThatThrownBy(() -> RowValidator.coerce(ColumnType.LONG, 1e16)).as("beyond exact doubles")
            .hasMessageContaining("expected long");
        assertThatThrownBy(() -> RowValidator.coerce(ColumnType.DOUBLE, true)).hasMessage("expected double, got true");
        assertThat(RowValidator.coerce(ColumnType.STRING, "x".repeat(100))).as("strings take any text")
            .isEqualTo("x".repeat(100));
        assertThatThrownBy(() -> RowValidator.coerce(ColumnType.DOUBLE, "y".repeat(100)))
            .hasMessageContaining("...\"").hasMessageNotContaining("y".repeat(61));
    }

    private static Map<String, Object> profile(String key, Object value) {
        Map<String, Object> row = new HashMap<>();
        row.put("customer_id", "c1");
        row.put("tier", "gold");
        row.put("tenure_days", 10);
        row.put("updated_at", "2026-01-31T12:00:00Z");
        row.put(key, value);
        return row;
    }

    private static Map<String, Object> visit() {
        Map<String, Object> row = new HashMap<>();
        row.put("store", "north");
        row.put("till", 7);
        row.put("at", NOON);
        row.put("visits", 3);
        row.put("member", "true");
        row.put("note", "hello");
        row.put("ratio", 0.5);
        return row;
    }
}

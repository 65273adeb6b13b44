package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.example;
import static io.hearth.catalog.Fixtures.exampleText;
import static io.hearth.catalog.Fixtures.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.Plan.Change;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Which changes to a source's columns a plan marks safe (stored events stay readable and correct, records keep
 * flowing) and which breaking (they need force), each with a message naming the column and the rule.
 */
class SchemaEvolutionTest {
    private static final List<String> KEYS = List.of("user_id");

    private static Source source(Map<String, ColumnType> extra, Map<String, ColumnContract> contract) {
        Map<String, ColumnType> schema = new LinkedHashMap<>();
        schema.put("user_id", ColumnType.STRING);
        schema.put("ts", ColumnType.TIMESTAMP);
        schema.putAll(extra);
        return new Source("clicks", "user", "ts", null, null, schema, contract, 0.05, null, null);
    }

    private static Source columns(Object... nameAndType) {
        Map<String, ColumnType> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndType.length; i += 2) {
            m.put((String) nameAndType[i], (ColumnType) nameAndType[i + 1]);
        }
        return source(m, Map.of());
    }

    private static Source withContract(ColumnContract c) {
        return source(Map.of("n", ColumnType.LONG, "tier", ColumnType.STRING), c == null ? Map.of() : Map.of("n", c));
    }

    private static Source tiers(List<String> allowed) {
        return source(Map.of("n", ColumnType.LONG, "tier", ColumnType.STRING),
            allowed == null ? Map.of() : Map.of("tier", new ColumnContract(false, null, null, allowed)));
    }

    private static SchemaEvolution between(Source a, Source b) {
        return SchemaEvolution.of(a, b, KEYS, KEYS);
    }

    private static void assertSafe(SchemaEvolution e, String... starts) {
        assertThat(e.breaks()).as("breaks").isEmpty();
        assertThat(e.safe()).hasSize(starts.length);
        for (int i = 0; i < starts.length; i++) {
            assertThat(e.safe().get(i)).startsWith(starts[i]);
        }
    }

    private static Plan.Break onlyBreak(SchemaEvolution e) {
        assertThat(e.safe()).as("safe").isEmpty();
        assertThat(e.breaks()).hasSize(1);
        Plan.Break b = e.breaks().get(0);
        assertThat(b.needsForce()).as("a schema or contract break needs force").isTrue();
        return b;
    }

    @Nested
    class Safe {
        @Test
        void addingANullableColumnIsSafeAndOlderEventsReadNull() {
            assertSafe(between(columns(), columns("discount", ColumnType.DOUBLE)),
                "column discount added (nullable, double): events stored before read null for it");
        }

        @Test
        void wideningIntToLongToDoubleIsSafe() {
            assertSafe(between(columns("n", ColumnType.INT), columns("n", ColumnType.LONG)),
                "column n widened int -> long: events stored before read as long");
            assertSafe(between(columns("n", ColumnType.INT), columns("n", ColumnType.DOUBLE)),
                "column n widened int -> double");
            assertSafe(between(columns("n", ColumnType.LONG), columns("n", ColumnType.DOUBLE)),
                "column n widened long -> double: events stored before read as double (exactly up to 2^53");
            assertSafe(between(columns("n", ColumnType.FLOAT), columns("n", ColumnType.DOUBLE)),
                "column n widened float -> double");
        }

        @Test
        void aJoinKeyMayWidenFromIntToLongOnlyAsItsTextStaysTheSame() {
            Source a = new Source("s", "u", "ts", null, null, Map.of("k", ColumnType.INT, "ts", ColumnType.TIMESTAMP),
                Map.of(), 0.05, null, null);
            Source longer = new Source("s", "u", "ts", null, null, Map.of("k", ColumnType.LONG, "ts",
                ColumnType.TIMESTAMP), Map.of(), 0.05, null, null);
            Source dbl = new Source("s", "u", "ts", null, null, Map.of("k", ColumnType.DOUBLE, "ts",
                ColumnType.TIMESTAMP), Map.of(), 0.05, null, null);
            assertThat(SchemaEvolution.of(a, longer, List.of("k"), List.of("k")).breaks()).isEmpty();
            assertThat(onlyBreak(SchemaEvolution.of(a, dbl, List.of("k"), List.of("k"))).reason())
                .startsWith("column k type int -> double changes a join key");
        }

        @Test
        void loweringAMinOrRaisingAMaxOrDroppingEitherLoosens() {
            assertSafe(between(withContract(new ColumnContract(false, 10.0, 100.0, null)),
                    withContract(new ColumnContract(false, 5.0, 200.0, null))),
                "column n: contract.min 10 -> 5: loosened", "column n: contract.max 100 -> 200: loosened");
            assertSafe(between(withContract(new ColumnContract(false, 10.0, 100.0, null)),
                    withContract(new ColumnContract(false, null, null, null))),
                "column n: contract.min 10 dropped: loosened", "column n: contract.max 100 dropped: loosened");
        }

        @Test
        void requiredToOptionalLoosens() {
            assertSafe(between(withContract(new ColumnContract(true, null, null, null)), withContract(null)),
                "column n: contract.required dropped: loosened");
        }

        @Test
        void addingAnAllowedValueOrDroppingTheListLoosens() {
            assertSafe(between(tiers(List.of("bronze", "gold")), tiers(List.of("bronze", "gold", "platinum"))),
                "column tier: contract.allowed adds [platinum]: loosened");
            assertSafe(between(tiers(List.of("bronze", "gold")), tiers(null)),
                "column tier: contract.allowed dropped: loosened");
        }
    }

    @Nested
    class Breaking {
        @Test
        void droppingAColumnIsBreakingAndSaysWhatHappensToStoredValuesAndLateSenders() {
            Plan.Break b = onlyBreak(between(columns("coupon", ColumnType.STRING), columns()));
            assertThat(b.parts()).containsExactly("coupon");
            assertThat(b.reason()).isEqualTo("column coupon removed: its stored values become unreadable, and records "
                + "still sending coupon are quarantined (schema.unknown_field)");
        }

        @Test
        void renamingAColumnIsADropAndAnAddAndThePlanSaysSo() {
            SchemaEvolution e = between(columns("coupon", ColumnType.STRING), columns("voucher", ColumnType.STRING));
            assertThat(e.breaks()).singleElement().extracting(Plan.Break::reason).asString()
                .startsWith("column coupon removed (a rename to voucher is a drop and an add: voucher reads null for "
                    + "stored events)");
            assertThat(e.safe()).containsExactly("column voucher added (nullable, string): events stored before read "
                + "null for it");
        }

        @Test
        void narrowingATypeIsBreaking() {
            assertThat(onlyBreak(between(columns("n", ColumnType.DOUBLE), columns("n", ColumnType.LONG))).reason())
                .isEqualTo("column n narrowed double -> long: stored values long cannot hold read changed (1.5 reads 1)");
            assertThat(onlyBreak(between(columns("n", ColumnType.LONG), columns("n", ColumnType.INT))).reason())
                .startsWith("column n narrowed long -> int");
            assertThat(onlyBreak(between(columns("n", ColumnType.INT), columns("n", ColumnType.FLOAT))).reason())
                .as("a float column is written as float32 in training files: not every int fits")
                .startsWith("column n narrowed int -> float");
        }

        @Test
        void changingAColumnsKindIsBreaking() {
            assertThat(onlyBreak(between(columns("n", ColumnType.STRING), columns("n", ColumnType.LONG))).reason())
                .isEqualTo("column n type string -> long is no widening: stored values read converted (text that "
                    + "spells no number reads null), and features over n change meaning");
            assertThat(onlyBreak(between(columns("n", ColumnType.LONG), columns("n", ColumnType.STRING))).reason())
                .startsWith("column n type long -> string is no widening");
        }

        @Test
        void addingAColumnAsRequiredIsBreakingAsStoredEventsHaveNone() {
            Source next = source(Map.of("n", ColumnType.LONG), Map.of("n", new ColumnContract(true, null, null, null)));
            assertThat(onlyBreak(between(columns(), next)).reason()).startsWith("column n added with contract.required: "
                + "events stored before have no n and would fail it");
        }

        @Test
        void makingAColumnRequiredTightensItsContract() {
            assertThat(onlyBreak(between(withContract(null), withContract(new ColumnContract(true, null, null, null))))
                .reason()).isEqualTo("column n: contract.required added tightens it: stored events where n is null "
                    + "would fail it, and records without n are quarantined from now on");
        }

        @Test
        void raisingAMinOrAddingOneTightensItsContract() {
            assertThat(onlyBreak(between(withContract(new ColumnContract(false, 0.0, null, null)),
                withContract(new ColumnContract(false, 10.0, null, null)))).reason())
                .isEqualTo("column n: contract.min 0 -> 10 tightens it: stored events with n below 10 would fail it");
            assertThat(onlyBreak(between(withContract(null), withContract(new ColumnContract(false, 0.5, null, null))))
                .reason()).isEqualTo("column n: contract.min 0.5 added tightens it: stored events with n below 0.5 "
                    + "would fail it");
        }

        @Test
        void loweringAMaxOrAddingOneTightensItsContract() {
            assertThat(onlyBreak(between(withContract(new ColumnContract(false, null, 100.0, null)),
                withContract(new ColumnContract(false, null, 50.0, null)))).reason())
                .isEqualTo("column n: contract.max 100 -> 50 tightens it: stored events with n above 50 would fail it");
            assertThat(onlyBreak(between(withContract(null), withContract(new ColumnContract(false, null, 9.0, null))))
                .reason()).startsWith("column n: contract.max 9 added tightens it");
        }

        @Test
        void droppingAnAllowedValueOrAddingTheListTightensItsContract() {
            assertThat(onlyBreak(between(tiers(List.of("bronze", "gold")), tiers(List.of("bronze")))).reason())
                .isEqualTo("column tier: contract.allowed drops [gold], which tightens it: stored events with tier in "
                    + "[gold] would fail it");
            assertThat(onlyBreak(between(tiers(null), tiers(List.of("bronze")))).reason())
                .isEqualTo("column tier: contract.allowed [bronze] added tightens it: stored events with tier not in "
                    + "[bronze] would fail it");
        }

        @Test
        void swappingAnAllowedValueIsOneSafeAndOneBreakingPart() {
            SchemaEvolution e = between(tiers(List.of("bronze", "gold")), tiers(List.of("bronze", "platinum")));
            assertThat(e.safe()).containsExactly("column tier: contract.allowed adds [platinum]: loosened");
            assertThat(e.breaks()).singleElement().extracting(Plan.Break::reason).asString()
                .startsWith("column tier: contract.allowed drops [gold]");
        }
    }

    @Nested
    class InAPlan {
        private final String text = exampleText();

        private Change onlyChange(String from, String to) {
            Plan plan = Plan.between(example(), DefinitionsParser.parse("edited.yaml", replaceOnce(text, from, to)));
            assertThat(plan.changes()).as(plan.render()).hasSize(1);
            return plan.changes().get(0);
        }

        @Test
        void aSafeChangeIsMarkedSafeInTheTextAndNeedsNoForce() {
            Plan plan = Plan.between(example(), DefinitionsParser.parse("edited.yaml",
                replaceOnce(text, "      channel: string\n", "      channel: string\n      coupon: string\n")));
            Change c = plan.changes().get(0);
            assertThat(c.isSafe()).isTrue();
            assertThat(c.needsForce()).isFalse();
            assertThat(plan.needingForce()).isEmpty();
            assertThat(plan.render()).contains("  ~ source orders   [safe]\n")
                .contains("      = safe: column coupon added (nullable, string): events stored before read null for it\n")
                .doesNotContain("--force");
        }

        @Test
        void aLoosenedContractOfTheExampleIsSafe() {
            Change c = onlyChange("channel: {allowed: [web, store, app]}", "channel: {allowed: [web, store, app, phone]}");
            assertThat(c.safe()).containsExactly("column channel: contract.allowed adds [phone]: loosened");
            assertThat(c.isBreaking()).isFalse();
        }

        @Test
        void aTightenedContractNeedsForceAndThePlanSaysHowToGiveIt() {
            Plan plan = Plan.between(example(), DefinitionsParser.parse("edited.yaml",
                replaceOnce(text, "amount: {required: true, min: 0, max: 100000}",
                    "amount: {required: true, min: 1, max: 100000}")));
            assertThat(plan.needingForce()).containsExactly("source orders: column amount: contract.min 0 -> 1 tightens "
                + "it: stored events with amount below 1 would fail it");
            assertThat(plan.render()).contains("  ~ source orders   [BREAKING: needs --force]\n")
                .contains("applying refuses them unless forced (--force, force=true)");
        }

        @Test
        void breaksOutsideTheSchemaNeedNoForce() {
            Change c = onlyChange("ttl: 30d", "ttl: 60d");
            assertThat(c.isBreaking()).isTrue();
            assertThat(c.needsForce()).as("a ttl change is refused only when it reaches a model in use").isFalse();
        }
    }
}

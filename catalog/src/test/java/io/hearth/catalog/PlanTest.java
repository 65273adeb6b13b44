package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.example;
import static io.hearth.catalog.Fixtures.exampleText;
import static io.hearth.catalog.Fixtures.replaceOnce;
import static io.hearth.catalog.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.hearth.catalog.Plan.Action;
import io.hearth.catalog.Plan.Change;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What applying definitions would change, and which changes break stored data or served values. */
class PlanTest {
    private static final String EXAMPLE = exampleText();
    /** The window of spend_7d (max_order_7d has a 7d window too). */
    private static final String SPEND_WINDOW = "        window: 7d\n        description: Total spent";

    private static Definitions edited(String from, String to) {
        return DefinitionsParser.parse("edited.yaml", replaceOnce(EXAMPLE, from, to));
    }

    /** The one change of a plan that has exactly one. */
    private static Change onlyChange(Plan plan) {
        assertThat(plan.changes()).as(plan.render()).hasSize(1);
        return plan.changes().get(0);
    }

    private static Change change(Plan plan, String kind, String name) {
        return plan.changes().stream().filter(c -> c.kind().equals(kind) && c.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("no change to " + kind + " " + name + " in\n" + plan.render()));
    }

    @Nested
    class Shape {
        @Test
        void fromNothingEveryObjectIsAnAdd() {
            Plan plan = Plan.between(Definitions.empty(), example());
            assertThat(plan.changes()).extracting(Change::kind, Change::name, Change::action).containsExactly(
                tuple("entity", "customer", Action.ADD),
                tuple("source", "orders", Action.ADD),
                tuple("source", "profiles", Action.ADD),
                tuple("feature_view", "customer_orders", Action.ADD),
                tuple("feature_view", "customer_profile", Action.ADD),
                tuple("feature_service", "churn_model_v1", Action.ADD),
                tuple("model", "churn_v1", Action.ADD));
            assertThat(plan.changes()).allSatisfy(c -> {
                assertThat(c.isBreaking()).isFalse();
                assertThat(c.details()).isEmpty();
            });
            assertThat(plan.count(Action.ADD)).isEqualTo(7);
            assertThat(plan.count(Action.CHANGE)).isZero();
            assertThat(plan.count(Action.REMOVE)).isZero();
            assertThat(plan.breakingCount()).isZero();
        }

        @Test
        void aShorterRetentionIsBreakingAndALongerOneIsNot() {
            Definitions kept = edited("quarantine_threshold: 0.05", "quarantine_threshold: 0.05\n    retention: 400d");
            Change set = onlyChange(Plan.between(example(), kept));
            assertThat(set.breaking()).singleElement().asString().contains("retention (keep all) -> 400d")
                .contains("compacted away");
            Definitions shorter = edited("quarantine_threshold: 0.05", "quarantine_threshold: 0.05\n    retention: 90d");
            assertThat(onlyChange(Plan.between(kept, shorter)).breaking()).singleElement().asString()
                .contains("400d -> 90d");
            assertThat(onlyChange(Plan.between(shorter, kept)).isBreaking()).as("longer").isFalse();
            assertThat(onlyChange(Plan.between(kept, example())).isBreaking()).as("keep everything again").isFalse();
        }

        @Test
        void sameDefinitionsMakeAnEmptyPlan() {
            Plan plan = Plan.between(example(), example());
            assertThat(plan.isEmpty()).isTrue();
            assertThat(plan.changes()).isEmpty();
        }

        @Test
        void definitionsAfterTheirCanonicalRoundTripMakeAnEmptyPlan() {
            Definitions back = DefinitionsParser.parse("registry.json", CanonicalForm.toJson(example()));
            assertThat(Plan.between(example(), back).isEmpty()).isTrue();
        }

        @Test
        void restyledButEquivalentFileMakesAnEmptyPlan() {
            Definitions restyled = edited("ttl: 30d", "ttl: 720h");
            assertThat(Plan.between(example(), restyled).isEmpty()).isTrue();
        }

        @Test
        void toNothingEveryObjectIsARemoveAndAllButTheModelBreak() {
            Plan plan = Plan.between(example(), Definitions.empty());
            assertThat(plan.count(Action.REMOVE)).isEqualTo(7);
            assertThat(plan.breakingCount()).isEqualTo(6);
            assertThat(plan.changes().get(7)).extracting(Change::kind, Change::action, Change::isBreaking)
                .containsExactly("model", Action.REMOVE, false);
            assertThat(plan.changes().get(0)).extracting(Change::kind, Change::action, Change::details)
                .containsExactly("project", Action.CHANGE, List.of("project: shop -> null"));
            assertThat(plan.changes().subList(1, 7)).extracting(c -> c.breaking().get(0)).containsExactly(
                "entity removed: readers of it will fail",
                "source removed: readers of it will fail",
                "source removed: readers of it will fail",
                "feature view removed: readers of it will fail",
                "feature view removed: readers of it will fail",
                "feature service removed: readers of it will fail");
        }

        @Test
        void changesAreListedByKindWithAddsAndChangesBeforeRemoves() {
            Definitions d = example();
            Definitions next = new Definitions(d.project(), d.entities(), List.of(d.sources().get(1),
                renamed(d.sources().get(0), "orders_v2")), d.featureViews(), d.featureServices(), d.models());
            Plan plan = Plan.between(d, next);
            assertThat(plan.changes()).extracting(Change::name, Change::action).containsExactly(
                tuple("orders_v2", Action.ADD), tuple("orders", Action.REMOVE));
        }

        @Test
        void projectRenameIsANonBreakingChange() {
            Change c = onlyChange(Plan.between(example(), edited("project: shop", "project: mall")));
            assertThat(c).extracting(Change::kind, Change::name, Change::action).containsExactly("project", "mall", Action.CHANGE);
            assertThat(c.details()).containsExactly("project: shop -> mall");
            assertThat(c.isBreaking()).isFalse();
        }

        @Test
        void projectSetForTheFirstTimeIsNotAChange() {
            Definitions d = example();
            Definitions noProject = new Definitions(null, d.entities(), d.sources(), d.featureViews(), d.featureServices(),
                d.models());
            assertThat(Plan.between(noProject, d).isEmpty()).isTrue();
        }
    }

    @Nested
    class NonBreaking {
        @Test
        void descriptionChangeIsAChangeThatBreaksNothing() {
            Change c = onlyChange(Plan.between(example(),
                edited("description: One event per order placed.", "description: One event per order.")));
            assertThat(c).extracting(Change::kind, Change::name, Change::action).containsExactly("source", "orders", Action.CHANGE);
            assertThat(c.details()).containsExactly("~ description: One event per order placed. -> One event per order.");
            assertThat(c.isBreaking()).isFalse();
            assertThat(c.breaking()).isEmpty();
        }

        @Test
        void featureDescriptionChangeIsDetailedByFeatureName() {
            Change c = onlyChange(Plan.between(example(), edited("description: Amount of the customer's latest order.",
                "description: Latest order amount.")));
            assertThat(c.details()).containsExactly(
                "~ features.last_amount.description: Amount of the customer's latest order. -> Latest order amount.");
            assertThat(c.isBreaking()).isFalse();
        }

        @Test
        void addedColumnIsNotBreaking() {
            Change c = onlyChange(Plan.between(example(), edited("      channel: string\n",
                "      channel: string\n      coupon: string\n")));
            assertThat(c.details()).containsExactly("+ schema.coupon: string");
            assertThat(c.isBreaking()).isFalse();
        }

        @Test
        void addedFeatureIsNotBreaking() {
            Change c = onlyChange(Plan.between(example(), edited("        description: Days since the account was opened.\n",
                "        description: Days since the account was opened.\n      - name: tier_again\n        column: tier\n")));
            assertThat(c.name()).isEqualTo("customer_profile");
            assertThat(c.details()).singleElement().asString().startsWith("+ features.tier_again:");
            assertThat(c.isBreaking()).isFalse();
        }

        @Test
        void operationalSettingsAreNotBreaking() {
            Definitions next = DefinitionsParser.parse("f.yaml", EXAMPLE
                .replace("quarantine_threshold: 0.05", "quarantine_threshold: 0.2")
                .replace("topic: shop.orders", "topic: shop.orders.v2")
                .replace("amount: {required: true, min: 0, max: 100000}", "amount: {required: true, min: 0}")
                .replace("owner: growth-team", "owner: data-team")
                .replace("tags: {domain: commerce}", "tags: {domain: retail}")
                .replace("    online: true\n    ttl: 365d", "    online: false\n    ttl: 365d")
                .replace("      - customer_profile: [tier, tenure_days]", "      - customer_profile: [tier, tenure_days]\n"
                    + "      - customer_orders: [spend_7d]"));
            Plan plan = Plan.between(example(), next);
            assertThat(plan.changes()).extracting(Change::name).containsExactly("orders", "customer_orders",
                "customer_profile", "churn_model_v1");
            assertThat(plan.breakingCount()).isZero();
            assertThat(change(plan, "source", "orders").details()).containsExactlyInAnyOrder(
                "- contract.amount.max: 100000.0",
                "~ quarantine_threshold: 0.05 -> 0.2",
                "~ streams.kafka.topic: shop.orders -> shop.orders.v2");
            assertThat(change(plan, "feature_view", "customer_profile").details()).containsExactly("~ online: true -> false");
        }
    }

    @Nested
    class Breaking {
        @Test
        void columnTypeChangeIsBreaking() {
            Change c = onlyChange(Plan.between(example(), edited("amount: double", "amount: float")));
            assertThat(c).extracting(Change::kind, Change::name, Change::action).containsExactly("source", "orders", Action.CHANGE);
            assertThat(c.details()).containsExactly("~ schema.amount: double -> float");
            assertThat(c.breaking()).containsExactly("column amount narrowed double -> float: stored values float cannot hold read changed");
            assertThat(c.needsForce()).as("a schema break needs force whoever uses it").isTrue();
        }

        @Test
        void columnRemovalIsBreaking() {
            Definitions before = edited("      channel: string\n", "      channel: string\n      coupon: string\n");
            Change c = onlyChange(Plan.between(before, example()));
            assertThat(c.details()).containsExactly("- schema.coupon: string");
            assertThat(c.breaking()).containsExactly("column coupon removed: its stored values become unreadable, and "
                + "records still sending coupon are quarantined (schema.unknown_field)");
        }

        @Test
        void sourceKeyFieldChangesAreBreaking() {
            Definitions next = DefinitionsParser.parse("f.yaml", EXAMPLE
                .replace("timestamp_field: event_ts ", "timestamp_field: created_ts ")
                .replace("created_timestamp_field: created_ts", "created_timestamp_field: event_ts")
                .replace("id_field: order_id", "id_field: customer_id"));
            Change c = onlyChange(Plan.between(example(), next));
            assertThat(c.breaking()).containsExactly("timestamp_field event_ts -> created_ts",
                "id_field order_id -> customer_id: idempotency of replays changes");
        }

        @Test
        void droppingTheIdFieldIsBreaking() {
            Change c = onlyChange(Plan.between(example(), edited("    id_field: order_id                 # optional: makes replays idempotent\n", "")));
            assertThat(c.breaking()).containsExactly("id_field order_id -> null: idempotency of replays changes");
        }

        @Test
        void ttlChangeIsBreaking() {
            Change c = onlyChange(Plan.between(example(), edited("ttl: 30d", "ttl: 60d")));
            assertThat(c).extracting(Change::kind, Change::name).containsExactly("feature_view", "customer_orders");
            assertThat(c.details()).containsExactly("~ ttl: 30d -> 60d");
            assertThat(c.breaking()).containsExactly("ttl changed: served and training values change");
        }

        @Test
        void addingAHopIsBreaking() {
            Change c = onlyChange(Plan.between(example(), edited("    ttl: 30d\n", "    ttl: 30d\n    hop: 1h\n")));
            assertThat(c.breaking()).containsExactly("hop changed: windowed values change");
        }

        @Test
        void featureRemovalIsBreaking() {
            String block = EXAMPLE.substring(EXAMPLE.indexOf("      - name: max_order_1d\n"),
                EXAMPLE.indexOf("      - name: max_order_7d\n"));
            Change c = onlyChange(Plan.between(example(), edited(block, "")));
            assertThat(c.details()).singleElement().asString().startsWith("- features.max_order_1d:");
            assertThat(c.breaking()).containsExactly("feature max_order_1d removed");
        }

        @Test
        void featureAggregationChangeIsBreaking() {
            Change c = onlyChange(Plan.between(example(), edited("aggregation: sum", "aggregation: avg")));
            assertThat(c.details()).containsExactly("~ features.spend_7d.aggregation: sum -> avg");
            assertThat(c.breaking()).containsExactly("feature spend_7d now computes something else");
        }

        @Test
        void featureWindowChangeIsBreaking() {
            Change c = onlyChange(Plan.between(example(), edited(SPEND_WINDOW, SPEND_WINDOW.replace("7d", "14d"))));
            assertThat(c.details()).containsExactly("~ features.spend_7d.window: 7d -> 14d");
            assertThat(c.breaking()).containsExactly("feature spend_7d now computes something else");
        }

        @Test
        void featureColumnChangeIsBreaking() {
            Change c = onlyChange(Plan.between(example(), edited("        column: channel\n", "        column: order_id\n")));
            assertThat(c.breaking()).containsExactly("feature last_channel now computes something else");
        }

        @Test
        void viewSourceChangeIsBreaking() {
            Definitions next = DefinitionsParser.parse("f.yaml", EXAMPLE
                .replace("    source: profiles\n", "    source: orders\n")
                .replace("        column: tier\n", "        column: channel\n")
                .replace("        column: tenure_days\n", "        column: amount\n"));
            Change c = change(Plan.between(example(), next), "feature_view", "customer_profile");
            assertThat(c.breaking()).contains("source/entity changed: every value changes",
                "feature tier now computes something else", "feature tenure_days now computes something else");
        }

        @Test
        void joinKeyChangeIsBreaking() {
            Definitions next = DefinitionsParser.parse("f.yaml", EXAMPLE.replace("customer_id", "cust_id"));
            Plan plan = Plan.between(example(), next);
            Change entity = change(plan, "entity", "customer");
            assertThat(entity.details()).containsExactly("~ join_keys: [customer_id] -> [cust_id]");
            assertThat(entity.breaking()).containsExactly(
                "join keys [customer_id] -> [cust_id]: stored events are keyed by the old keys");
            assertThat(change(plan, "source", "orders").breaking()).singleElement().asString()
                .startsWith("column customer_id removed (a rename to cust_id is a drop and an add: cust_id reads null "
                    + "for stored events)");
            assertThat(change(plan, "source", "profiles").breaking()).singleElement().asString()
                .startsWith("column customer_id removed");
        }

        @Test
        void viewRemovalIsBreakingAndSoIsDroppingItsFeaturesFromAService() {
            Definitions d = example();
            FeatureService svc = d.featureServices().get(0);
            FeatureService trimmed = new FeatureService(svc.name(),
                svc.features().stream().filter(r -> r.view().equals("customer_orders")).toList(), svc.meta());
            Plan plan = Plan.between(d, new Definitions(d.project(), d.entities(), d.sources(),
                List.of(d.featureViews().get(0)), List.of(trimmed), d.models()));
            assertThat(plan.changes()).extracting(Change::kind, Change::name, Change::action).containsExactly(
                tuple("feature_view", "customer_profile", Action.REMOVE),
                tuple("feature_service", "churn_model_v1", Action.CHANGE));
            assertThat(change(plan, "feature_view", "customer_profile").breaking())
                .containsExactly("feature view removed: readers of it will fail");
            assertThat(change(plan, "feature_service", "churn_model_v1").breaking()).containsExactly(
                "feature customer_profile:tier removed from a service models may consume",
                "feature customer_profile:tenure_days removed from a service models may consume");
        }

        @Test
        void serviceRemovalIsBreaking() {
            Definitions d = example();
            Plan plan = Plan.between(d, new Definitions(d.project(), d.entities(), d.sources(), d.featureViews(), List.of()));
            assertThat(plan.changes()).extracting(Change::kind).containsExactly("feature_service", "model");
            Change c = change(plan, "feature_service", "churn_model_v1");
            assertThat(c.action()).isEqualTo(Action.REMOVE);
            assertThat(c.breaking()).containsExactly("feature service removed: readers of it will fail");
        }

        @Test
        void reorderingAServiceIsAChangeButNotBreaking() {
            Definitions next = edited("[purchase_frequency_30d, average_order_value_30d, last_amount]",
                "[last_amount, purchase_frequency_30d, average_order_value_30d]");
            Change c = onlyChange(Plan.between(example(), next));
            assertThat(c.action()).isEqualTo(Action.CHANGE);
            assertThat(c.isBreaking()).isFalse();
        }
    }

    @Nested
    class MetadataAndModels {
        private final Definitions base = DefinitionsParser.parse("m.yaml", MetadataTest.BASE);

        private Definitions metaEdited(String from, String to) {
            return DefinitionsParser.parse("m.yaml", replaceOnce(MetadataTest.BASE, from, to));
        }

        @Test
        void anOwnerChangeIsANonBreakingChangeShownAsOldToNew() {
            Change c = onlyChange(Plan.between(base, metaEdited("owner: checkout-team", "owner: payments-team")));
            assertThat(c).extracting(Change::kind, Change::name, Change::action).containsExactly("source", "orders", Action.CHANGE);
            assertThat(c.details()).containsExactly("~ owner: checkout-team -> payments-team");
            assertThat(c.isBreaking()).isFalse();
        }

        @Test
        void tagsOfAColumnAndADeprecationOfAFeatureAreDetailedWhereTheyAre() {
            Plan plan = Plan.between(base, metaEdited("tags: [money, {unit: EUR}]", "tags: [money]"));
            assertThat(onlyChange(plan).details()).containsExactly("~ schema.amount.tags: [money, {unit=EUR}] -> [money]");
            Change dep = onlyChange(Plan.between(base, metaEdited("sunset: 2026-06-30", "sunset: 2026-09-30")));
            assertThat(dep.details()).containsExactly(
                "~ features.spend_7d.deprecated.sunset: 2026-06-30 -> 2026-09-30");
            assertThat(dep.isBreaking()).isFalse();
        }

        @Test
        void deprecatingAnObjectIsANonBreakingChange() {
            Definitions next = metaEdited("    description: Inputs of the churn model.\n",
                "    description: Inputs of the churn model.\n    deprecated: {since: 2026-02-01, reason: Retired.}\n");
            Change c = onlyChange(Plan.between(base, next));
            assertThat(c.kind()).isEqualTo("feature_service");
            assertThat(c.details()).containsExactly("+ deprecated: {since=2026-02-01, reason=Retired.}");
            assertThat(c.isBreaking()).isFalse();
        }

        @Test
        void theLongFormOfAColumnWithoutMetadataIsNoChange() {
            assertThat(Plan.between(base, metaEdited("amount_eur: double", "amount_eur: {type: double}")).isEmpty()).isTrue();
        }

        @Test
        void aModelAddedChangedOrRemovedIsListedAndNeverBreaking() {
            Definitions one = DefinitionsParser.withModel(base, "r", "{name: churn_v1, version: 1, feature_service: churn}");
            Change added = onlyChange(Plan.between(base, one));
            assertThat(added).extracting(Change::kind, Change::name, Change::action).containsExactly("model", "churn_v1", Action.ADD);
            Definitions two = DefinitionsParser.withModel(one, "r", "{name: churn_v1, version: 2, feature_service: churn, "
                + "owner: ml-team}");
            Change changed = onlyChange(Plan.between(one, two));
            assertThat(changed.action()).isEqualTo(Action.CHANGE);
            assertThat(changed.details()).containsExactly("~ version: 1 -> 2", "+ owner: ml-team");
            Change removed = onlyChange(Plan.between(two, base));
            assertThat(removed).extracting(Change::kind, Change::action, Change::isBreaking)
                .containsExactly("model", Action.REMOVE, false);
        }
    }

    @Nested
    class WhatABreakReaches {
        @Test
        void aColumnTypeChangeReachesThatColumn() {
            assertThat(onlyChange(Plan.between(example(), edited("amount: double", "amount: float"))).breaks())
                .containsExactly(new Plan.Break("column amount narrowed double -> float: stored values float cannot hold read changed", List.of("amount"), true));
        }

        @Test
        void aTtlChangeReachesThePlainFeaturesAndAHopChangeTheWindowedOnes() {
            assertThat(onlyChange(Plan.between(example(), edited("ttl: 30d", "ttl: 60d"))).breaks()).singleElement()
                .extracting(Plan.Break::parts).isEqualTo(List.of("last_amount", "last_channel"));
            assertThat(onlyChange(Plan.between(example(), edited("    ttl: 30d\n", "    ttl: 30d\n    hop: 1h\n"))).breaks())
                .singleElement().extracting(Plan.Break::parts).isEqualTo(List.of("purchase_frequency_30d",
                    "average_order_value_30d", "spend_7d", "max_order_1d", "max_order_7d"));
        }

        @Test
        void aFeatureChangeReachesThatFeatureAndARemovedObjectItsWhole() {
            assertThat(onlyChange(Plan.between(example(), edited(SPEND_WINDOW, SPEND_WINDOW.replace("7d", "14d")))).breaks())
                .containsExactly(new Plan.Break("feature spend_7d now computes something else", List.of("spend_7d")));
            Definitions d = example();
            Change removed = change(Plan.between(d, new Definitions(d.project(), d.entities(), d.sources(),
                d.featureViews(), List.of())), "feature_service", "churn_model_v1");
            assertThat(removed.breaks()).singleElement().extracting(Plan.Break::parts).isEqualTo(List.of());
        }
    }

    @Nested
    class Rendering {
        @Test
        void emptyPlanSaysThereIsNothingToDo() {
            assertThat(Plan.between(example(), example()).render())
                .isEqualTo("No changes: the registry already holds these definitions.\n");
        }

        @Test
        void firstApplyEndsWithTheSummaryLine() {
            String text = Plan.between(Definitions.empty(), example()).render();
            assertThat(text).contains("  + entity customer\n", "  + source orders\n", "  + feature_service churn_model_v1\n");
            assertThat(text.lines().reduce((a, b) -> b)).contains("Plan: 7 to add, 0 to change, 0 to remove (0 breaking).");
            assertThat(text).doesNotContain("BREAKING");
        }

        @Test
        void mixedPlanShowsSignsDetailsReasonsAndCounts() {
            Definitions d = example();
            Definitions typed = edited("amount: double", "amount: float");
            FeatureView extra = new FeatureView("tiers", "customer", "profiles", false, 0, 0,
                List.of(new Feature("tier", "tier", null, 0, null)), null, java.util.Map.of(), null);
            Definitions next = new Definitions(d.project(), d.entities(), typed.sources(),
                List.of(d.featureViews().get(0), d.featureViews().get(1), extra), List.of());
            Plan plan = Plan.between(d, next);
            String text = plan.render().replace(System.lineSeparator(), "\n");
            assertThat(text).isEqualTo("""
                  ~ source orders   [BREAKING: needs --force]
                      ~ schema.amount: double -> float
                      ! column amount narrowed double -> float: stored values float cannot hold read changed
                  + feature_view tiers
                  - feature_service churn_model_v1   [BREAKING]
                      ! feature service removed: readers of it will fail
                  - model churn_v1
                Plan: 1 to add, 1 to change, 2 to remove (2 breaking).
                Breaking changes to a source's schema or contract: applying refuses them unless forced (--force, force=true).
                """);
        }
    }

    @Test
    void randomDefinitionsPlanAgainstThemselvesAndAgainstNothing() {
        long seed = seed("randomDefinitionsPlanAgainstThemselvesAndAgainstNothing");
        RandomDefinitions gen = new RandomDefinitions(new Random(seed));
        for (int i = 0; i < 200; i++) {
            Definitions d = gen.next();
            // models change no value: removing one is listed, not breaking
            int breakable = d.entities().size() + d.sources().size() + d.featureViews().size() + d.featureServices().size();
            int objects = breakable + d.models().size();
            assertThat(Plan.between(d, d).isEmpty()).as("seed %d, case %d", seed, i).isTrue();
            Plan add = Plan.between(Definitions.empty(), d);
            assertThat(add.count(Action.ADD)).as("seed %d, case %d", seed, i).isEqualTo(objects);
            assertThat(add.breakingCount()).as("seed %d, case %d", seed, i).isZero();
            Plan remove = Plan.between(d, Definitions.empty());
            int projectChange = d.project() == null ? 0 : 1;
            assertThat(remove.count(Action.REMOVE)).as("seed %d, case %d", seed, i).isEqualTo(objects);
            assertThat(remove.count(Action.CHANGE)).as("seed %d, case %d", seed, i).isEqualTo(projectChange);
            assertThat(remove.breakingCount()).as("seed %d, case %d", seed, i).isEqualTo(breakable);
            assertThat(remove.render()).as("seed %d, case %d", seed, i).endsWith(String.format(
                "Plan: 0 to add, %d to change, %d to remove (%d breaking).%n", projectChange, objects, breakable));
        }
    }

    private static Source renamed(Source s, String name) {
        return new Source(name, s.entity(), s.timestampField(), s.createdTimestampField(), s.idField(), s.schema(),
            s.contract(), s.quarantineThreshold(), s.kafkaTopic(), s.description());
    }
}

package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.assertProblem;
import static io.hearth.catalog.Fixtures.example;
import static io.hearth.catalog.Fixtures.exampleText;
import static io.hearth.catalog.Fixtures.lineOf;
import static io.hearth.catalog.Fixtures.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.hearth.catalog.DefinitionsParser.Input;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Reading well-formed definitions, and the way problems are collected and reported. */
class DefinitionsParserTest {
    private static final long DAY = 86_400_000L;

    @Nested
    class TheShippedExample {
        private final Definitions d = example();

        @Test
        void projectIsRead() {
            assertThat(d.project()).isEqualTo("shop");
        }

        @Test
        void entityHasItsJoinKeysAndDescription() {
            assertThat(d.entities()).containsExactly(
                new Entity("customer", List.of("customer_id"), new Meta("A person who has an account with the shop.",
                    "crm-team", List.of(Tag.word("core")), null)));
        }

        @Test
        void sourcesKeepDeclarationOrder() {
            assertThat(d.sources()).extracting(Source::name).containsExactly("orders", "profiles");
        }

        @Test
        void ordersSourceHasEveryOptionalField() {
            Source s = d.source("orders").orElseThrow();
            assertThat(s.entity()).isEqualTo("customer");
            assertThat(s.timestampField()).isEqualTo("event_ts");
            assertThat(s.createdTimestampField()).isEqualTo("created_ts");
            assertThat(s.idField()).isEqualTo("order_id");
            assertThat(s.kafkaTopic()).isEqualTo("shop.orders");
            assertThat(s.quarantineThreshold()).isEqualTo(0.05);
            assertThat(s.description()).isEqualTo("One event per order placed.");
        }

        @Test
        void schemaTypesAreReadInDeclarationOrder() {
            Source s = d.source("orders").orElseThrow();
            assertThat(s.schema()).containsExactly(
                Map.entry("customer_id", ColumnType.STRING),
                Map.entry("order_id", ColumnType.STRING),
                Map.entry("amount", ColumnType.DOUBLE),
                Map.entry("channel", ColumnType.STRING),
                Map.entry("event_ts", ColumnType.TIMESTAMP),
                Map.entry("created_ts", ColumnType.TIMESTAMP));
            assertThat(d.source("profiles").orElseThrow().type("tenure_days")).isEqualTo(ColumnType.INT);
        }

        @Test
        void contractRulesAreRead() {
            Source orders = d.source("orders").orElseThrow();
            assertThat(orders.contract()).containsExactly(
                Map.entry("amount", new ColumnContract(true, 0.0, 100_000.0, null)),
                Map.entry("channel", new ColumnContract(false, null, null, List.of("web", "store", "app"))));
            Source profiles = d.source("profiles").orElseThrow();
            assertThat(profiles.contract()).containsExactly(
                Map.entry("tier", new ColumnContract(false, null, null, List.of("bronze", "silver", "gold"))),
                Map.entry("tenure_days", new ColumnContract(false, 0.0, null, null)));
        }

        @Test
        void sourceWithoutOptionalFieldsGetsDefaults() {
            Source s = d.source("profiles").orElseThrow();
            assertThat(s.createdTimestampField()).isNull();
            assertThat(s.idField()).isNull();
            assertThat(s.kafkaTopic()).isNull();
            assertThat(s.quarantineThreshold()).isEqualTo(Source.DEFAULT_QUARANTINE_THRESHOLD);
        }

        @Test
        void viewTtlIsInMilliseconds() {
            assertThat(d.featureView("customer_orders").orElseThrow().ttlMillis()).isEqualTo(30 * DAY);
            assertThat(d.featureView("customer_profile").orElseThrow().ttlMillis()).isEqualTo(365 * DAY);
        }

        @Test
        void viewAttributesAreRead() {
            FeatureView v = d.featureView("customer_orders").orElseThrow();
            assertThat(v.entity()).isEqualTo("customer");
            assertThat(v.source()).isEqualTo("orders");
            assertThat(v.online()).isTrue();
            assertThat(v.hopMillis()).isZero();
            assertThat(v.owner()).isEqualTo("growth-team");
            assertThat(v.meta().tags()).containsExactly(new Tag("domain", "commerce"));
            assertThat(v.description()).isEqualTo("Order behaviour per customer.");
            assertThat(d.featureView("customer_profile").orElseThrow().meta().tags()).containsExactly(new Tag("domain", "crm"));
        }

        @Test
        void plainFeaturesHaveAColumnAndNoWindow() {
            FeatureView v = d.featureView("customer_orders").orElseThrow();
            assertThat(v.feature("last_amount")).contains(
                new Feature("last_amount", "amount", null, 0, Meta.described("Amount of the customer's latest order.")));
            assertThat(v.feature("last_channel")).contains(new Feature("last_channel", "channel", null, 0,
                Meta.described("Channel (web, store, app) of the customer's latest order.")));
            assertThat(v.feature("last_amount").orElseThrow().isWindowed()).isFalse();
        }

        @Test
        void windowedFeaturesHaveAggregationAndWindow() {
            FeatureView v = d.featureView("customer_orders").orElseThrow();
            assertThat(v.features()).extracting(Feature::name, Feature::column, Feature::aggregation, Feature::windowMillis)
                .containsExactly(
                    tuple("last_amount", "amount", null, 0L),
                    tuple("last_channel", "channel", null, 0L),
                    tuple("purchase_frequency_30d", null, Aggregation.COUNT, 30 * DAY),
                    tuple("average_order_value_30d", "amount", Aggregation.AVG, 30 * DAY),
                    tuple("spend_7d", "amount", Aggregation.SUM, 7 * DAY),
                    tuple("max_order_1d", "amount", Aggregation.MAX, DAY),
                    tuple("max_order_7d", "amount", Aggregation.MAX, 7 * DAY));
            assertThat(v.feature("spend_7d").orElseThrow().isWindowed()).isTrue();
            assertThat(v.longestWindowMillis()).isEqualTo(30 * DAY);
        }

        @Test
        void featureServiceListsRefsInOrder() {
            FeatureService s = d.featureService("churn_model_v1").orElseThrow();
            assertThat(s.features()).containsExactly(
                new FeatureRef("customer_orders", "purchase_frequency_30d"),
                new FeatureRef("customer_orders", "average_order_value_30d"),
                new FeatureRef("customer_orders", "last_amount"),
                new FeatureRef("customer_profile", "tier"),
                new FeatureRef("customer_profile", "tenure_days"));
            assertThat(s.description()).isEqualTo("Inputs of the churn risk model.");
        }

        @Test
        void theDemoShowsTheCatalogOwnersTagsADeprecationAndAModel() {
            assertThat(d.source("orders").orElseThrow().column("customer_id").tags()).containsExactly(Tag.word("pii"));
            Feature old = d.featureView("customer_orders").orElseThrow().feature("max_order_1d").orElseThrow();
            assertThat(old.meta().deprecated().replacement()).isEqualTo("customer_orders:max_order_7d");
            assertThat(d.models()).singleElement().satisfies(m -> {
                assertThat(m.name()).isEqualTo("churn_v1");
                assertThat(m.featureService()).isEqualTo("churn_model_v1");
                assertThat(m.owner()).isEqualTo("ml-team");
            });
            for (FeatureView v : d.featureViews()) {
                assertThat(v.description()).as(v.name()).isNotNull();
                assertThat(v.features()).allSatisfy(f -> assertThat(f.description()).as(f.name()).isNotNull());
            }
        }

        @Test
        void lookupsByUnknownNameAreEmpty() {
            assertThat(d.entity("store")).isEmpty();
            assertThat(d.source("clicks")).isEmpty();
            assertThat(d.featureView("nope")).isEmpty();
            assertThat(d.featureService("nope")).isEmpty();
        }
    }

    @Test
    void emptyListsAndProjectOnlyMakeEmptyDefinitions() {
        Definitions d = DefinitionsParser.parse("f.yaml", "project: p\n");
        assertThat(d).isEqualTo(new Definitions("p", List.of(), List.of(), List.of(), List.of()));
        assertThat(DefinitionsParser.parse("f.yaml", "entities: []\n")).isEqualTo(Definitions.empty());
    }

    @Test
    void typeAliasesAndCaseAreAccepted() {
        Definitions d = DefinitionsParser.parse("f.yaml", """
            entities: [{name: e, join_keys: [k]}]
            sources:
              - name: s
                entity: e
                timestamp_field: ts
                schema: {k: STR, a: int64, b: Integer, c: float32, d: float64, f: boolean, ts: datetime}
            """);
        assertThat(d.source("s").orElseThrow().schema()).containsExactly(
            Map.entry("k", ColumnType.STRING), Map.entry("a", ColumnType.LONG), Map.entry("b", ColumnType.INT),
            Map.entry("c", ColumnType.FLOAT), Map.entry("d", ColumnType.DOUBLE), Map.entry("f", ColumnType.BOOL),
            Map.entry("ts", ColumnType.TIMESTAMP));
    }

    @Test
    void countNeedsNoColumnButMayHaveOne() {
        Definitions d = DefinitionsParser.parse("f.yaml", """
            entities: [{name: e, join_keys: [k]}]
            sources: [{name: s, entity: e, timestamp_field: ts, schema: {k: string, ts: timestamp}}]
            feature_views:
              - name: v
                entity: e
                source: s
                hop: 1h
                features:
                  - {name: n, aggregation: COUNT, window: 1d}
                  - {name: distinct_k, aggregation: count_distinct, column: k, window: 2h}
                  - {name: first_k, aggregation: first, column: k, window: 1h}
            """);
        FeatureView v = d.featureView("v").orElseThrow();
        assertThat(v.hopMillis()).isEqualTo(3_600_000L);
        assertThat(v.ttlMillis()).as("no ttl").isZero();
        assertThat(v.features()).extracting(Feature::column, Feature::aggregation)
            .containsExactly(tuple(null, Aggregation.COUNT), tuple("k", Aggregation.COUNT_DISTINCT),
                tuple("k", Aggregation.FIRST));
    }

    @Test
    void onlineMayBeSwitchedOffWithAnyYamlBoolean() {
        String yaml = """
            entities: [{name: e, join_keys: [k]}]
            sources: [{name: s, entity: e, timestamp_field: ts, schema: {k: string, ts: timestamp}}]
            feature_views: [{name: v, entity: e, source: s, online: %s, features: [{name: f, column: k}]}]
            """;
        for (String off : List.of("false", "no", "off", "False")) {
            assertThat(DefinitionsParser.parse("f.yaml", yaml.formatted(off)).featureView("v").orElseThrow().online())
                .as(off).isFalse();
        }
        for (String on : List.of("true", "yes", "on")) {
            assertThat(DefinitionsParser.parse("f.yaml", yaml.formatted(on)).featureView("v").orElseThrow().online())
                .as(on).isTrue();
        }
    }

    @Test
    void featureServiceAcceptsScalarRefsBesideMappingRefs() {
        String text = exampleText().replace("""
                  - customer_profile: [tier, tenure_days]
            """, """
                  - "customer_profile:tier"
                  - customer_profile:tenure_days
            """);
        assertThat(text).isNotEqualTo(exampleText());
        assertThat(DefinitionsParser.parse("f.yaml", text)).isEqualTo(example());
    }

    @Test
    void quarantineThresholdBoundsAreInclusive() {
        String yaml = """
            entities: [{name: e, join_keys: [k]}]
            sources: [{name: s, entity: e, timestamp_field: ts, quarantine_threshold: %s, schema: {k: string, ts: timestamp}}]
            """;
        assertThat(DefinitionsParser.parse("f.yaml", yaml.formatted("0")).sources().get(0).quarantineThreshold()).isZero();
        assertThat(DefinitionsParser.parse("f.yaml", yaml.formatted("1")).sources().get(0).quarantineThreshold())
            .isEqualTo(1.0);
    }

    @Test
    void jsonInputIsReadLikeYaml() {
        String json = """
            {"project": "p",
             "entities": [{"name": "e", "join_keys": ["k"]}],
             "sources": [{"name": "s", "entity": "e", "timestamp_field": "ts",
                          "schema": {"k": "string", "ts": "timestamp"}, "quarantine_threshold": 0.25}]}
            """;
        Definitions d = DefinitionsParser.parse("f.json", json);
        assertThat(d.sources()).singleElement().extracting(Source::quarantineThreshold).isEqualTo(0.25);
    }

    @Nested
    class Reporting {
        private static final String MANY_FAULTS = """
            project: shop
            entities:
              - name: customer
                join_keys: [customer_id]
                colour: blue
            sources:
              - name: orders
                entity: customer
                timestamp_field: event_ts
                schema:
                  customer_id: string
                  amount: money
                  event_ts: timestamp
            feature_views:
              - name: customer_orders
                entity: customer
                source: orderz
                ttl: forever
                features:
                  - name: spend
                    aggregation: sum
                    column: amount
            """;

        @Test
        void everyProblemIsReportedNotOnlyTheFirst() {
            List<DefinitionProblem> ps = problems("defs.yaml", MANY_FAULTS);
            assertThat(ps).extracting(DefinitionProblem::rule, DefinitionProblem::path, DefinitionProblem::line)
                .containsExactlyInAnyOrder(
                    tuple("key.unknown", "entities[0].colour", lineOf(MANY_FAULTS, "colour: blue")),
                    tuple("type.unknown", "sources[0].schema.amount", lineOf(MANY_FAULTS, "amount: money")),
                    tuple("duration.syntax", "feature_views[0].ttl", lineOf(MANY_FAULTS, "ttl: forever")),
                    tuple("window.required", "feature_views[0].features[0].window", lineOf(MANY_FAULTS, "name: spend")),
                    tuple("ref.source", "feature_views[0].source", lineOf(MANY_FAULTS, "source: orderz")));
            assertThat(ps).extracting(DefinitionProblem::file).containsOnly("defs.yaml");
        }

        @Test
        void exceptionCarriesCodeFirstProblemAndEveryLine() {
            DefinitionException e = catchThrowableOfType(DefinitionException.class,
                () -> DefinitionsParser.parse("defs.yaml", MANY_FAULTS));
            assertThat(e.code().code()).isEqualTo("HEARTH-DEF-1");
            assertThat(e.retriable()).isFalse();
            assertThat(e.rule()).isEqualTo(e.problems().get(0).rule());
            assertThat(e.field()).isEqualTo(e.problems().get(0).path());
            assertThat(e.getMessage()).startsWith("5 problem(s) in definitions:");
            for (DefinitionProblem p : e.problems()) {
                assertThat(e.getMessage()).contains(p.toString());
            }
        }

        @Test
        void problemsOfTheReadingPhaseComeBeforeCrossChecksInDocumentOrder() {
            List<DefinitionProblem> ps = problems("defs.yaml", MANY_FAULTS);
            assertThat(ps).extracting(DefinitionProblem::rule)
                .containsExactly("key.unknown", "type.unknown", "duration.syntax", "window.required", "ref.source");
        }

        @Test
        void problemPrintsAsFileLinePathMessageRule() {
            assertThat(new DefinitionProblem("f.yaml", 3, "entities[0].name", "name.pattern", "bad name"))
                .hasToString("f.yaml:3: entities[0].name: bad name [name.pattern]");
            assertThat(new DefinitionProblem(null, 0, "$", "yaml.syntax", "broken"))
                .hasToString(": $: broken [yaml.syntax]");
        }

        @Test
        void problemsListOfTheExceptionCannotBeChanged() {
            DefinitionException e = new DefinitionException(new java.util.ArrayList<>(List.of(
                new DefinitionProblem("f", 1, "$", "r", "m"))));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.problems().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class SeveralFiles {
        private static final String ENTITIES = """
            project: shop
            entities:
              - name: customer
                join_keys: [customer_id]
            """;
        private static final String SOURCES = """
            project: shop
            sources:
              - name: orders
                entity: customer
                timestamp_field: event_ts
                schema: {customer_id: string, amount: double, event_ts: timestamp}
            """;
        private static final String VIEWS = """
            feature_views:
              - name: customer_orders
                entity: customer
                source: orders
                features:
                  - {name: last_amount, column: amount}
            feature_services:
              - name: svc
                features: [customer_orders:last_amount]
            """;

        @Test
        void filesAreMergedBeforeCrossChecks() {
            Definitions merged = DefinitionsParser.parse(List.of(
                new Input("views.yaml", VIEWS), new Input("sources.yaml", SOURCES), new Input("entities.yaml", ENTITIES)));
            Definitions single = DefinitionsParser.parse("all.yaml", ENTITIES + SOURCES.replace("project: shop\n", "")
                + VIEWS);
            assertThat(merged).isEqualTo(single);
            assertThat(merged.project()).isEqualTo("shop");
            assertThat(merged.featureServices()).singleElement().extracting(FeatureService::name).isEqualTo("svc");
        }

        @Test
        void eachProblemNamesTheFileItIsIn() {
            String badViews = VIEWS.replace("source: orders", "source: clicks");
            String badSources = SOURCES.replace("amount: double", "amount: decimal");
            List<DefinitionProblem> ps = problems(List.of(
                new Input("entities.yaml", ENTITIES), new Input("sources.yaml", badSources),
                new Input("views.yaml", badViews)));
            assertThat(ps).hasSize(2);
            assertProblem(ps.get(0), "type.unknown", "sources[0].schema.amount", "sources.yaml", lineOf(badSources, "schema:"));
            assertProblem(ps.get(1), "ref.source", "feature_views[0].source", "views.yaml", lineOf(badViews, "source: clicks"));
        }

        @Test
        void duplicateAcrossFilesIsReportedInTheLaterFileAndNamesTheFirst() {
            String more = """
                entities:
                  - name: store
                    join_keys: [store_id]
                  - name: customer
                    join_keys: [customer_id]
                """;
            List<DefinitionProblem> ps = problems(List.of(new Input("a.yaml", ENTITIES), new Input("b.yaml", more)));
            assertThat(ps).singleElement().satisfies(p -> {
                assertProblem(p, "name.duplicate", "entities[1].name", "b.yaml", lineOf(more, "name: customer"));
                assertThat(p.message()).contains("a.yaml:" + lineOf(ENTITIES, "name: customer"));
            });
        }

        @Test
        void syntaxErrorInOneFileDoesNotHideProblemsInOthers() {
            List<DefinitionProblem> ps = problems(List.of(
                new Input("a.yaml", "entities: [\n"), new Input("b.yaml", "colour: blue\n")));
            assertThat(ps).extracting(DefinitionProblem::file, DefinitionProblem::rule)
                .containsExactly(tuple("a.yaml", "yaml.syntax"), tuple("b.yaml", "key.unknown"));
        }

        @Test
        void noInputsMakeEmptyDefinitions() {
            assertThat(DefinitionsParser.parse(List.of())).isEqualTo(Definitions.empty());
        }
    }
}

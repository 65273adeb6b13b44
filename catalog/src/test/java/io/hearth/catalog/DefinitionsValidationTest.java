package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.assertProblem;
import static io.hearth.catalog.Fixtures.lineOf;
import static io.hearth.catalog.Fixtures.onlyProblem;
import static io.hearth.catalog.Fixtures.problems;
import static io.hearth.catalog.Fixtures.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.hearth.catalog.DefinitionsParser.Input;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule the parser enforces: each test breaks one thing in an otherwise valid document and checks the rule,
 * key path, file and 1-based line of what is reported.
 */
class DefinitionsValidationTest {
    private static final String F = "defs.yaml";

    /** Valid; every test below breaks it in one place. */
    static final String BASE = """
        project: shop
        entities:
          - name: customer
            join_keys: [customer_id]
            description: A shopper.
        sources:
          - name: orders
            entity: customer
            timestamp_field: event_ts
            created_timestamp_field: created_ts
            id_field: order_id
            schema:
              customer_id: string
              order_id: string
              amount: double
              channel: string
              quantity: int
              event_ts: timestamp
              created_ts: timestamp
            contract:
              amount: {required: true, min: 0, max: 100000}
              channel: {allowed: [web, store, app]}
            quarantine_threshold: 0.05
            streams:
              kafka: {topic: shop.orders}
        feature_views:
          - name: customer_orders
            entity: customer
            source: orders
            ttl: 30d
            features:
              - name: last_amount
                column: amount
              - name: order_count_7d
                aggregation: count
                window: 7d
              - name: spend_7d
                aggregation: sum
                column: amount
                window: 7d
        feature_services:
          - name: churn
            features:
              - customer_orders: [last_amount, spend_7d]
        """;

    /** The one problem of {@code text} with {@code rule}, when cascades add others. */
    private static DefinitionProblem problemWithRule(String text, String rule) {
        List<DefinitionProblem> ps = problems(F, text).stream().filter(p -> p.rule().equals(rule)).toList();
        assertThat(ps).as("problems with rule %s", rule).hasSize(1);
        return ps.get(0);
    }

    private static String with(String from, String to) {
        return replaceOnce(BASE, from, to);
    }

    @Test
    void baseDocumentIsValid() {
        assertThat(DefinitionsParser.parse(F, BASE).featureViews()).hasSize(1);
    }

    @Nested
    class Syntax {
        @Test
        void malformedYamlIsReportedWithTheLineOfTheMistake() {
            String text = "project: shop\nentities:\n  - name: customer: x\n";
            assertProblem(onlyProblem(F, text), "yaml.syntax", "$", F, 3);
        }

        @Test
        void unclosedFlowListIsASyntaxProblem() {
            DefinitionProblem p = onlyProblem(F, "project: shop\nentities: [\n");
            assertThat(p.rule()).isEqualTo("yaml.syntax");
            assertThat(p.message()).startsWith("not valid YAML: ");
            assertThat(p.line()).isGreaterThanOrEqualTo(2);
        }

        @Test
        void twoDocumentsInOneFileAreASyntaxProblem() {
            String text = "project: a\n---\nproject: b\n";
            DefinitionProblem p = onlyProblem(F, text);
            assertThat(p.rule()).isEqualTo("yaml.syntax");
            assertThat(p.file()).isEqualTo(F);
        }

        @Test
        void controlCharacterInTheTextIsASyntaxProblemNotACrash() {
            DefinitionProblem p = onlyProblem(F, "project: sh\u0001op\n");
            assertThat(p).extracting(DefinitionProblem::rule, DefinitionProblem::file, DefinitionProblem::path)
                .containsExactly("yaml.syntax", F, "$");
        }

        @Test
        void aliasExpansionBeyondTheLimitIsASyntaxProblem() {
            String text = "a: &a [x, y]\nb: [" + "*a, ".repeat(60) + "*a]\n";
            DefinitionProblem p = onlyProblem(F, text);
            assertThat(p.rule()).isEqualTo("yaml.syntax");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "\n\n", "# only a comment\n", "---\n", "--- # nothing\n...\n", "~\n", "null\n"})
        void emptyDocumentIsReportedOnLineOne(String text) {
            assertProblem(onlyProblem(F, text), "document.empty", "$", F, 1);
        }
    }

    @Nested
    class Keys {
        @Test
        void unknownKeyIsReportedWithItsLine() {
            String text = with("    ttl: 30d\n", "    ttl: 30d\n    retention: 5d\n");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "key.unknown", "feature_views[0].retention", F, lineOf(text, "retention:"));
            assertThat(p.message()).contains("'retention'").contains("ttl").contains("hop").contains("features");
        }

        @Test
        void unknownTopLevelKeyIsReported() {
            String text = BASE + "colour: blue\n";
            assertProblem(onlyProblem(F, text), "key.unknown", "$.colour", F, lineOf(text, "colour: blue"));
        }

        @Test
        void unknownKeysAreReportedAtEveryLevel() {
            String text = with("    id_field: order_id\n", "    id_field: order_id\n    topic: x\n")
                .replace("{required: true, min: 0, max: 100000}", "{required: true, min: 0, maximum: 100000}")
                .replace("kafka: {topic: shop.orders}", "kafka: {topic: shop.orders, brokers: b}\n      pulsar: {}")
                .replace("        column: amount\n      - name: order_count_7d",
                    "        column: amount\n        label: x\n      - name: order_count_7d")
                .replace("    join_keys: [customer_id]\n", "    join_keys: [customer_id]\n    colour: red\n")
                .replace("  - name: churn\n", "  - name: churn\n    team: me\n");
            assertThat(problems(F, text)).extracting(DefinitionProblem::rule, DefinitionProblem::path, DefinitionProblem::line)
                .containsExactly(
                    tuple("key.unknown", "entities[0].colour", lineOf(text, "colour: red")),
                    tuple("key.unknown", "sources[0].topic", lineOf(text, "topic: x")),
                    tuple("key.unknown", "sources[0].contract.amount.maximum", lineOf(text, "maximum:")),
                    tuple("key.unknown", "sources[0].streams.pulsar", lineOf(text, "pulsar:")),
                    tuple("key.unknown", "sources[0].streams.kafka.brokers", lineOf(text, "brokers:")),
                    tuple("key.unknown", "feature_views[0].features[0].label", lineOf(text, "label: x")),
                    tuple("key.unknown", "feature_services[0].team", lineOf(text, "team: me")));
        }

        @Test
        void duplicateKeyIsReportedAtItsSecondOccurrence() {
            String text = with("    description: A shopper.\n", "    description: A shopper.\n    description: Again.\n");
            assertProblem(onlyProblem(F, text), "key.duplicate", "entities[0].description", F, lineOf(text, "Again."));
        }

        @Test
        void duplicateColumnInSchemaIsReported() {
            String text = with("      quantity: int\n", "      quantity: int\n      quantity: long\n");
            assertProblem(onlyProblem(F, text), "key.duplicate", "sources[0].schema.quantity", F,
                lineOf(text, "quantity: long"));
        }

        @Test
        void duplicateTopLevelKeyIsReported() {
            String text = BASE + "project: other\n";
            assertProblem(onlyProblem(F, text), "key.duplicate", "$.project", F, lineOf(text, "project: other"));
        }

        @Test
        void nonScalarKeyIsReported() {
            String text = with("    description: A shopper.\n", "    description: A shopper.\n    ? [x, y]\n    : 1\n");
            assertProblem(onlyProblem(F, text), "key.scalar", "entities[0]", F, lineOf(text, "? [x, y]"));
        }
    }

    @Nested
    class Shapes {
        @Test
        void documentThatIsAListIsReported() {
            assertProblem(onlyProblem(F, "- a\n- b\n"), "type.mapping", "$", F, 1);
        }

        @Test
        void itemThatIsNotAMappingIsReported() {
            String text = "entities:\n  - name: a\n    join_keys: [k]\n  - just_a_name\n";
            assertProblem(onlyProblem(F, text), "type.mapping", "entities[1]", F, 4);
        }

        @Test
        void schemaThatIsNotAMappingIsReported() {
            String text = "entities: [{name: e, join_keys: [k]}]\nsources:\n  - name: s\n    entity: e\n"
                + "    timestamp_field: ts\n    schema: [k, ts]\n";
            assertProblem(problemWithRule(text, "type.mapping"), "type.mapping", "sources[0].schema", F, 6);
        }

        @Test
        void contractEntryThatIsNotAMappingIsReported() {
            String text = with("{required: true, min: 0, max: 100000}", "positive");
            assertProblem(onlyProblem(F, text), "type.mapping", "sources[0].contract.amount", F,
                lineOf(text, "amount: positive"));
        }

        @Test
        void streamsAndKafkaMustBeMappings() {
            String text = with("kafka: {topic: shop.orders}", "kafka: shop.orders");
            assertProblem(onlyProblem(F, text), "type.mapping", "sources[0].streams.kafka", F, lineOf(text, "kafka:"));
            String text2 = with("    streams:\n      kafka: {topic: shop.orders}\n", "    streams: kafka\n");
            assertProblem(onlyProblem(F, text2), "type.mapping", "sources[0].streams", F, lineOf(text2, "streams:"));
        }

        @Test
        void tagsMustBeAListOrAMappingOfScalars() {
            String text = with("    ttl: 30d\n", "    ttl: 30d\n    tags: pii\n");
            assertProblem(onlyProblem(F, text), "type.list", "feature_views[0].tags", F, lineOf(text, "tags:"));
            String text2 = with("    ttl: 30d\n", "    ttl: 30d\n    tags: {domain: [a]}\n");
            assertProblem(onlyProblem(F, text2), "type.scalar", "feature_views[0].tags.domain", F, lineOf(text2, "tags:"));
            String text3 = with("    ttl: 30d\n", "    ttl: 30d\n    tags: [pii, [a]]\n");
            assertProblem(onlyProblem(F, text3), "type.scalar", "feature_views[0].tags[1]", F, lineOf(text3, "tags:"));
        }

        @Test
        void serviceItemThatIsAListIsReported() {
            String text = with("      - customer_orders: [last_amount, spend_7d]", "      - [customer_orders, last_amount]");
            assertProblem(onlyProblem(F, text), "type.mapping", "feature_services[0].features[0]", F,
                lineOf(text, "- [customer_orders"));
        }

        @Test
        void sectionThatIsNotAListIsReported() {
            String text = "project: p\nentities: {name: e, join_keys: [k]}\n";
            assertProblem(onlyProblem(F, text), "type.list", "entities", F, 2);
        }

        @Test
        void joinKeysThatAreNotAListAreReported() {
            String text = "entities:\n  - name: e\n    join_keys: k\n";
            assertProblem(onlyProblem(F, text), "type.list", "entities[0].join_keys", F, 3);
        }

        @Test
        void viewFeaturesThatAreNotAListAreReported() {
            String text = "entities: [{name: e, join_keys: [k]}]\n"
                + "sources: [{name: s, entity: e, timestamp_field: ts, schema: {k: string, ts: timestamp}}]\n"
                + "feature_views:\n  - name: v\n    entity: e\n    source: s\n    features: k\n";
            assertProblem(onlyProblem(F, text), "type.list", "feature_views[0].features", F, 7);
        }

        @Test
        void serviceFeaturesThatAreNotAListAreReported() {
            String text = with("    features:\n      - customer_orders: [last_amount, spend_7d]\n",
                "    features: customer_orders\n");
            assertProblem(onlyProblem(F, text), "type.list", "feature_services[0].features", F,
                lineOf(text, "features: customer_orders"));
        }

        @Test
        void serviceRefListThatIsAScalarIsReported() {
            String text = with("customer_orders: [last_amount, spend_7d]", "customer_orders: last_amount");
            assertProblem(onlyProblem(F, text), "type.list", "feature_services[0].features[0].customer_orders", F,
                lineOf(text, "customer_orders: last_amount"));
        }

        @Test
        void nameThatIsAListIsReported() {
            String text = "entities:\n  - name: [a, b]\n    join_keys: [k]\n";
            assertProblem(onlyProblem(F, text), "type.scalar", "entities[0].name", F, 2);
        }

        @Test
        void projectThatIsAListIsReported() {
            assertProblem(onlyProblem(F, "project: [a]\n"), "type.scalar", "project", F, 1);
        }

        @Test
        void columnTypeThatIsAMappingIsReported() {
            String text = with("      quantity: int\n", "      quantity: {type: {name: int}}\n");
            assertProblem(onlyProblem(F, text), "type.scalar", "sources[0].schema.quantity.type", F,
                lineOf(text, "quantity: {"));
        }

        @Test
        void joinKeyThatIsAListIsReported() {
            String text = "entities:\n  - name: e\n    join_keys: [[k]]\n";
            assertProblem(onlyProblem(F, text), "type.scalar", "entities[0].join_keys", F, 3);
        }

        @Test
        void numberThatIsNotANumberIsReported() {
            String text = with("min: 0, max", "min: zero, max");
            assertProblem(onlyProblem(F, text), "type.number", "sources[0].contract.amount.min", F,
                lineOf(text, "min: zero"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"high", "NaN", "Infinity", ".inf", "1,5"})
        void quarantineThresholdThatIsNotAFiniteNumberIsReported(String value) {
            String text = with("quarantine_threshold: 0.05", "quarantine_threshold: " + value);
            assertProblem(onlyProblem(F, text), "type.number", "sources[0].quarantine_threshold", F,
                lineOf(text, "quarantine_threshold"));
        }

        @Test
        void booleanThatIsNotABooleanIsReported() {
            String text = with("required: true", "required: maybe");
            assertProblem(onlyProblem(F, text), "type.bool", "sources[0].contract.amount.required", F,
                lineOf(text, "required: maybe"));
            String text2 = with("    ttl: 30d\n", "    ttl: 30d\n    online: sometimes\n");
            assertProblem(onlyProblem(F, text2), "type.bool", "feature_views[0].online", F, lineOf(text2, "online:"));
        }
    }

    @Nested
    class Required {
        @Test
        void entityWithoutNameIsReportedAtTheEntity() {
            String text = "entities:\n  - name: a\n    join_keys: [k]\n  - join_keys: [k]\n    description: nameless\n";
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "required", "entities[1].name", F, 4);
            assertThat(p.message()).contains("needs a name");
        }

        @Test
        void featureWithoutNameIsReportedAtTheFeature() {
            String text = with("      - name: order_count_7d\n        aggregation: count\n", "      - aggregation: count\n");
            assertProblem(onlyProblem(F, text), "required", "feature_views[0].features[1].name", F,
                lineOf(text, "- aggregation: count"));
        }

        @Test
        void everyUnnamedKindIsReportedWithALine() {
            String text = """
                entities:
                  - join_keys: [k]
                sources:
                  - entity: e
                    timestamp_field: ts
                    schema: {k: string, ts: timestamp}
                feature_views:
                  - entity: e
                    source: s
                    features: [{column: k}]
                feature_services:
                  - features: ["v:f"]
                """;
            assertThat(problems(F, text)).extracting(DefinitionProblem::rule, DefinitionProblem::path, DefinitionProblem::line)
                .containsExactly(
                    tuple("required", "entities[0].name", 2),
                    tuple("required", "sources[0].name", 4),
                    tuple("required", "feature_views[0].name", 8),
                    tuple("required", "feature_views[0].features[0].name", 10),
                    tuple("required", "feature_services[0].name", 12));
        }

        @Test
        void entityWithoutJoinKeysIsReported() {
            String text = "entities:\n  - name: e\n    description: keyless\n";
            assertProblem(onlyProblem(F, text), "required", "entities[0].join_keys", F, 2);
        }

        @Test
        void sourceWithoutEntityTimestampOrSchemaIsReportedForEach() {
            String text = "entities: [{name: e, join_keys: [k]}]\nsources:\n  - name: s\n    description: bare\n";
            assertThat(problems(F, text)).extracting(DefinitionProblem::rule, DefinitionProblem::path, DefinitionProblem::line)
                .containsExactly(
                    tuple("required", "sources[0].entity", 3),
                    tuple("required", "sources[0].timestamp_field", 3),
                    tuple("required", "sources[0].schema", 3));
        }

        @Test
        void viewWithoutEntitySourceOrFeaturesIsReportedForEach() {
            String text = "feature_views:\n  - name: v\n    ttl: 1d\n";
            assertThat(problems(F, text)).extracting(DefinitionProblem::rule, DefinitionProblem::path, DefinitionProblem::line)
                .containsExactly(
                    tuple("required", "feature_views[0].entity", 2),
                    tuple("required", "feature_views[0].source", 2),
                    tuple("required", "feature_views[0].features", 2));
        }

        @Test
        void plainFeatureWithoutColumnIsReported() {
            String text = with("      - name: last_amount\n        column: amount\n",
                "      - name: last_amount\n        description: no column\n");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "required", "feature_views[0].features[0].column", F, lineOf(text, "name: last_amount"));
            assertThat(p.message()).contains("plain feature");
        }

        @Test
        void numericAggregationWithoutColumnIsReported() {
            String text = with("        aggregation: sum\n        column: amount\n", "        aggregation: sum\n");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "required", "feature_views[0].features[2].column", F, lineOf(text, "name: spend_7d"));
            assertThat(p.message()).contains("'sum'");
        }

        @Test
        void kafkaWithoutTopicIsReported() {
            String text = with("kafka: {topic: shop.orders}", "kafka: {}");
            assertProblem(onlyProblem(F, text), "required", "sources[0].streams.kafka.topic", F, lineOf(text, "kafka:"));
        }

        @Test
        void serviceWithoutFeaturesIsReported() {
            String text = with("    features:\n      - customer_orders: [last_amount, spend_7d]\n",
                "    description: empty\n");
            assertProblem(onlyProblem(F, text), "required", "feature_services[0].features", F, lineOf(text, "name: churn"));
        }

        @Test
        void entityWithEmptyJoinKeysIsReported() {
            String text = "entities:\n  - name: e\n    join_keys: []\n";
            assertProblem(onlyProblem(F, text), "join_keys.empty", "entities[0].join_keys", F, 3);
        }

        @Test
        void aJoinKeyListedTwiceIsReported() {
            String text = "entities:\n  - name: e\n    join_keys: [k, k]\n";
            assertProblem(onlyProblem(F, text), "name.duplicate", "entities[0].join_keys", F, 3);
        }

        @Test
        void viewWithEmptyFeaturesIsReported() {
            String text = "entities: [{name: e, join_keys: [k]}]\n"
                + "sources: [{name: s, entity: e, timestamp_field: ts, schema: {k: string, ts: timestamp}}]\n"
                + "feature_views:\n  - name: v\n    entity: e\n    source: s\n    features: []\n";
            assertProblem(onlyProblem(F, text), "features.empty", "feature_views[0].features", F, 7);
        }

        @Test
        void serviceWithEmptyFeaturesIsReported() {
            String text = with("    features:\n      - customer_orders: [last_amount, spend_7d]\n", "    features: []\n");
            assertProblem(onlyProblem(F, text), "features.empty", "feature_services[0].features", F,
                lineOf(text, "features: []"));
        }

        @Test
        void emptySchemaIsReported() {
            String text = "sources:\n  - name: s\n    entity: e\n    timestamp_field: ts\n    schema: {}\n";
            assertProblem(problemWithRule(text, "schema.empty"), "schema.empty", "sources[0].schema", F, 5);
        }

        @Test
        void allowedListOfMalformedValuesIsNotReportedAsEmpty() {
            String text = with("allowed: [web, store, app]", "allowed: [[web]]");
            assertProblem(onlyProblem(F, text), "type.scalar", "sources[0].contract.channel.allowed", F,
                lineOf(text, "allowed: [[web]]"));
        }

        @Test
        void emptyAllowedListIsReported() {
            String text = with("allowed: [web, store, app]", "allowed: []");
            assertProblem(onlyProblem(F, text), "contract.allowed_empty", "sources[0].contract.channel.allowed", F,
                lineOf(text, "allowed: []"));
        }
    }

    @Nested
    class Names {
        @ParameterizedTest
        @ValueSource(strings = {"1st", "has-dash", "with space", "dot.ted", "ümlaut", "tab\there", "",
            "a2345678901234567890123456789012345678901234567890123456789012345"})
        void entityNameOutsideThePatternIsReported(String name) {
            String text = "entities:\n  - name: \"" + name + "\"\n    join_keys: [k]\n";
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "name.pattern", "entities[0].name", F, 2);
            assertThat(p.message()).contains("'" + name + "'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"_", "a", "A_1", "_private", "null", "true",
            "a234567890123456789012345678901234567890123456789012345678901234"})
        void namesInsideThePatternAreAccepted(String name) {
            Definitions d = DefinitionsParser.parse(F, "entities:\n  - name: " + name + "\n    join_keys: [k]\n");
            assertThat(d.entities()).singleElement().extracting(Entity::name).isEqualTo(name);
        }

        @Test
        void columnNameOutsideThePatternIsReported() {
            String text = with("      quantity: int\n", "      quantity: int\n      unit-price: double\n");
            assertProblem(onlyProblem(F, text), "name.pattern", "sources[0].schema.unit-price", F,
                lineOf(text, "unit-price"));
        }

        @Test
        void joinKeyOutsideThePatternIsReported() {
            String text = "entities:\n  - name: e\n    join_keys: [ok, \"not ok\"]\n";
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "name.pattern", "entities[0].join_keys", F, 3);
            assertThat(p.message()).contains("'not ok'");
        }

        @Test
        void viewNameOutsideThePatternIsReportedAndTheViewIsLeftOut() {
            String text = with("  - name: customer_orders\n", "  - name: customer-orders\n");
            int refLine = lineOf(text, "- customer_orders: [");
            assertThat(problems(F, text)).extracting(DefinitionProblem::rule, DefinitionProblem::path, DefinitionProblem::line)
                .containsExactly(
                    tuple("name.pattern", "feature_views[0].name", lineOf(text, "customer-orders")),
                    tuple("ref.feature_view", "feature_services[0].features[0].customer_orders", refLine),
                    tuple("ref.feature_view", "feature_services[0].features[0].customer_orders", refLine));
        }

        @Test
        void serviceNameOutsideThePatternIsReported() {
            String text = with("  - name: churn\n", "  - name: churn v1\n");
            assertProblem(onlyProblem(F, text), "name.pattern", "feature_services[0].name", F, lineOf(text, "churn v1"));
        }

        @Test
        void duplicateEntityIsReportedAtTheSecondAndNamesTheFirst() {
            String text = with("    description: A shopper.\n",
                "    description: A shopper.\n  - name: customer\n    join_keys: [customer_id]\n");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "name.duplicate", "entities[1].name", F, lineOf(text, "description: A shopper.") + 1);
            assertThat(p.message()).contains("entity 'customer'").contains("(first at " + F + ":" + (lineOf(BASE, "join_keys: [customer_id]") - 1) + ")");
        }

        @Test
        void duplicateSourceIsReported() {
            String text = with("feature_views:\n",
                "  - name: orders\n    entity: customer\n    timestamp_field: ts\n    schema: {customer_id: string, ts: timestamp}\n"
                    + "feature_views:\n");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "name.duplicate", "sources[1].name", F, lineOf(text, "feature_views:") - 4);
            assertThat(p.message()).contains("source 'orders'").contains("(first at " + F + ":" + lineOf(BASE, "- name: orders") + ")");
        }

        @Test
        void duplicateViewIsReported() {
            String text = with("feature_services:\n", """
                  - name: customer_orders
                    entity: customer
                    source: orders
                    features: [{name: last_amount, column: amount}]
                feature_services:
                """);
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "name.duplicate", "feature_views[1].name", F, lineOf(text, "feature_services:") - 4);
            assertThat(p.message()).contains("feature view 'customer_orders'")
                .contains("(first at " + F + ":" + lineOf(BASE, "- name: customer_orders") + ")");
        }

        @Test
        void duplicateServiceIsReported() {
            String text = BASE + "  - name: churn\n    features: [\"customer_orders:spend_7d\"]\n";
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "name.duplicate", "feature_services[1].name", F, lineOf(text, "customer_orders:spend_7d") - 1);
            assertThat(p.message()).contains("feature service 'churn'").contains("(first at " + F + ":" + lineOf(BASE, "- name: churn") + ")");
        }

        @Test
        void duplicateFeatureInAViewIsReportedAtTheSecond() {
            String text = with("        window: 7d\n      - name: spend_7d\n",
                "        window: 7d\n      - name: last_amount\n        column: channel\n      - name: spend_7d\n");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "name.duplicate", "feature_views[0].features[2]", F, lineOf(text, "column: channel") - 1);
            assertThat(p.message()).contains("feature 'last_amount'").contains("'customer_orders'");
        }

        @Test
        void featureListedTwiceInAServiceIsReported() {
            String text = with("      - customer_orders: [last_amount, spend_7d]",
                "      - \"customer_orders:spend_7d\"\n      - customer_orders:last_amount\n      - customer_orders:spend_7d");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "name.duplicate", "feature_services[0].features[2]", F,
                lineOf(text, "- customer_orders:spend_7d"));
            assertThat(p.message()).contains("customer_orders:spend_7d");
        }
    }

    @Nested
    class Values {
        @Test
        void unknownColumnTypeIsReported() {
            String text = with("quantity: int", "quantity: decimal");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "type.unknown", "sources[0].schema.quantity", F, lineOf(text, "quantity: decimal"));
            assertThat(p.message()).contains("'decimal'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"30 days", "0d", "-1d", "1w", "30", "P30D"})
        void badTtlIsReported(String ttl) {
            String text = with("ttl: 30d", "ttl: " + ttl);
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "duration.syntax", "feature_views[0].ttl", F, lineOf(text, "ttl:"));
            assertThat(p.message()).contains("'" + ttl + "'");
        }

        @Test
        void badWindowIsReported() {
            String text = with("        column: amount\n        window: 7d", "        column: amount\n        window: 1 week");
            assertProblem(onlyProblem(F, text), "duration.syntax", "feature_views[0].features[2].window", F,
                lineOf(text, "window: 1 week"));
        }

        @Test
        void badHopIsReported() {
            String text = with("    ttl: 30d\n", "    ttl: 30d\n    hop: 0m\n");
            assertProblem(onlyProblem(F, text), "duration.syntax", "feature_views[0].hop", F, lineOf(text, "hop: 0m"));
        }

        @Test
        void ttlThatIsAListIsReportedOnce() {
            String text = with("ttl: 30d", "ttl: [30d]");
            assertProblem(onlyProblem(F, text), "type.scalar", "feature_views[0].ttl", F, lineOf(text, "ttl:"));
        }

        @Test
        void unknownAggregationIsReported() {
            String text = with("aggregation: count", "aggregation: tally");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "aggregation.unknown", "feature_views[0].features[1].aggregation", F,
                lineOf(text, "aggregation: tally"));
            assertThat(p.message()).contains("'tally'");
        }

        @Test
        void windowIsRequiredForAnAggregation() {
            String text = with("        aggregation: count\n        window: 7d\n", "        aggregation: count\n");
            assertProblem(onlyProblem(F, text), "window.required", "feature_views[0].features[1].window", F,
                lineOf(text, "name: order_count_7d"));
        }

        @Test
        void windowWithoutAggregationIsReported() {
            String text = with("      - name: last_amount\n        column: amount\n",
                "      - name: last_amount\n        column: amount\n        window: 1d\n");
            assertProblem(onlyProblem(F, text), "window.without_aggregation", "feature_views[0].features[0].window", F,
                lineOf(text, "window: 1d"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.5", "-0.1", "2"})
        void quarantineThresholdOutsideZeroToOneIsReported(String value) {
            String text = with("quarantine_threshold: 0.05", "quarantine_threshold: " + value);
            assertProblem(onlyProblem(F, text), "range", "sources[0].quarantine_threshold", F,
                lineOf(text, "quarantine_threshold"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"a year", "0d", "-5d"})
        void retentionThatIsNotAPositiveDurationIsReported(String value) {
            String text = with("quarantine_threshold: 0.05", "quarantine_threshold: 0.05\n    retention: " + value);
            assertProblem(onlyProblem(F, text), "duration.syntax", "sources[0].retention", F, lineOf(text, "retention:"));
        }

        @Test
        void retentionIsReadAndKeptInTheCanonicalForm() {
            String text = with("quarantine_threshold: 0.05", "quarantine_threshold: 0.05\n    retention: 400d");
            Definitions d = DefinitionsParser.parse(F, text);
            assertThat(d.source("orders").orElseThrow().retentionMillis()).isEqualTo(400L * 86_400_000L);
            assertThat(CanonicalForm.toJson(d)).contains("\"retention\" : \"400d\"");
            assertThat(DefinitionsParser.parse(F, BASE).source("orders").orElseThrow().retentionMillis())
                .as("no retention: keep every event").isZero();
        }

        @Test
        void hopMustDivideEveryWindow() {
            String text = with("    ttl: 30d\n", "    ttl: 30d\n    hop: 5h\n");
            List<DefinitionProblem> ps = problems(F, text);
            assertThat(ps).hasSize(2);
            assertThat(ps).allSatisfy(p ->
                assertProblem(p, "hop.divides_window", "feature_views[0].hop", F, lineOf(text, "hop: 5h")));
            assertThat(ps).extracting(DefinitionProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("5h").contains("7d").contains("'order_count_7d'"),
                m -> assertThat(m).contains("'spend_7d'"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"1h", "7d", "12h", "30m", "1d"})
        void hopThatDividesEveryWindowIsAccepted(String hop) {
            String text = with("    ttl: 30d\n", "    ttl: 30d\n    hop: " + hop + "\n");
            assertThat(DefinitionsParser.parse(F, text).featureViews().get(0).hopMillis())
                .isEqualTo(Durations.parseMillis(hop));
        }
    }

    @Nested
    class References {
        @Test
        void sourceOfUnknownEntityIsReported() {
            String text = with("  - name: orders\n    entity: customer\n", "  - name: orders\n    entity: shopper\n");
            assertThat(problems(F, text)).satisfiesExactly(
                p -> assertProblem(p, "ref.entity", "sources[0].entity", F, lineOf(text, "entity: shopper")),
                // the view still says customer, so it no longer matches its source
                p -> assertProblem(p, "ref.entity_mismatch", "feature_views[0].source", F, lineOf(text, "source: orders")));
        }

        @Test
        void viewOfUnknownEntityIsReported() {
            String text = with("  - name: customer_orders\n    entity: customer\n",
                "  - name: customer_orders\n    entity: shopper\n");
            assertThat(problems(F, text)).satisfiesExactly(
                p -> assertProblem(p, "ref.entity", "feature_views[0].entity", F, lineOf(text, "entity: shopper")),
                p -> assertProblem(p, "ref.entity_mismatch", "feature_views[0].source", F, lineOf(text, "source: orders")));
        }

        @Test
        void viewOfUnknownSourceIsReported() {
            String text = with("source: orders", "source: clicks");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "ref.source", "feature_views[0].source", F, lineOf(text, "source: clicks"));
            assertThat(p.message()).contains("'clicks'");
        }

        @Test
        void viewWhoseSourceDescribesAnotherEntityIsReported() {
            String text = with("    description: A shopper.\n",
                    "    description: A shopper.\n  - name: store\n    join_keys: [store_id]\n")
                .replace("  - name: customer_orders\n    entity: customer\n", "  - name: customer_orders\n    entity: store\n");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "ref.entity_mismatch", "feature_views[0].source", F, lineOf(text, "source: orders"));
            assertThat(p.message()).contains("'orders'").contains("'customer'").contains("'store'");
        }

        @Test
        void featureOverUnknownColumnIsReported() {
            String text = with("      - name: last_amount\n        column: amount\n",
                "      - name: last_amount\n        column: price\n");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "ref.column", "feature_views[0].features[0].column", F, lineOf(text, "name: last_amount"));
            assertThat(p.message()).contains("'price'").contains("'orders'");
        }

        @Test
        void idFieldThatIsNotAColumnIsReported() {
            String text = with("id_field: order_id", "id_field: order_ref");
            assertProblem(onlyProblem(F, text), "ref.column", "sources[0].id_field", F, lineOf(text, "id_field:"));
        }

        @Test
        void contractOnUnknownColumnIsReported() {
            String text = with("      channel: {allowed", "      colour: {required: true}\n      channel: {allowed");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "ref.column", "sources[0].contract.colour", F, lineOf(text, "colour:"));
            assertThat(p.message()).contains("'colour'");
        }

        @Test
        void timestampFieldThatIsNotAColumnIsReported() {
            String text = with("timestamp_field: event_ts", "timestamp_field: event_time");
            assertProblem(onlyProblem(F, text), "ref.column", "sources[0].timestamp_field", F,
                lineOf(text, "timestamp_field: event_time"));
        }

        @Test
        void createdTimestampFieldThatIsNotAColumnIsReported() {
            String text = with("created_timestamp_field: created_ts", "created_timestamp_field: created_at");
            assertProblem(onlyProblem(F, text), "ref.column", "sources[0].created_timestamp_field", F,
                lineOf(text, "created_timestamp_field:"));
        }

        @Test
        void timestampFieldOfAnotherTypeIsReported() {
            String text = with("timestamp_field: event_ts", "timestamp_field: channel");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "type.timestamp", "sources[0].timestamp_field", F, lineOf(text, "timestamp_field: channel"));
            assertThat(p.message()).contains("string");
        }

        @Test
        void createdTimestampFieldOfAnotherTypeIsReported() {
            String text = with("created_timestamp_field: created_ts", "created_timestamp_field: quantity");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "type.timestamp", "sources[0].created_timestamp_field", F,
                lineOf(text, "created_timestamp_field:"));
            assertThat(p.message()).contains("int");
        }

        @Test
        void schemaWithoutTheEntityJoinKeyIsReported() {
            String text = with("      customer_id: string\n", "");
            DefinitionProblem p = onlyProblem(F, text);
            // a block mapping starts at its first entry
            assertProblem(p, "schema.join_key", "sources[0].schema", F, lineOf(text, "order_id: string"));
            assertThat(p.message()).contains("'customer_id'").contains("'customer'");
        }

        @Test
        void serviceRefToUnknownViewIsReported() {
            String text = with("      - customer_orders: [last_amount, spend_7d]", "      - \"customer_ordrs:last_amount\"");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "ref.feature_view", "feature_services[0].features[0]", F, lineOf(text, "customer_ordrs"));
            assertThat(p.message()).contains("'customer_ordrs'");
        }

        @Test
        void serviceRefToUnknownFeatureIsReported() {
            String text = with("[last_amount, spend_7d]", "[last_amount, spend_30d]");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "ref.feature", "feature_services[0].features[0].customer_orders", F, lineOf(text, "spend_30d"));
            assertThat(p.message()).contains("'spend_30d'").contains("'customer_orders'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"customer_orders", ":spend_7d", "customer_orders:", "a:b:c"})
        void serviceRefWithoutViewColonFeatureIsReported(String ref) {
            String text = with("      - customer_orders: [last_amount, spend_7d]", "      - \"" + ref + "\"");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "feature_ref.syntax", "feature_services[0].features[0]", F, lineOf(text, "- \"" + ref));
            assertThat(p.message()).contains("'" + ref + "'");
        }
    }

    @Nested
    class Contracts {
        @Test
        void minOnAStringColumnIsReported() {
            String text = with("channel: {allowed: [web, store, app]}", "channel: {min: 1}");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "contract.min_max_numeric", "sources[0].contract.channel.min", F, lineOf(text, "channel: {min"));
            assertThat(p.message()).contains("'channel'").contains("string");
        }

        @Test
        void maxOnATimestampColumnIsReportedAtMax() {
            String text = with("      channel: {allowed", "      event_ts:\n        max: 5\n      channel: {allowed");
            assertProblem(onlyProblem(F, text), "contract.min_max_numeric", "sources[0].contract.event_ts.max", F,
                lineOf(text, "max: 5"));
        }

        @Test
        void minAndMaxOnABoolColumnAreReportedOnce() {
            String text = with("      quantity: int\n", "      quantity: int\n      gift: bool\n")
                .replace("      channel: {allowed", "      gift: {min: 0, max: 1}\n      channel: {allowed");
            assertProblem(onlyProblem(F, text), "contract.min_max_numeric", "sources[0].contract.gift.min", F,
                lineOf(text, "gift: {min"));
        }

        @Test
        void allowedOnANumericColumnIsReported() {
            String text = with("{required: true, min: 0, max: 100000}", "{allowed: [1, 2]}");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "contract.allowed_string", "sources[0].contract.amount.allowed", F,
                lineOf(text, "amount: {allowed"));
            assertThat(p.message()).contains("'amount'").contains("double");
        }

        @Test
        void minGreaterThanMaxIsReported() {
            String text = with("min: 0, max: 100000", "min: 100, max: 1");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "contract.range", "sources[0].contract.amount", F, lineOf(text, "min: 100"));
            assertThat(p.message()).contains("100.0").contains("1.0");
        }

        @Test
        void minEqualToMaxIsAccepted() {
            String text = with("min: 0, max: 100000", "min: 7, max: 7");
            assertThat(DefinitionsParser.parse(F, text).sources().get(0).contract().get("amount"))
                .isEqualTo(new ColumnContract(true, 7.0, 7.0, null));
        }
    }

    @Nested
    class Aggregations {
        @ParameterizedTest
        @ValueSource(strings = {"sum", "avg", "min", "max", "stddev"})
        void numericAggregationOverAStringColumnIsReported(String agg) {
            String text = with("        aggregation: sum\n        column: amount\n",
                "        aggregation: " + agg + "\n        column: channel\n");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "aggregation.numeric", "feature_views[0].features[2].aggregation", F,
                lineOf(text, "name: spend_7d"));
            assertThat(p.message()).contains("'" + agg + "'").contains("'channel'").contains("string");
        }

        @ParameterizedTest
        @ValueSource(strings = {"timestamp", "bool"})
        void averageOverANonNumericTypeIsReported(String type) {
            String text = with("      quantity: int\n", "      quantity: int\n      odd: " + type + "\n")
                .replace("        aggregation: sum\n        column: amount\n", "        aggregation: avg\n        column: odd\n");
            assertThat(onlyProblem(F, text).rule()).isEqualTo("aggregation.numeric");
        }

        @ParameterizedTest
        @ValueSource(strings = {"count", "count_distinct", "first", "last"})
        void nonNumericAggregationsAcceptAStringColumn(String agg) {
            String text = with("        aggregation: sum\n        column: amount\n",
                "        aggregation: " + agg + "\n        column: channel\n");
            assertThat(DefinitionsParser.parse(F, text).featureViews().get(0).feature("spend_7d").orElseThrow().aggregation())
                .isEqualTo(Aggregation.parse(agg));
        }

        @ParameterizedTest
        @ValueSource(strings = {"int", "long", "float", "double"})
        void numericAggregationsAcceptEveryNumericType(String type) {
            String text = with("      quantity: int\n", "      quantity: int\n      n: " + type + "\n")
                .replace("        aggregation: sum\n        column: amount\n", "        aggregation: stddev\n        column: n\n");
            assertThat(DefinitionsParser.parse(F, text).featureViews().get(0).feature("spend_7d").orElseThrow().column())
                .isEqualTo("n");
        }
    }

    @Nested
    class Projects {
        @Test
        void differentProjectsInTwoFilesAreReportedInTheSecond() {
            String second = "# more\nproject: warehouse\nentities: []\n";
            List<DefinitionProblem> ps = problems(List.of(new Input("a.yaml", BASE), new Input("b.yaml", second)));
            assertThat(ps).singleElement().satisfies(p -> {
                assertProblem(p, "project.conflict", "project", "b.yaml", 2);
                assertThat(p.message()).contains("'warehouse'").contains("'shop'");
            });
        }

        @Test
        void sameProjectInTwoFilesIsAccepted() {
            Definitions d = DefinitionsParser.parse(List.of(new Input("a.yaml", BASE), new Input("b.yaml", "project: shop\n")));
            assertThat(d.project()).isEqualTo("shop");
        }

        @Test
        void projectGivenInOnlyOneFileIsKept() {
            Definitions d = DefinitionsParser.parse(List.of(new Input("a.yaml", "entities: []\n"),
                new Input("b.yaml", "project: shop\n")));
            assertThat(d.project()).isEqualTo("shop");
        }
    }
}

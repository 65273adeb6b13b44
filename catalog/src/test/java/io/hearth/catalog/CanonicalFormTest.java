package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.example;
import static io.hearth.catalog.Fixtures.exampleText;
import static io.hearth.catalog.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stored JSON form: parses back (JSON is YAML) to equal definitions, and is a fixed point. */
class CanonicalFormTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Definitions roundTrip(Definitions d) {
        return DefinitionsParser.parse("registry.json", CanonicalForm.toJson(d));
    }

    @Test
    void exampleParsesBackToEqualDefinitions() {
        Definitions d = example();
        assertThat(roundTrip(d)).isEqualTo(d);
    }

    @Test
    void canonicalJsonIsAFixedPoint() {
        String once = CanonicalForm.toJson(example());
        String twice = CanonicalForm.toJson(DefinitionsParser.parse("registry.json", once));
        assertThat(twice).isEqualTo(once);
    }

    @Test
    void outputIsValidJson() throws Exception {
        JsonNode tree = JSON.readTree(CanonicalForm.toJson(example()));
        assertThat(tree.get("project").asText()).isEqualTo("shop");
        assertThat(tree.get("feature_views")).hasSize(2);
    }

    @Test
    void rootKeysComeInFileOrderAndEmptySectionsAreWritten() {
        Map<String, Object> tree = CanonicalForm.tree(DefinitionsParser.parse("f.yaml", "project: p\n"));
        assertThat(tree).containsExactly(Map.entry("project", "p"), Map.entry("entities", List.of()),
            Map.entry("sources", List.of()), Map.entry("feature_views", List.of()), Map.entry("feature_services", List.of()),
            Map.entry("models", List.of()));
    }

    @Test
    void emptyDefinitionsHaveNoProjectAndParseBack() {
        assertThat(CanonicalForm.tree(Definitions.empty())).doesNotContainKey("project");
        assertThat(roundTrip(Definitions.empty())).isEqualTo(Definitions.empty());
    }

    @Test
    void defaultsAreWrittenOut() {
        Definitions d = DefinitionsParser.parse("f.yaml", """
            entities: [{name: e, join_keys: [k]}]
            sources: [{name: s, entity: e, timestamp_field: ts, schema: {k: string, ts: timestamp}}]
            feature_views: [{name: v, entity: e, source: s, features: [{name: f, column: k}]}]
            """);
        Map<String, Object> tree = CanonicalForm.tree(d);
        assertThat(first(tree, "sources")).containsEntry("quarantine_threshold", Source.DEFAULT_QUARANTINE_THRESHOLD)
            .doesNotContainKeys("contract", "streams", "id_field", "created_timestamp_field", "description");
        assertThat(first(tree, "feature_views")).containsEntry("online", true)
            .doesNotContainKeys("ttl", "hop", "owner", "tags", "description");
        assertThat(CanonicalForm.toJson(d)).contains("\"quarantine_threshold\" : 0.05").contains("\"online\" : true");
    }

    @Test
    void keysOfASourceComeInAFixedOrder() {
        Map<String, Object> orders = first(CanonicalForm.tree(example()), "sources");
        assertThat(orders.keySet()).containsExactly("name", "entity", "timestamp_field", "created_timestamp_field",
            "id_field", "schema", "contract", "expectations", "quarantine_threshold", "streams", "description", "owner",
            "tags");
        assertThat(orders.get("streams")).isEqualTo(Map.of("kafka", Map.of("topic", "shop.orders")));
    }

    @Test
    void durationsAreWrittenInTheirShortestSpelling() {
        Definitions d = DefinitionsParser.parse("f.yaml", """
            entities: [{name: e, join_keys: [k]}]
            sources: [{name: s, entity: e, timestamp_field: ts, schema: {k: string, n: int, ts: timestamp}}]
            feature_views:
              - name: v
                entity: e
                source: s
                ttl: 720h
                hop: 60000ms
                features:
                  - {name: a, aggregation: sum, column: n, window: 120m}
                  - {name: b, aggregation: sum, column: n, window: 90m}
                  - {name: c, aggregation: sum, column: n, window: 1440m}
            """);
        Map<String, Object> view = first(CanonicalForm.tree(d), "feature_views");
        assertThat(view).containsEntry("ttl", "30d").containsEntry("hop", "1m");
        assertThat(((List<?>) view.get("features")).stream().map(f -> ((Map<?, ?>) f).get("window")).map(String::valueOf).toList())
            .containsExactly("2h", "90m", "1d");
    }

    @Test
    void typeAliasesAreWrittenInTheirCanonicalSpelling() {
        Definitions d = DefinitionsParser.parse("f.yaml", """
            entities: [{name: e, join_keys: [k]}]
            sources: [{name: s, entity: e, timestamp_field: ts, schema: {k: int64, b: Boolean, ts: DateTime}}]
            """);
        assertThat(first(CanonicalForm.tree(d), "sources").get("schema"))
            .isEqualTo(Map.of("k", "long", "b", "bool", "ts", "timestamp"));
    }

    @Test
    void contractWritesOnlyTheRulesThatAreSet() {
        Map<String, Object> orders = first(CanonicalForm.tree(example()), "sources");
        assertThat(orders.get("contract")).isEqualTo(Map.of(
            "amount", Map.of("required", true, "min", 0.0, "max", 100_000.0),
            "channel", Map.of("allowed", List.of("web", "store", "app"))));
    }

    @Test
    void plainFeatureHasNoAggregationOrWindow() {
        Map<String, Object> view = first(CanonicalForm.tree(example()), "feature_views");
        List<?> features = (List<?>) view.get("features");
        assertThat(features.get(0)).isEqualTo(Map.of("name", "last_amount", "column", "amount",
            "description", "Amount of the customer's latest order."));
        assertThat(features.get(2)).isEqualTo(Map.of("name", "purchase_frequency_30d", "aggregation", "count",
            "window", "30d", "description", "Orders in the last 30 days."));
    }

    @Test
    void equivalentFilesHaveTheSameCanonicalForm() {
        String restyled = exampleText()
            .replaceAll("(?m)\\s+#.*$", "")
            .replace("ttl: 30d", "ttl: 720h")
            .replace("amount: double", "amount: float64")
            .replace("window: 1d", "window: 24h")
            .replace("online: true", "online: yes")
            .replace("      - customer_profile: [tier, tenure_days]", "      - customer_profile:tier\n      - customer_profile:tenure_days");
        assertThat(restyled).isNotEqualTo(exampleText());
        assertThat(CanonicalForm.toJson(DefinitionsParser.parse("other.yaml", restyled)))
            .isEqualTo(CanonicalForm.toJson(example()));
    }

    @Test
    void serviceFeatureOrderSurvivesWhenRefsAlternateBetweenViews() {
        Definitions d = DefinitionsParser.parse("f.yaml", """
            entities: [{name: e, join_keys: [k]}]
            sources: [{name: s, entity: e, timestamp_field: ts, schema: {k: string, ts: timestamp}}]
            feature_views:
              - {name: a, entity: e, source: s, features: [{name: x, column: k}, {name: z, column: k}]}
              - {name: b, entity: e, source: s, features: [{name: y, column: k}]}
            feature_services:
              - name: svc
                features: ["a:x", "b:y", "a:z"]
            """);
        assertThat(roundTrip(d).featureService("svc").orElseThrow().features()).containsExactly(
            new FeatureRef("a", "x"), new FeatureRef("b", "y"), new FeatureRef("a", "z"));
        assertThat(first(CanonicalForm.tree(d), "feature_services").get("features"))
            .isEqualTo(List.of(Map.of("a", List.of("x")), Map.of("b", List.of("y")), Map.of("a", List.of("z"))));
    }

    @Test
    void refsToTheSameViewInARowAreGroupedIntoOneItem() {
        assertThat(first(CanonicalForm.tree(example()), "feature_services").get("features")).isEqualTo(List.of(
            Map.of("customer_orders", List.of("purchase_frequency_30d", "average_order_value_30d", "last_amount")),
            Map.of("customer_profile", List.of("tier", "tenure_days"))));
    }

    @Test
    void awkwardCharactersInTextSurviveTheRoundTrip() {
        List<String> awkward = List.of("line\nbreak", "tab\there", "quote \" and \\ backslash", "# not a comment",
            "key: value", "  leading and trailing  ", "---", "...", "null", "~", "", "yes", "0x1F", "1e3",
            "next line \u0085 here", "del \u007F here", "c1 \u0090 \u009F here", "ls \u2028 ps \u2029 here",
            "nonchar \uFFFE \uFFFF here", "bom \uFEFF here", "nul \u0000 here", "astral \uD83D\uDE00 here",
            "é中", "cr\r\nlf", "&anchor *alias !tag |block >fold %dir @at `tick");
        for (String s : awkward) {
            // every free text the metadata has: description, owner, tag words, keys and values, a deprecation's reason
            Meta meta = new Meta(s, s, List.of(Tag.word("w" + s), new Tag("k" + s, s)),
                new Deprecation(java.time.LocalDate.of(2026, 1, 31), "r" + s, null, null));
            Entity e = new Entity("e", List.of("k"), meta);
            Source src = new Source("s", "e", "ts", null, null, Map.of("k", ColumnType.STRING, "ts", ColumnType.TIMESTAMP),
                Map.of("k", new ColumnContract(false, null, null, List.of(s))), 0.5, s, 0, Map.of("k", meta), meta);
            FeatureView v = new FeatureView("v", "e", "s", true, 0, 0, List.of(new Feature("f", "k", null, 0, meta)), s,
                Map.of("k" + s, s), s);
            Definitions d = new Definitions(s, List.of(e), List.of(src), List.of(v),
                List.of(new FeatureService("svc", List.of(new FeatureRef("v", "f")), meta)),
                List.of(new Model("m", s.isBlank() ? "v" + s : s, "svc", List.of(), meta)));
            String json = CanonicalForm.toJson(d);
            assertThat(roundTrip(d)).as("text %s", escape(s)).isEqualTo(d);
            assertThat(json).as("raw characters YAML would not read back").doesNotContain(
                "\u0085", "\u007F", "\u0090", "\u2028", "\u2029", "\uFFFE", "\uFFFF");
        }
    }

    @Test
    void randomDefinitionsParseBackToEqualDefinitions() {
        long seed = seed("randomDefinitionsParseBackToEqualDefinitions");
        Random rnd = new Random(seed);
        RandomDefinitions gen = new RandomDefinitions(rnd);
        for (int i = 0; i < 300; i++) {
            Definitions d = gen.next();
            String json = CanonicalForm.toJson(d);
            Definitions back;
            try {
                back = DefinitionsParser.parse("registry.json", json);
            } catch (DefinitionException e) {
                throw new AssertionError("seed " + seed + ", case " + i + ": canonical form rejected: " + e.getMessage()
                    + "\n" + json, e);
            }
            assertThat(back).as("seed %d, case %d:\n%s", seed, i, json).isEqualTo(d);
            assertThat(CanonicalForm.toJson(back)).as("seed %d, case %d", seed, i).isEqualTo(json);
        }
    }

    @Test
    void serializingDoesNotFailForLargeDefinitions() {
        long seed = seed("serializingDoesNotFailForLargeDefinitions");
        RandomDefinitions gen = new RandomDefinitions(new Random(seed));
        assertThatCode(() -> {
            for (int i = 0; i < 20; i++) {
                JSON.readTree(CanonicalForm.toJson(gen.next()));
            }
        }).as("seed %d", seed).doesNotThrowAnyException();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(Map<String, Object> tree, String section) {
        return (Map<String, Object>) ((List<?>) tree.get(section)).get(0);
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> sb.append(c < 0x20 || c > 0x7E ? String.format("\\u{%X}", c) : Character.toString(c)));
        return sb.toString();
    }
}

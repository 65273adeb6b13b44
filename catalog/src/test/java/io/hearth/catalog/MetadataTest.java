package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.assertProblem;
import static io.hearth.catalog.Fixtures.lineOf;
import static io.hearth.catalog.Fixtures.onlyProblem;
import static io.hearth.catalog.Fixtures.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Description, owner, tags and deprecation on every kind of object: how each is read, and every bad value reported
 * with its rule, key path and line.
 */
class MetadataTest {
    private static final String F = "meta.yaml";

    /** Valid, with metadata on every kind of object; the tests below break it in one place. */
    static final String BASE = """
        entities:
          - name: customer
            join_keys: [customer_id]
            description: A shopper.
            owner: crm-team
            tags: [core]
        sources:
          - name: orders
            entity: customer
            timestamp_field: event_ts
            schema:
              customer_id: string
              amount: {type: double, description: Order total in EUR., owner: finance, tags: [money, {unit: EUR}]}
              amount_eur: double
              event_ts: timestamp
            description: One event per order.
            owner: checkout-team
            tags: [pii, {domain: commerce}]
        feature_views:
          - name: customer_orders
            entity: customer
            source: orders
            features:
              - name: spend_7d
                aggregation: sum
                column: amount
                window: 7d
                owner: growth-team
                tags: {tier: gold}
                deprecated: {since: 2026-01-15, reason: Use spend_7d_eur., replacement: "customer_orders:spend_7d_eur", sunset: 2026-06-30}
              - name: spend_7d_eur
                aggregation: sum
                column: amount_eur
                window: 7d
            owner: growth-team
            tags: {domain: commerce}
            description: Orders per customer.
        feature_services:
          - name: churn
            features:
              - customer_orders: [spend_7d_eur]
            description: Inputs of the churn model.
            owner: ml-team
            tags: [churn]
        """;

    private static Definitions parse(String text) {
        return DefinitionsParser.parse(F, text);
    }

    private static String with(String from, String to) {
        return replaceOnce(BASE, from, to);
    }

    @Nested
    class Reading {
        private final Definitions d = parse(BASE);

        @Test
        void everyKindOfObjectTakesADescriptionAnOwnerAndTags() {
            assertThat(d.entity("customer").orElseThrow().meta())
                .isEqualTo(new Meta("A shopper.", "crm-team", List.of(Tag.word("core")), null));
            assertThat(d.source("orders").orElseThrow().meta()).isEqualTo(new Meta("One event per order.", "checkout-team",
                List.of(Tag.word("pii"), new Tag("domain", "commerce")), null));
            assertThat(d.featureService("churn").orElseThrow().meta())
                .isEqualTo(new Meta("Inputs of the churn model.", "ml-team", List.of(Tag.word("churn")), null));
        }

        @Test
        void theMapFormOfTagsFeatureViewsAlwaysHadStillReadsAsPairs() {
            assertThat(d.featureView("customer_orders").orElseThrow().meta().tags())
                .containsExactly(new Tag("domain", "commerce"));
        }

        @Test
        void aColumnTakesMetadataThroughTheLongFormOfItsSchemaEntry() {
            Source s = d.source("orders").orElseThrow();
            assertThat(s.type("amount")).isEqualTo(ColumnType.DOUBLE);
            assertThat(s.column("amount")).isEqualTo(new Meta("Order total in EUR.", "finance",
                List.of(Tag.word("money"), new Tag("unit", "EUR")), null));
            assertThat(s.column("amount_eur")).as("the short form has none").isEqualTo(Meta.NONE);
            assertThat(s.schema().keySet()).containsExactly("customer_id", "amount", "amount_eur", "event_ts");
        }

        @Test
        void aDeprecationHasItsDateReasonReplacementAndSunset() {
            Feature f = d.featureView("customer_orders").orElseThrow().feature("spend_7d").orElseThrow();
            assertThat(f.meta().deprecated()).isEqualTo(new Deprecation(LocalDate.of(2026, 1, 15), "Use spend_7d_eur.",
                "customer_orders:spend_7d_eur", LocalDate.of(2026, 6, 30)));
            assertThat(f.meta().deprecated().sinceEpochSecond()).isEqualTo(1_768_435_200L);
            assertThat(f.meta().owner()).isEqualTo("growth-team");
            assertThat(f.meta().tags()).containsExactly(new Tag("tier", "gold"));
        }

        @Test
        void sunsetAndReplacementMayBeLeftOut() {
            Definitions x = parse(with("""
                    description: A shopper.
                """, """
                    description: A shopper.
                    deprecated: {since: 2026-02-01, reason: Merged into account.}
                """));
            assertThat(x.entity("customer").orElseThrow().meta().deprecated())
                .isEqualTo(new Deprecation(LocalDate.of(2026, 2, 1), "Merged into account.", null, null));
        }

        @Test
        void everyKindNamesItsReplacementByItsOwnName() {
            String text = BASE.replace("""
                    description: A shopper.
                """, """
                    description: A shopper.
                    deprecated: {since: 2026-02-01, reason: r, replacement: account}
                  - name: account
                    join_keys: [customer_id]
                """).replace("""
                      amount_eur: double
                """, """
                      amount_eur: {type: double, deprecated: {since: 2026-02-01, reason: r, replacement: amount}}
                """).replace("""
                    description: Inputs of the churn model.
                """, """
                    description: Inputs of the churn model.
                    deprecated: {since: 2026-02-01, reason: r, replacement: churn_v2}
                  - name: churn_v2
                    features: ["customer_orders:spend_7d_eur"]
                """);
            Definitions x = parse(text);
            assertThat(x.entity("customer").orElseThrow().meta().deprecated().replacement()).isEqualTo("account");
            assertThat(x.source("orders").orElseThrow().column("amount_eur").deprecated().replacement()).isEqualTo("amount");
            assertThat(x.featureService("churn").orElseThrow().meta().deprecated().replacement()).isEqualTo("churn_v2");
        }

        @Test
        void objectsWithoutMetadataHaveNone() {
            Definitions x = parse("""
                entities: [{name: e, join_keys: [k]}]
                sources: [{name: s, entity: e, timestamp_field: ts, schema: {k: string, ts: timestamp}}]
                """);
            assertThat(x.entity("e").orElseThrow().meta()).isEqualTo(Meta.NONE);
            assertThat(x.source("s").orElseThrow().meta().isEmpty()).isTrue();
            assertThat(x.source("s").orElseThrow().columnMeta()).isEmpty();
        }

        @Test
        void theSameTagsWrittenEitherWayAreEqual() {
            Definitions asMap = parse(with("tags: {domain: commerce}\n    description: Orders",
                "tags: {domain: commerce, tier: gold}\n    description: Orders"));
            Definitions asList = parse(with("tags: {domain: commerce}\n    description: Orders",
                "tags: [{domain: commerce}, {tier: gold}]\n    description: Orders"));
            Definitions asOneItem = parse(with("tags: {domain: commerce}\n    description: Orders",
                "tags: [{domain: commerce, tier: gold}]\n    description: Orders"));
            assertThat(asList).isEqualTo(asMap).isEqualTo(asOneItem);
        }

        @Test
        void aColumnsLongFormWithTypeAloneEqualsTheShortForm() {
            assertThat(parse(with("amount_eur: double", "amount_eur: {type: double}"))).isEqualTo(parse(BASE));
        }
    }

    @Nested
    class Problems {
        @Test
        void unknownKeysInMetadataAreReported() {
            String text = with("reason: Use spend_7d_eur.,", "reason: Use spend_7d_eur., until: 2027-01-01,");
            assertProblem(onlyProblem(F, text), "key.unknown", "feature_views[0].features[0].deprecated.until", F,
                lineOf(text, "until:"));
            String text2 = with("amount: {type: double,", "amount: {type: double, unit: EUR,");
            assertProblem(onlyProblem(F, text2), "key.unknown", "sources[0].schema.amount.unit", F, lineOf(text2, "unit:"));
        }

        @Test
        void ownerAndDescriptionMustBeSingleValues() {
            String text = with("owner: crm-team", "owner: [crm-team, ml-team]");
            assertProblem(onlyProblem(F, text), "type.scalar", "entities[0].owner", F, lineOf(text, "owner: [crm"));
            String text2 = with("description: One event per order.", "description: {text: x}");
            assertProblem(onlyProblem(F, text2), "type.scalar", "sources[0].description", F, lineOf(text2, "text: x"));
        }

        @Test
        void aTagThatIsEmptyIsReported() {
            String text = with("tags: [core]", "tags: [core, '']");
            assertProblem(onlyProblem(F, text), "tag.empty", "entities[0].tags[1]", F, lineOf(text, "tags: [core"));
            String text2 = with("tags: [churn]", "tags: [{' ': x}]");
            assertProblem(onlyProblem(F, text2), "tag.empty", "feature_services[0].tags[0]. ", F, lineOf(text2, "tags: [{"));
        }

        @Test
        void aTagKeyGivenTwiceIsReportedWhicheverFormItTakes() {
            String text = with("tags: [pii, {domain: commerce}]", "tags: [pii, {domain: commerce}, {pii: yes}]");
            assertProblem(onlyProblem(F, text), "tag.duplicate", "sources[0].tags[2].pii", F, lineOf(text, "tags: [pii"));
            String text2 = with("tags: [core]", "tags: [core, core]");
            assertProblem(onlyProblem(F, text2), "tag.duplicate", "entities[0].tags[1]", F, lineOf(text2, "tags: [core"));
            String text3 = with("tags: {tier: gold}", "tags: {tier: gold, tier: silver}");
            assertProblem(onlyProblem(F, text3), "key.duplicate", "feature_views[0].features[0].tags.tier", F,
                lineOf(text3, "tier: silver"));
        }

        @Test
        void aTagValueMustBeASingleValue() {
            String text = with("tags: [pii, {domain: commerce}]", "tags: [pii, {domain: [a, b]}]");
            assertProblem(onlyProblem(F, text), "type.scalar", "sources[0].tags[1].domain", F, lineOf(text, "tags: [pii"));
        }

        @Test
        void deprecatedMustBeAMapping() {
            String text = with("""
                    description: A shopper.
                """, """
                    description: A shopper.
                    deprecated: yes
                """);
            assertProblem(onlyProblem(F, text), "type.mapping", "entities[0].deprecated", F, lineOf(text, "deprecated: yes"));
        }

        @Test
        void aDeprecationWithoutDateOrReasonIsReportedForEach() {
            String text = with("deprecated: {since: 2026-01-15, reason: Use spend_7d_eur.,", "deprecated: {");
            assertThat(Fixtures.problems(F, text)).extracting(DefinitionProblem::rule, DefinitionProblem::path)
                .containsExactlyInAnyOrder(
                    org.assertj.core.api.Assertions.tuple("required", "feature_views[0].features[0].deprecated.since"),
                    org.assertj.core.api.Assertions.tuple("required", "feature_views[0].features[0].deprecated.reason"));
        }

        @Test
        void aBlankReasonIsNoReason() {
            String text = with("reason: Use spend_7d_eur.,", "reason: ' ',");
            assertProblem(onlyProblem(F, text), "required", "feature_views[0].features[0].deprecated.reason", F,
                lineOf(text, "reason: ' '"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-13-01", "2026-02-30", "15.01.2026", "yesterday", "2026-01-15T00:00:00Z", "20260115"})
        void aDateThatIsNotACalendarDateIsReported(String date) {
            String text = with("since: 2026-01-15", "since: " + date);
            assertProblem(onlyProblem(F, text), "date.syntax", "feature_views[0].features[0].deprecated.since", F,
                lineOf(text, "since:"));
        }

        @Test
        void aSunsetBeforeTheDeprecationIsReported() {
            String text = with("sunset: 2026-06-30", "sunset: 2025-12-31");
            assertProblem(onlyProblem(F, text), "deprecated.sunset_before_since",
                "feature_views[0].features[0].deprecated.sunset", F, lineOf(text, "sunset:"));
        }

        @Test
        void aReplacementThatNamesNothingIsReportedWithTheClosestNames() {
            String text = with("replacement: \"customer_orders:spend_7d_eur\"", "replacement: \"customer_orders:spend_7d_euro\"");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "ref.replacement", "feature_views[0].features[0].deprecated.replacement", F,
                lineOf(text, "replacement:"));
            assertThat(p.message()).contains("'customer_orders:spend_7d_euro'").contains("did you mean 'customer_orders:spend_7d_eur'");
        }

        @Test
        void aFeaturesReplacementIsWrittenWithItsView() {
            String text = with("replacement: \"customer_orders:spend_7d_eur\"", "replacement: spend_7d_eur");
            DefinitionProblem p = onlyProblem(F, text);
            assertThat(p.rule()).isEqualTo("ref.replacement");
            assertThat(p.message()).contains("written view:feature");
        }

        @Test
        void aReplacementMustBeOfTheSameKind() {
            String text = with("""
                    description: A shopper.
                """, """
                    description: A shopper.
                    deprecated: {since: 2026-02-01, reason: r, replacement: orders}
                """);
            assertProblem(onlyProblem(F, text), "ref.replacement", "entities[0].deprecated.replacement", F,
                lineOf(text, "replacement: orders"));
        }

        @Test
        void aColumnsReplacementIsAnotherColumnOfItsSource() {
            String text = with("amount_eur: double", "amount_eur: {type: double, deprecated: {since: 2026-02-01, reason: r, "
                + "replacement: customer_id_typo}}");
            assertProblem(onlyProblem(F, text), "ref.replacement", "sources[0].schema.amount_eur.deprecated.replacement", F,
                lineOf(text, "amount_eur:"));
        }

        @Test
        void anObjectCannotReplaceItself() {
            String text = with("replacement: \"customer_orders:spend_7d_eur\"", "replacement: \"customer_orders:spend_7d\"");
            DefinitionProblem p = onlyProblem(F, text);
            assertThat(p.rule()).isEqualTo("ref.replacement");
            assertThat(p.message()).contains("its own replacement");
        }

        @Test
        void aColumnsLongFormNeedsItsType() {
            String text = with("amount_eur: double", "amount_eur: {description: x}");
            List<DefinitionProblem> ps = Fixtures.problems(F, text);
            assertThat(ps).extracting(DefinitionProblem::rule, DefinitionProblem::path).contains(
                org.assertj.core.api.Assertions.tuple("required", "sources[0].schema.amount_eur.type"));
        }

        @Test
        void aColumnsLongFormWithAnUnknownTypeIsReportedAtTheType() {
            String text = with("amount_eur: double", "amount_eur: {type: money}");
            assertThat(Fixtures.problems(F, text)).filteredOn(p -> p.rule().equals("type.unknown")).singleElement()
                .satisfies(p -> assertProblem(p, "type.unknown", "sources[0].schema.amount_eur.type", F,
                    lineOf(text, "amount_eur:")));
        }
    }

    @Test
    void metadataSurvivesTheCanonicalRoundTrip() {
        Definitions d = parse(BASE);
        Definitions back = DefinitionsParser.parse("registry.json", CanonicalForm.toJson(d));
        assertThat(back).isEqualTo(d);
    }

    @Test
    void theCanonicalFormWritesTagsAsAMappingWhenEveryTagIsAPairAndAsAListOtherwise() {
        Map<String, Object> tree = CanonicalForm.tree(parse(BASE));
        @SuppressWarnings("unchecked")
        Map<String, Object> view = (Map<String, Object>) ((List<?>) tree.get("feature_views")).get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) ((List<?>) tree.get("sources")).get(0);
        assertThat(view.get("tags")).isEqualTo(Map.of("domain", "commerce"));
        assertThat(source.get("tags")).isEqualTo(List.of("pii", Map.of("domain", "commerce")));
        assertThat(source.get("schema")).isEqualTo(new java.util.LinkedHashMap<>(Map.of(
            "customer_id", "string",
            "amount", Map.of("type", "double", "description", "Order total in EUR.", "owner", "finance",
                "tags", List.of("money", Map.of("unit", "EUR"))),
            "amount_eur", "double", "event_ts", "timestamp")));
        assertThat(CanonicalForm.toJson(parse(BASE))).contains("\"since\" : \"2026-01-15\"")
            .contains("\"sunset\" : \"2026-06-30\"");
    }
}

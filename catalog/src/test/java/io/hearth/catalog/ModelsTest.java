package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.assertProblem;
import static io.hearth.catalog.Fixtures.lineOf;
import static io.hearth.catalog.Fixtures.onlyProblem;
import static io.hearth.catalog.Fixtures.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The models section of the definitions, and one model registered on top of the current definitions. */
class ModelsTest {
    private static final String F = "models.yaml";

    private static final String BASE = DefinitionsValidationTest.BASE + """
        models:
          - name: churn_v1
            version: 3
            feature_service: churn
            training_sets: [churn_2025q4, churn_2026q1]
            owner: ml-team
            description: Churn risk, gradient boosted.
            tags: [production, {team: retention}]
        """;

    private static String with(String from, String to) {
        return replaceOnce(BASE, from, to);
    }

    @Nested
    class Reading {
        @Test
        void aModelHasItsVersionServiceTrainingSetsAndMetadata() {
            Model m = DefinitionsParser.parse(F, BASE).model("churn_v1").orElseThrow();
            assertThat(m).isEqualTo(new Model("churn_v1", "3", "churn", List.of("churn_2025q4", "churn_2026q1"),
                new Meta("Churn risk, gradient boosted.", "ml-team", List.of(Tag.word("production"),
                    new Tag("team", "retention")), null)));
        }

        @Test
        void aVersionIsReadAsTheTextWritten() {
            assertThat(DefinitionsParser.parse(F, with("version: 3", "version: 1.10")).models().get(0).version())
                .isEqualTo("1.10");
            assertThat(DefinitionsParser.parse(F, with("version: 3", "version: 2026.01-rc1")).models().get(0).version())
                .isEqualTo("2026.01-rc1");
        }

        @Test
        void trainingSetsMayBeLeftOut() {
            Model m = DefinitionsParser.parse(F, with("    training_sets: [churn_2025q4, churn_2026q1]\n", "")).models().get(0);
            assertThat(m.trainingSets()).isEmpty();
        }

        @Test
        void aModelMayBeDeprecatedInFavourOfAnother() {
            String text = BASE + """
                  - name: churn_v2
                    version: "1"
                    feature_service: churn
                """;
            text = text.replace("    tags: [production, {team: retention}]\n", "    tags: [production, {team: retention}]\n"
                + "    deprecated: {since: 2026-03-01, reason: v2 is better calibrated., replacement: churn_v2}\n");
            Definitions d = DefinitionsParser.parse(F, text);
            assertThat(d.modelNames()).containsExactly("churn_v1", "churn_v2");
            assertThat(d.model("churn_v1").orElseThrow().meta().deprecated().replacement()).isEqualTo("churn_v2");
        }

        @Test
        void modelsSurviveTheCanonicalRoundTripWithTheirVersionAsText() {
            Definitions d = DefinitionsParser.parse(F, BASE);
            String json = CanonicalForm.toJson(d);
            assertThat(json).contains("\"version\" : \"3\"");
            assertThat(DefinitionsParser.parse("registry.json", json)).isEqualTo(d);
        }
    }

    @Nested
    class Problems {
        @Test
        void aModelOfAnUnknownServiceIsReportedWithTheClosestName() {
            String text = with("feature_service: churn\n    training", "feature_service: chrun\n    training");
            DefinitionProblem p = onlyProblem(F, text);
            assertProblem(p, "ref.feature_service", "models[0].feature_service", F, lineOf(text, "feature_service: chrun"));
            assertThat(p.message()).contains("did you mean 'churn'");
        }

        @Test
        void removingAServiceAModelUsesIsRefused() {
            String text = with("""
                feature_services:
                  - name: churn
                    features:
                      - customer_orders: [last_amount, spend_7d]
                """, "");
            assertThat(Fixtures.problems(F, text)).extracting(DefinitionProblem::rule).containsExactly("ref.feature_service");
        }

        @Test
        void versionAndServiceAreRequired() {
            String text = with("    version: 3\n", "").replace("    feature_service: churn\n    training", "    training");
            assertThat(Fixtures.problems(F, text)).extracting(DefinitionProblem::rule, DefinitionProblem::path)
                .containsExactly(tuple("required", "models[0].version"), tuple("required", "models[0].feature_service"));
        }

        @Test
        void anEmptyVersionIsReported() {
            String text = with("version: 3", "version: ''");
            assertProblem(onlyProblem(F, text), "required", "models[0].version", F, lineOf(text, "version: ''"));
        }

        @Test
        void trainingSetNamesFollowTheNamePatternAndAreListedOnce() {
            String text = with("[churn_2025q4, churn_2026q1]", "[churn_2025q4, 2026q1]");
            assertProblem(onlyProblem(F, text), "name.pattern", "models[0].training_sets", F, lineOf(text, "training_sets:"));
            String text2 = with("[churn_2025q4, churn_2026q1]", "[churn_2025q4, churn_2025q4]");
            assertProblem(onlyProblem(F, text2), "name.duplicate", "models[0].training_sets", F, lineOf(text2, "training_sets:"));
            String text3 = with("[churn_2025q4, churn_2026q1]", "churn_2025q4");
            assertProblem(onlyProblem(F, text3), "type.list", "models[0].training_sets", F, lineOf(text3, "training_sets:"));
        }

        @Test
        void anUnknownKeyOfAModelIsReported() {
            String text = with("    version: 3\n", "    version: 3\n    framework: xgboost\n");
            assertProblem(onlyProblem(F, text), "key.unknown", "models[0].framework", F, lineOf(text, "framework:"));
        }

        @Test
        void aModelDefinedTwiceIsReported() {
            String text = BASE + "  - {name: churn_v1, version: 4, feature_service: churn}\n";
            assertProblem(onlyProblem(F, text), "name.duplicate", "models[1].name", F, lineOf(text, "version: 4"));
        }

        @Test
        void modelsMustBeAList() {
            String text = DefinitionsValidationTest.BASE + "models: {name: m}\n";
            assertProblem(onlyProblem(F, text), "type.list", "models", F, lineOf(text, "models:"));
        }
    }

    @Nested
    class OneModelOnTopOfTheCurrentDefinitions {
        private final Definitions current = DefinitionsParser.parse(F, BASE);

        @Test
        void aNewModelIsAddedLast() {
            Definitions next = DefinitionsParser.withModel(current, "request",
                "{\"name\": \"churn_v2\", \"version\": 1, \"feature_service\": \"churn\", \"owner\": \"ml-team\"}");
            assertThat(next.modelNames()).containsExactly("churn_v1", "churn_v2");
            assertThat(next.model("churn_v2").orElseThrow().version()).isEqualTo("1");
            assertThat(new Definitions(next.project(), next.entities(), next.sources(), next.featureViews(),
                next.featureServices(), current.models())).as("nothing else changes").isEqualTo(current);
        }

        @Test
        void aModelOfTheSameNameIsReplacedInPlace() {
            Definitions two = DefinitionsParser.withModel(current, "request",
                "{\"name\": \"churn_v2\", \"version\": 1, \"feature_service\": \"churn\"}");
            Definitions next = DefinitionsParser.withModel(two, "request",
                "name: churn_v1\nversion: 4\nfeature_service: churn\n");
            assertThat(next.modelNames()).containsExactly("churn_v1", "churn_v2");
            assertThat(next.model("churn_v1").orElseThrow()).isEqualTo(new Model("churn_v1", "4", "churn", List.of(), null));
        }

        @Test
        void problemsNameTheBodysFieldsAndLines() {
            String body = "{\"name\": \"churn_v2\",\n \"version\": 1,\n \"feature_service\": \"chrun\",\n \"colour\": 1}";
            DefinitionException e = catchThrowableOfType(DefinitionException.class,
                () -> DefinitionsParser.withModel(current, "request", body));
            assertThat(e.problems()).extracting(DefinitionProblem::file, DefinitionProblem::line, DefinitionProblem::path,
                DefinitionProblem::rule).containsExactly(
                    tuple("request", 4, "colour", "key.unknown"),
                    tuple("request", 3, "feature_service", "ref.feature_service"));
        }

        @Test
        void aBodyThatIsNotAModelIsReportedAtTheRoot() {
            for (String body : List.of("[]", "\"churn\"", "{\"version\": 1, \"feature_service\": \"churn\"}")) {
                DefinitionException e = catchThrowableOfType(DefinitionException.class,
                    () -> DefinitionsParser.withModel(current, "request", body));
                assertThat(e).as(body).isNotNull();
                assertThat(e.problems()).as(body).allSatisfy(p -> assertThat(p.path()).isIn("$", "name"));
            }
            DefinitionException empty = catchThrowableOfType(DefinitionException.class,
                () -> DefinitionsParser.withModel(current, "request", "null"));
            assertThat(empty.problems()).extracting(DefinitionProblem::rule).containsExactly("document.empty");
        }

        @Test
        void aReplacementNamingAnotherModelIsChecked() {
            String body = "{name: churn_v2, version: 1, feature_service: churn, deprecated: {since: 2026-01-01, reason: r, "
                + "replacement: churn_v9}}";
            DefinitionException e = catchThrowableOfType(DefinitionException.class,
                () -> DefinitionsParser.withModel(current, "request", body));
            assertThat(e.problems()).extracting(DefinitionProblem::path, DefinitionProblem::rule)
                .containsExactly(tuple("deprecated.replacement", "ref.replacement"));
            Definitions ok = DefinitionsParser.withModel(current, "request", body.replace("churn_v9", "churn_v1"));
            assertThat(ok.model("churn_v2").orElseThrow().meta().deprecated().replacement()).isEqualTo("churn_v1");
        }
    }
}

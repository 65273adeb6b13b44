package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.assertProblem;
import static io.hearth.catalog.Fixtures.lineOf;
import static io.hearth.catalog.Fixtures.onlyProblem;
import static io.hearth.catalog.Fixtures.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code logging:} on a feature service: parsed, checked field by field, written canonically, shown by the plan. */
class FeatureLoggingTest {
    private static final String F = "defs.yaml";

    private static final String BASE = DefinitionsValidationTest.BASE;
    private static final String SERVICE_END = "      - customer_orders: [last_amount, spend_7d]\n";

    private static String withLogging(String logging) {
        return replaceOnce(BASE, SERVICE_END, SERVICE_END + logging);
    }

    private static FeatureService churn(Definitions d) {
        return d.featureService("churn").orElseThrow();
    }

    @Test
    void aServiceWithoutLoggingLogsNothingAndKeepsItsCanonicalForm() {
        Definitions d = DefinitionsParser.parse(F, BASE);
        assertThat(churn(d).logging()).isEqualTo(FeatureLogging.NONE);
        assertThat(churn(d).logging().isOn()).isFalse();
        assertThat(CanonicalForm.toJson(d)).doesNotContain("logging");
    }

    @Test
    void aSampleRateAloneTakesTheDefaults() {
        Definitions d = DefinitionsParser.parse(F, withLogging("    logging: {sample_rate: 0.1}\n"));
        FeatureLogging l = churn(d).logging();
        assertThat(l.sampleRate()).isEqualTo(0.1);
        assertThat(l.onOverload()).isEqualTo(FeatureLogging.Overload.DROP);
        assertThat(l.retentionMillis()).isEqualTo(90L * 86_400_000L);
        assertThat(l.outcomesTopic()).isNull();
        assertThat(l.isOn()).isTrue();
    }

    @Test
    void everyKeyIsReadAndTheCanonicalFormParsesBackToEqualDefinitions() {
        Definitions d = DefinitionsParser.parse(F, withLogging("""
                logging:
                  sample_rate: 1
                  on_overload: block
                  retention: 30d
                  outcomes: {kafka: {topic: shop.churn.outcomes}}
            """));
        FeatureLogging l = churn(d).logging();
        assertThat(l).isEqualTo(new FeatureLogging(1.0, FeatureLogging.Overload.BLOCK, 30L * 86_400_000L,
            "shop.churn.outcomes"));
        String json = CanonicalForm.toJson(d);
        assertThat(json).contains("\"logging\"", "\"sample_rate\" : 1.0", "\"on_overload\" : \"block\"",
            "\"retention\" : \"30d\"", "shop.churn.outcomes");
        Definitions back = DefinitionsParser.parse("registry", json);
        assertThat(back).isEqualTo(d);
        assertThat(CanonicalForm.toJson(back)).isEqualTo(json);
    }

    @Test
    void changingTheSampleRateIsAChangeButNotABreakingOne() {
        Definitions before = DefinitionsParser.parse(F, withLogging("    logging: {sample_rate: 0.1}\n"));
        Definitions after = DefinitionsParser.parse(F, withLogging("    logging: {sample_rate: 0.5}\n"));
        Plan plan = Plan.between(before, after);
        assertThat(plan.changes()).hasSize(1);
        Plan.Change c = plan.changes().get(0);
        assertThat(c.kind()).isEqualTo("feature_service");
        assertThat(c.details()).containsExactly("~ logging.sample_rate: 0.1 -> 0.5");
        assertThat(c.isBreaking()).isFalse();
        assertThat(Plan.between(DefinitionsParser.parse(F, BASE), before).changes().get(0).details())
            .anySatisfy(x -> assertThat(x).startsWith("+ logging"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "-0.1", "2"})
    void aSampleRateOutsideZeroToOneIsRefusedNamingTheFieldAndTheRule(String rate) {
        String text = withLogging("    logging: {sample_rate: " + rate + "}\n");
        DefinitionProblem p = onlyProblem(F, text);
        assertProblem(p, "range", "feature_services[0].logging.sample_rate", F, lineOf(text, "sample_rate"));
        assertThat(p.message()).contains("from 0 to 1");
    }

    @Test
    void aSampleRateThatIsNotANumberIsRefused() {
        String text = withLogging("    logging: {sample_rate: often}\n");
        assertProblem(onlyProblem(F, text), "type.number", "feature_services[0].logging.sample_rate", F,
            lineOf(text, "often"));
    }

    @Test
    void loggingWithoutASampleRateIsRefused() {
        String text = withLogging("    logging: {retention: 7d}\n");
        assertProblem(onlyProblem(F, text), "required", "feature_services[0].logging.sample_rate", F,
            lineOf(text, "retention: 7d"));
    }

    @Test
    void anUnknownOverloadModeIsRefusedNamingTheChoices() {
        String text = withLogging("    logging: {sample_rate: 0.1, on_overload: queue}\n");
        DefinitionProblem p = onlyProblem(F, text);
        assertProblem(p, "on_overload.unknown", "feature_services[0].logging.on_overload", F, lineOf(text, "queue"));
        assertThat(p.message()).contains("drop", "block", "'queue'");
    }

    @Test
    void aBadRetentionIsADurationError() {
        String text = withLogging("    logging: {sample_rate: 0.1, retention: 3 months}\n");
        assertProblem(onlyProblem(F, text), "duration.syntax", "feature_services[0].logging.retention", F,
            lineOf(text, "months"));
    }

    @Test
    void anUnknownKeyUnderLoggingIsRefused() {
        String text = withLogging("    logging: {sample_rate: 0.1, sampling: 0.2}\n");
        assertThat(onlyProblem(F, text).rule()).isEqualTo("key.unknown");
    }

    @Test
    void anOutcomesTopicMustBeAKafkaTopicName() {
        String text = withLogging("    logging: {sample_rate: 0.1, outcomes: {kafka: {topic: 'bad topic!'}}}\n");
        assertProblem(onlyProblem(F, text), "topic.syntax", "feature_services[0].logging.outcomes.kafka.topic", F,
            lineOf(text, "bad topic"));
    }

    @Test
    void anOutcomesTopicCannotBeASourcesTopic() {
        String text = withLogging("    logging: {sample_rate: 0.1, outcomes: {kafka: {topic: shop.orders}}}\n");
        DefinitionProblem p = onlyProblem(F, text);
        assertThat(p.rule()).isEqualTo("topic.shared");
        assertThat(p.path()).isEqualTo("feature_services[0].logging.outcomes.kafka.topic");
        assertThat(p.line()).isEqualTo(lineOf(text, "outcomes:"));
    }

    @Test
    void outcomesNeedKafka() {
        String text = withLogging("    logging: {sample_rate: 0.1, outcomes: {}}\n");
        assertProblem(onlyProblem(F, text), "required", "feature_services[0].logging.outcomes.kafka", F,
            lineOf(text, "outcomes"));
    }
}

package io.hearth.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.HearthException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Outcome parse(String json) throws Exception {
        return Outcome.parse(JSON.readTree(json), "[0].");
    }

    @Test
    void anOutcomeKeepsItsValueAsJsonText() throws Exception {
        Outcome o = parse("{\"request_id\":\"r1\",\"label\":\"churned\",\"value\":1,\"outcome_ts\":\"2026-01-31T12:00:00Z\"}");
        assertThat(o).isEqualTo(new Outcome("r1", "churned", "1", 1_769_860_800_000L));
        assertThat(parse("{\"request_id\":\"r1\",\"label\":\"p\",\"value\":0.25,\"outcome_ts\":5}").valueJson())
            .isEqualTo("0.25");
        assertThat(parse("{\"request_id\":\"r1\",\"label\":\"p\",\"value\":true,\"outcome_ts\":5}").valueJson())
            .isEqualTo("true");
        assertThat(parse("{\"request_id\":\"r1\",\"label\":\"p\",\"value\":\"yes\",\"outcome_ts\":5}").valueJson())
            .isEqualTo("\"yes\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"label\":\"l\",\"value\":1,\"outcome_ts\":5}|[0].request_id|required",
        "{\"request_id\":7,\"label\":\"l\",\"value\":1,\"outcome_ts\":5}|[0].request_id|type.string",
        "{\"request_id\":\"a b\",\"label\":\"l\",\"value\":1,\"outcome_ts\":5}|[0].request_id|request_id.syntax",
        "{\"request_id\":\"r\",\"label\":\"1x\",\"value\":1,\"outcome_ts\":5}|[0].label|label.syntax",
        "{\"request_id\":\"r\",\"label\":\"l\",\"outcome_ts\":5}|[0].value|required",
        "{\"request_id\":\"r\",\"label\":\"l\",\"value\":[1],\"outcome_ts\":5}|[0].value|type.scalar",
        "{\"request_id\":\"r\",\"label\":\"l\",\"value\":1e400,\"outcome_ts\":5}|[0].value|range",
        "{\"request_id\":\"r\",\"label\":\"l\",\"value\":99999999999999999999,\"outcome_ts\":5}|[0].value|range",
        "{\"request_id\":\"r\",\"label\":\"l\",\"value\":1}|[0].outcome_ts|required",
        "{\"request_id\":\"r\",\"label\":\"l\",\"value\":1,\"outcome_ts\":\"soon\"}|[0].outcome_ts|type.timestamp",
        "{\"request_id\":\"r\",\"label\":\"l\",\"value\":1,\"outcome_ts\":-5}|[0].outcome_ts|type.timestamp",
        "{\"request_id\":\"r\",\"label\":\"l\",\"value\":1,\"outcome_ts\":1.5}|[0].outcome_ts|type.timestamp",
        "{\"request_id\":\"r\",\"label\":\"l\",\"value\":1,\"outcome_ts\":5,\"extra\":1}|[0].extra|key.unknown",
        "[1]|[0].|type.object"})
    void everyMalformedOutcomeNamesItsFieldAndRule(String json, String field, String rule) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(HearthException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.rule()).isEqualTo(rule);
        });
    }
}

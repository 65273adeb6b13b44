package io.hearth.catalog;

import static io.hearth.catalog.Fixtures.problems;
import static io.hearth.catalog.Fixtures.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expectations in the definitions: the issue's example reads as written, survives the canonical form, and every
 * malformed expectation is reported with its path and rule.
 */
class ExpectationsTest {
    private static final String F = "q.yaml";
    static final String BASE = """
        entities:
          - name: account
            join_keys: [account_id]
        sources:
          - name: payments
            entity: account
            timestamp_field: event_ts
            schema:
              account_id: string
              payment_id: string
              event_ts: timestamp
              amount: double
              country: string
            expectations:
              window: 1000
              columns:
                amount:
                  - {expect: not_null, mostly: 0.99, severity: block}
                  - {expect: between, min: 0, max: 10000, mostly: 0.999}
                  - {expect: mean_between, min: 40, max: 60}
                  - {expect: stddev_between, max: 30}
                  - {expect: null_rate, k: 3, windows: 20}
                  - {expect: drift, method: psi, reference: payments_ref, warn: 0.1, fail: 0.25}
                  - {expect: drift, method: ks, reference: payments_ref, fail: 0.2}
                country:
                  - {expect: in_set, values: [US, DE, FR], mostly: 0.98}
                payment_id:
                  - {expect: unique}
                event_ts:
                  - {expect: freshness, max_lag: 10m}
              row_count: {min: 1, per: 15m, severity: warn}
        feature_views:
          - name: account_spend
            entity: account
            source: payments
            features:
              - {name: spend_7d, aggregation: sum, column: amount, window: 7d}
            expectations:
              spend_7d: [{expect: drift, method: psi, reference: spend_ref, fail: 0.25}]
        """;

    @Test
    void theIssuesExampleReadsAsWritten() {
        Definitions d = DefinitionsParser.parse(F, BASE);
        Source s = d.source("payments").orElseThrow();
        SourceExpectations x = s.expectations();
        assertThat(x.window().records()).isEqualTo(1000);
        assertThat(x.columns().get("amount")).hasSize(7);
        assertThat(x.columns().get("amount").get(0)).isEqualTo(new Expectation.NotNull(0.99, Expectation.Severity.BLOCK));
        assertThat(x.columns().get("amount").get(1)).isEqualTo(new Expectation.Between(0.0, 10000.0, 0.999,
            Expectation.Severity.WARN));
        assertThat(x.columns().get("amount").get(5)).isEqualTo(new Expectation.Drift(Expectation.Method.PSI, "payments_ref",
            0.1, 0.25, Expectation.Severity.WARN));
        assertThat(x.columns().get("country").get(0)).isEqualTo(new Expectation.InSet(List.of("US", "DE", "FR"), 0.98,
            Expectation.Severity.WARN));
        assertThat(x.columns().get("event_ts").get(0)).isEqualTo(new Expectation.Freshness(600_000,
            Expectation.Severity.WARN));
        assertThat(x.rowCount()).isEqualTo(new SourceExpectations.RowCount(1L, null, 900_000, Expectation.Severity.WARN));
        assertThat(d.featureView("account_spend").orElseThrow().expectations().get("spend_7d")).hasSize(1);
    }

    @Test
    void theCanonicalFormParsesBackToEqualDefinitions() {
        Definitions d = DefinitionsParser.parse(F, BASE);
        Definitions again = DefinitionsParser.parse("canonical.json", CanonicalForm.toJson(d));
        assertThat(again.source("payments")).isEqualTo(d.source("payments"));
        assertThat(again.featureView("account_spend")).isEqualTo(d.featureView("account_spend"));
        assertThat(Plan.between(d, again).changes()).isEmpty();
    }

    @Test
    void aDurationWindowReads() {
        Definitions d = DefinitionsParser.parse(F, replaceOnce(BASE, "window: 1000", "window: 5m"));
        assertThat(d.source("payments").orElseThrow().expectations().window().millis()).isEqualTo(300_000);
    }

    @Test
    void changingAnExpectationIsAChangeThePlanShows() {
        Definitions d = DefinitionsParser.parse(F, BASE);
        Definitions next = DefinitionsParser.parse(F, replaceOnce(BASE, "mostly: 0.99, severity: block",
            "mostly: 0.95, severity: block"));
        assertThat(Plan.between(d, next).render()).contains("payments").contains("0.95");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown kind|{expect: not_null, mostly: 0.99, severity: block}|{expect: not_nul}|expect.unknown|sources[0].expectations.columns.amount[0].expect",
        "mostly over 1|{expect: not_null, mostly: 0.99, severity: block}|{expect: not_null, mostly: 1.5}|range|sources[0].expectations.columns.amount[0].mostly",
        "bad severity|{expect: not_null, mostly: 0.99, severity: block}|{expect: not_null, severity: stop}|expect.severity|sources[0].expectations.columns.amount[0].severity",
        "between without bounds|{expect: between, min: 0, max: 10000, mostly: 0.999}|{expect: between}|expect.bounds|sources[0].expectations.columns.amount[1]",
        "min above max|{expect: mean_between, min: 40, max: 60}|{expect: mean_between, min: 60, max: 40}|expect.range|sources[0].expectations.columns.amount[2]",
        "drift without reference|{expect: drift, method: ks, reference: payments_ref, fail: 0.2}|{expect: drift, fail: 0.2}|required|sources[0].expectations.columns.amount[6].reference",
        "drift method|{expect: drift, method: ks, reference: payments_ref, fail: 0.2}|{expect: drift, method: chi2, reference: r, fail: 0.2}|expect.method|sources[0].expectations.columns.amount[6].method",
        "drift thresholds|{expect: drift, method: ks, reference: payments_ref, fail: 0.2}|{expect: drift, reference: r}|expect.threshold|sources[0].expectations.columns.amount[6]",
        "unknown key|{expect: unique}|{expect: unique, mustly: 0.9}|key.unknown|sources[0].expectations.columns.payment_id[0].mustly",
        "freshness lag|{expect: freshness, max_lag: 10m}|{expect: freshness, max_lag: soon}|duration.syntax|sources[0].expectations.columns.event_ts[0].max_lag",
        "window|window: 1000|window: often|window.syntax|sources[0].expectations.window",
        "row_count per|row_count: {min: 1, per: 15m, severity: warn}|row_count: {min: 1}|required|sources[0].expectations.row_count.per",
    })
    void aMalformedExpectationIsNamedWithItsPathAndRule(String name, String from, String to, String rule, String path) {
        List<DefinitionProblem> ps = problems(F, replaceOnce(BASE, from, to));
        assertThat(ps).as(name).anySatisfy(p -> {
            assertThat(p.rule()).isEqualTo(rule);
            assertThat(p.path()).isEqualTo(path);
        });
    }

    @Test
    void expectationsNameColumnsAndFeaturesThatExistWithTypesThatFit() {
        assertThat(problems(F, replaceOnce(BASE, "    country:\n          - {expect: in_set",
            "    county:\n          - {expect: in_set"))).anySatisfy(p -> {
                assertThat(p.rule()).isEqualTo("ref.column");
                assertThat(p.message()).contains("county").contains("country");
            });
        assertThat(problems(F, replaceOnce(BASE, "{expect: in_set, values: [US, DE, FR], mostly: 0.98}",
            "{expect: mean_between, min: 1}"))).anySatisfy(p -> {
                assertThat(p.rule()).isEqualTo("expect.numeric");
                assertThat(p.message()).contains("country").contains("string");
            });
        assertThat(problems(F, replaceOnce(BASE, "spend_7d: [{expect", "spend_8d: [{expect"))).anySatisfy(p -> {
            assertThat(p.rule()).isEqualTo("ref.feature");
            assertThat(p.message()).contains("spend_8d");
        });
        assertThat(problems(F, replaceOnce(BASE, "spend_7d: [{expect: drift, method: psi, reference: spend_ref, fail: 0.25}]",
            "spend_7d: [{expect: freshness, max_lag: 1m}]"))).anySatisfy(p ->
                assertThat(p.rule()).isEqualTo("expect.source_only"));
    }
}

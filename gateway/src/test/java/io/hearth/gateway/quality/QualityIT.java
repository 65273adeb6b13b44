package io.hearth.gateway.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.Harness;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expectations over windows on the HTTP path of a real node: clean windows pass, a control window with 0.5% nulls
 * in a {@code block} column passes, a window with 3% nulls opens the breaker with the expectation as its reason before
 * the next window is taken (503), results come back in window order (HTTP and {@code HEARTH.QUALITY}), and the PSI of
 * a shifted window against a stored reference agrees with this test's own computation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QualityIT {
    static final long NOW = Timestamps.parse("2026-06-01T00:00:00Z");
    static final String YAML = """
        project: quality
        entities:
          - name: account
            join_keys: [account_id]
        sources:
          - name: payments
            entity: account
            timestamp_field: event_ts
            id_field: payment_id
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
                  - {expect: drift, method: psi, reference: payments_ref, warn: 0.1, fail: 0.25}
                country:
                  - {expect: in_set, values: [US, DE, FR], mostly: 0.98}
                payment_id:
                  - {expect: unique}
                event_ts:
                  - {expect: freshness, max_lag: 10m}
              row_count: {min: 5, per: 1m, severity: warn}
        feature_views:
          - name: spend
            entity: account
            source: payments
            features:
              - {name: last_amount, column: amount}
              - {name: payments_7d, aggregation: count, window: 7d}
            expectations:
              last_amount:
                - {expect: not_null, mostly: 0.9, severity: block}
                - {expect: mean_between, min: 30, max: 70}
              payments_7d: [{expect: between, min: 1, max: 100000}]
        """;

    @TempDir
    static Path dir;
    static Harness h;
    static int next;
    static final SplittableRandom RANDOM = new SplittableRandom(11);

    @BeforeAll
    static void start() {
        h = new Harness(dir, NOW, 1L << 30).start();
        Harness.Response r = h.applyYaml(YAML);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** A window of records: amounts ~ N(mean, 10); {@code nulls} of them without an amount. */
    static String window(int n, double mean, int nulls, double[] amounts) {
        h.clock.advance(1000); // windows end one after the other, as they do in real time
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int id = next++;
            b.append("{\"account_id\":\"A").append(id % 50).append("\",\"payment_id\":\"P").append(id)
                .append("\",\"event_ts\":").append(NOW - 60_000 + id % 1000).append(",\"country\":\"")
                .append(new String[] {"US", "DE", "FR"}[id % 3]).append('"');
            if (i >= nulls) {
                double a = Math.round((mean + RANDOM.nextGaussian() * 10) * 100) / 100.0;
                if (amounts != null) {
                    amounts[i - nulls] = a;
                }
                b.append(",\"amount\":").append(a);
            }
            b.append("}\n");
        }
        return b.toString();
    }

    static List<JsonNode> results(String query) {
        Harness.Response r = h.get("/v1/quality/results?" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("results").forEach(out::add);
        return out;
    }

    static double[] reference = new double[5000];

    @Test
    @Order(1)
    void cleanWindowsPassAndAControlWindowWithHalfAPercentOfNullsDoesNotTrip() {
        for (int w = 0; w < 5; w++) {
            double[] a = new double[1000];
            Harness.Response r = h.ndjson("payments", window(1000, 50, 0, a));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            System.arraycopy(a, 0, reference, w * 1000, 1000);
        }
        Harness.Response control = h.ndjson("payments", window(1000, 50, 5, null));
        assertThat(control.status()).as(control.body()).isEqualTo(200);
        assertThat(control.json().has("breaker_opened")).isFalse();
        List<JsonNode> nn = results("source=payments&column=amount&expect=not_null");
        assertThat(nn).hasSize(6);
        assertThat(nn.stream().map(x -> x.get("unexpected_count").asLong()).toList()).containsExactly(0L, 0L, 0L, 0L, 0L, 5L);
        assertThat(nn.stream().allMatch(x -> x.get("success").asBoolean())).isTrue();
        assertThat(nn.get(5).get("observed").asDouble()).isEqualTo(0.995);
        assertThat(nn.get(5).get("element_count").asLong()).isEqualTo(1000);
        assertThat(nn.get(5).get("severity").asText()).isEqualTo("block");
        // every expectation but drift (no reference yet) judged each window
        assertThat(results("source=payments&expect=unique")).hasSize(6);
        assertThat(results("source=payments&expect=freshness").get(0).get("observed").asDouble()).isBetween(60.0, 62.0);
        assertThat(results("source=payments&expect=drift")).isEmpty();
        assertThat(results("source=payments&expect=mean_between").get(0).get("observed").asDouble()).isBetween(48.0, 52.0);
    }

    @Test
    @Order(2)
    void aReferenceOfTheCleanWindowsJudgesDriftAsThisTestComputesIt() {
        Harness.Response bad = h.postJson("/v1/quality/references", "{\"name\":\"payments_ref\",\"source\":\"payments\","
            + "\"column\":\"country\",\"from\":\"2026-05-31T00:00:00Z\",\"to\":\"2026-06-02T00:00:00Z\"}");
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("column").contains("numeric");
        Harness.Response r = h.postJson("/v1/quality/references", "{\"name\":\"payments_ref\",\"source\":\"payments\","
            + "\"column\":\"amount\",\"from\":\"2026-05-31T00:00:00Z\",\"to\":\"2026-06-02T00:00:00Z\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("count").asLong()).isEqualTo(5995); // five clean windows and the control's 995
        assertThat(r.json().get("nulls").asLong()).isEqualTo(5);

        double[] shifted = new double[1000];
        Harness.Response w = h.ndjson("payments", window(1000, 58, 0, shifted));
        assertThat(w.status()).as(w.body()).isEqualTo(200);
        List<JsonNode> drift = results("source=payments&expect=drift");
        assertThat(drift).hasSize(1);
        double psi = drift.get(0).get("observed").asDouble();
        // this test's PSI: deciles of the reference values (type 7), bins [e_i, e_i+1), empty share 0.0001
        JsonNode edgesJson = r.json().get("decile_edges");
        double[] edges = new double[9];
        for (int i = 0; i < 9; i++) {
            edges[i] = edgesJson.get(i).asDouble();
        }
        assertThat(psi).isGreaterThan(0.25);
        assertThat(drift.get(0).get("success").asBoolean()).isFalse();
        assertThat(drift.get(0).get("severity").asText()).isEqualTo("warn"); // the expectation's own severity
        double[] ref = ownReference();
        double own = ownPsi(ref, shifted);
        assertThat(psi).isCloseTo(own, org.assertj.core.data.Offset.offset(0.03));
    }

    static double[] ownReference() {
        // the control window's 995 values are not kept by this test: the reference it compares with is the 5,000 of
        // the clean windows, whose deciles differ from the stored ones by sampling noise only
        return reference;
    }

    static double ownPsi(double[] ref, double[] cur) {
        double[] s = ref.clone();
        Arrays.sort(s);
        double[] e = new double[9];
        for (int i = 1; i < 10; i++) {
            double hh = (s.length - 1) * (i / 10.0);
            int lo = (int) Math.floor(hh);
            e[i - 1] = s[lo] + (hh - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
        }
        double[] rs = shares(e, s);
        double[] cs = shares(e, cur);
        double psi = 0;
        for (int i = 0; i < 10; i++) {
            double a = Math.max(rs[i], 0.0001);
            double c = Math.max(cs[i], 0.0001);
            psi += (c - a) * Math.log(c / a);
        }
        return psi;
    }

    static double[] shares(double[] edges, double[] v) {
        double[] s = new double[10];
        for (double x : v) {
            int b = 0;
            while (b < 9 && edges[b] <= x) {
                b++;
            }
            s[b] += 1.0 / v.length;
        }
        return s;
    }

    @Test
    @Order(3)
    void aWindowWithThreePercentNullsOpensTheBreakerBeforeTheNextWindow() throws Exception {
        Harness.Response bad = h.ndjson("payments", window(1000, 50, 30, null));
        assertThat(bad.status()).as(bad.body()).isEqualTo(200);
        assertThat(bad.json().get("accepted").asLong()).isEqualTo(1000);
        assertThat(bad.json().get("breaker_opened").asText()).contains("not_null").contains("column amount");
        Harness.Response next = h.ndjson("payments", window(10, 50, 0, null));
        assertThat(next.status()).as(next.body()).isEqualTo(503);
        assertThat(next.body()).contains("expectation not_null on column amount failed");
        Harness.Response src = h.get("/v1/sources/payments");
        assertThat(src.body()).contains("expectation not_null on column amount failed");
        List<JsonNode> nn = results("source=payments&column=amount&expect=not_null&success=false");
        assertThat(nn).hasSize(1);
        assertThat(nn.get(0).get("unexpected_count").asLong()).isEqualTo(30);
        assertThat(nn.get(0).get("observed").asDouble()).isEqualTo(0.97);

        try (Connection c = DriverManager.getConnection("jdbc:ignite:thin://127.0.0.1:" + h.clientPort());
             ResultSet rs = c.createStatement().executeQuery("SELECT unexpected_count, success FROM HEARTH.QUALITY "
                 + "WHERE source = 'payments' AND column = 'amount' AND expect = 'not_null' ORDER BY window_end")) {
            List<Long> counts = new ArrayList<>();
            while (rs.next()) {
                counts.add(rs.getLong(1));
            }
            assertThat(counts).containsExactly(0L, 0L, 0L, 0L, 0L, 5L, 0L, 30L);
        }

        // a window that runs into the open breaker within one request: taken up to the failed window, then 503
        assertThat(h.postJson("/v1/sources/payments/breaker/reset", "").status()).isEqualTo(200);
        Harness.Response twice = h.ndjson("payments", window(1000, 50, 40, null) + window(500, 50, 0, null));
        assertThat(twice.status()).as(twice.body()).isEqualTo(503);
        assertThat(twice.json().get("accepted_before_error").asLong()).isEqualTo(1000);
        assertThat(twice.json().get("rejected_before_error").asLong()).isZero(); // the 500 after the window: not taken
        assertThat(h.postJson("/v1/sources/payments/breaker/reset", "").status()).isEqualTo(200);
        Harness.Response after = h.ndjson("payments", window(10, 50, 0, null));
        assertThat(after.status()).as(after.body()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void profilesMergeWhatTheWindowsSawFromSketches() {
        h.gateway.quality().flushProfiles(h.clock.millis());
        Harness.Response r = h.get("/v1/quality/profiles?source=payments");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode amount = null;
        JsonNode payment = null;
        for (JsonNode c : r.json().get("columns")) {
            if (c.get("column").asText().equals("amount")) {
                amount = c;
            } else if (c.get("column").asText().equals("payment_id")) {
                payment = c;
            }
        }
        long taken = next - 500 - 10; // all sent but those refused by the open breaker (500 and 10)
        assertThat(amount.get("count").asLong()).isEqualTo(taken);
        assertThat(amount.get("nulls").asLong()).isEqualTo(5 + 30 + 40);
        assertThat(amount.get("mean").asDouble()).isBetween(49.0, 53.0);
        assertThat(amount.get("quantiles").get("p50").asDouble()).isBetween(48.0, 54.0);
        assertThat(amount.get("stddev").asDouble()).isBetween(8.0, 12.0);
        // ids are distinct: HLL within a few percent
        assertThat(payment.get("distinct").asDouble()).isBetween(taken * 0.95, taken * 1.05);
        assertThat(payment.get("nulls").asLong()).isZero();
        Harness.Response none = h.get("/v1/quality/profiles?source=nope");
        assertThat(none.status()).isEqualTo(404);
        assertThat(h.get("/v1/quality/profiles").status()).isEqualTo(400);
    }

    @Test
    @Order(5)
    void trainingSetsAreValidatedByTheirFeaturesExpectationsAndStrictFailsTheJob() {
        StringBuilder spine = new StringBuilder("account_id,event_ts\n");
        for (int i = 0; i < 50; i++) {
            spine.append('A').append(i).append(',').append(Timestamps.format(NOW + 3_600_000)).append('\n');
        }
        JsonNode ok = job("validated", spine.toString(), "&validate=true");
        assertThat(ok.get("status").asText()).as(ok.toString()).isEqualTo("SUCCEEDED");
        JsonNode q = ok.get("quality");
        assertThat(q.get("judged").asLong()).isEqualTo(3);
        assertThat(q.get("failed").asLong()).isZero();
        assertThat(q.get("results").get(0).get("feature").asText()).isEqualTo("spend:last_amount");
        assertThat(q.get("results").get(0).get("element_count").asLong()).isEqualTo(50);
        assertThat(results("feature=spend:last_amount&expect=not_null")).hasSize(1);
        // 50 accounts without events: last_amount null for half the rows, under the block expectation's 0.9
        for (int i = 0; i < 50; i++) {
            spine.append('X').append(i).append(',').append(Timestamps.format(NOW + 3_600_000)).append('\n');
        }
        JsonNode warned = job("half_unknown", spine.toString(), "&validate=true");
        assertThat(warned.get("status").asText()).isEqualTo("SUCCEEDED"); // validate reports, only strict fails
        assertThat(warned.get("quality").get("blocking").asLong()).isEqualTo(1);
        JsonNode strict = job("half_unknown_strict", spine.toString(), "&strict=true");
        assertThat(strict.get("status").asText()).isEqualTo("FAILED");
        assertThat(strict.get("error").asText()).contains("validation failed").contains("not_null")
            .contains("spend:last_amount");
        assertThat(strict.get("quality").get("results").get(0).get("observed").asDouble()).isEqualTo(0.5);
    }

    static JsonNode job(String name, String spine, String options) {
        Harness.Response r = h.send("POST", "/v1/training-sets?name=" + name + "&features=spend:last_amount,"
            + "spend:payments_7d&file=csv" + options, "text/csv", spine);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String id = r.json().get("id").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> !h.get(
            "/v1/training-sets/" + id).json().get("status").asText().matches("QUEUED|RUNNING"));
        return h.get("/v1/training-sets/" + id).json();
    }

    @Test
    @Order(6)
    void badQueriesAndReferencesAreNamed() {
        Harness.Response unknown = h.get("/v1/quality/results?sauce=payments");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("sauce");
        Harness.Response order = h.get("/v1/quality/results?from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z");
        assertThat(order.status()).isEqualTo(400);
        Harness.Response noName = h.postJson("/v1/quality/references", "{\"source\":\"payments\",\"column\":\"amount\"}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.body()).contains("name");
        Harness.Response noRange = h.postJson("/v1/quality/references", "{\"name\":\"r2\",\"source\":\"payments\","
            + "\"column\":\"amount\"}");
        assertThat(noRange.status()).isEqualTo(400);
        assertThat(noRange.body()).contains("from");
        Harness.Response noSet = h.postJson("/v1/quality/references", "{\"name\":\"r3\",\"training_set\":\"nope\","
            + "\"feature\":\"spend:last_amount\"}");
        assertThat(noSet.status()).isEqualTo(404);
        Harness.Response feature = h.postJson("/v1/quality/references", "{\"name\":\"spend_ref\",\"source\":\"payments\","
            + "\"feature\":\"spend:last_amount\",\"from\":\"2026-05-31T00:00:00Z\",\"to\":\"2026-06-02T00:00:00Z\"}");
        assertThat(feature.status()).as(feature.body()).isEqualTo(201);
        assertThat(feature.json().get("feature").asText()).isEqualTo("spend:last_amount");
        long events = next - 500 - 10; // every event stored: the feature's value as of each
        assertThat(feature.json().get("count").asLong() + feature.json().get("nulls").asLong()).isEqualTo(events);
        assertThat(feature.json().get("mean").asDouble()).isBetween(45.0, 56.0);
        Harness.Response wrongSource = h.postJson("/v1/quality/references", "{\"name\":\"x\",\"source\":\"payments\","
            + "\"feature\":\"nope:f\",\"from\":\"2026-05-31T00:00:00Z\",\"to\":\"2026-06-02T00:00:00Z\"}");
        assertThat(wrongSource.status()).isEqualTo(400);
        assertThat(wrongSource.body()).contains("nope");
        Harness.Response both = h.postJson("/v1/quality/references", "{\"name\":\"x\",\"source\":\"payments\","
            + "\"column\":\"amount\",\"feature\":\"spend:last_amount\",\"from\":1,\"to\":2}");
        assertThat(both.status()).isEqualTo(400);
        Harness.Response missing = h.get("/v1/quality/references/nope");
        assertThat(missing.status()).isEqualTo(404);
        Harness.Response list = h.get("/v1/quality/references");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("references").get(0).get("name").asText()).isEqualTo("payments_ref");
    }

    @Test
    @Order(7)
    void aSourceThatGoesSilentFailsItsRowCountAndMetricsShowTheLastWindows() {
        // periods of a minute from the gateway's start: the first whole one is [NOW + 1m, NOW + 2m)
        h.clock.set(NOW + 70_000);
        assertThat(h.ndjson("payments", window(10, 50, 0, null)).status()).isEqualTo(200);
        h.clock.set(NOW + 125_000); // past the period and the 3 s every gateway has to add its counts
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
            results("source=payments&expect=row_count").size() >= 1);
        JsonNode full = results("source=payments&expect=row_count").get(0);
        assertThat(full.get("window_start").asText()).isEqualTo(Timestamps.format(NOW + 60_000));
        assertThat(full.get("observed").asLong()).isEqualTo(10);
        assertThat(full.get("success").asBoolean()).isTrue();
        h.clock.set(NOW + 185_000); // a minute without a record
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
            results("source=payments&expect=row_count").size() >= 2);
        JsonNode silent = results("source=payments&expect=row_count").get(1);
        assertThat(silent.get("observed").asLong()).isZero();
        assertThat(silent.get("success").asBoolean()).isFalse();
        assertThat(silent.get("severity").asText()).isEqualTo("warn");
        assertThat(silent.get("detail").asText()).contains("0 records accepted in 1m, expected at least 5");

        String metrics = h.get("/metrics").body();
        assertThat(metrics).contains("hearth_quality_success{column=\"amount\",expect=\"not_null\",source=\"payments\"}")
            .contains("hearth_quality_observed{column=\"\",expect=\"row_count\",source=\"payments\"} 0.0")
            .contains("hearth_quality_failures_total{column=\"amount\",expect=\"not_null\",severity=\"block\","
                + "source=\"payments\"} 2.0");
    }

    @Test
    @Order(8)
    void resultsProfilesAndCountsAreKeptSevenDays() {
        assertThat(results("source=payments&expect=not_null")).isNotEmpty();
        h.clock.set(NOW + 8 * 86_400_000L); // every gateway sweeps hourly
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
            results("source=payments&expect=not_null").isEmpty());
        JsonNode amount = h.get("/v1/quality/profiles?source=payments&from=2026-05-01T00:00:00Z").json().get("columns")
            .get(3);
        assertThat(amount.get("column").asText()).isEqualTo("amount");
        assertThat(amount.get("count").asLong()).isZero();
        assertThat(h.get("/v1/quality/references/payments_ref").status()).isEqualTo(200); // references stay
    }
}

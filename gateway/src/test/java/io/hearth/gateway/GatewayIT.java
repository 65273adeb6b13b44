package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation end to end on a real node and real HTTP: apply definitions, ingest good and bad rows,
 * look features up now and as of a past time, watch ttl expire with a moved clock, resend without effect.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIT {
    static final long DAY = 86_400_000L;
    static final long NOW = Timestamps.parse("2026-03-01T00:00:00Z");
    static final String ORDERS = String.join("\n",
        order("o1", "C1", 10, "web", NOW - 10 * DAY, null),
        order("o2", "C1", 20, "app", NOW - 2 * DAY, NOW - 2 * DAY),
        order("o3", "C1", 30, "store", NOW - 2 * DAY, NOW - 2 * DAY + 1000),
        order("o4", "C1", 1000, "web", NOW - 40 * DAY, null),
        order("o5", "C2", 7, "web", NOW - 31 * DAY, null),
        "{\"customer_id\":\"C3\",\"order_id\":\"o6\",\"amount\":3,\"event_ts\":" + (NOW - DAY / 2) + "}") + "\n";
    static final String BAD = String.join("\n",
        order("b1", "C1", -1, "web", NOW, null),
        "{\"customer_id\":\"C1\",\"order_id\":\"b2\",\"amount\":\"abc\",\"event_ts\":" + NOW + "}",
        "{\"order_id\":\"b3\",\"amount\":1,\"event_ts\":" + NOW + "}",
        order("b4", "C1", 1, "fax", NOW, null),
        "{\"customer_id\":\"C1\",\"order_id\":\"b5\",\"amount\":1,\"colour\":\"red\",\"event_ts\":" + NOW + "}",
        "not json",
        "[1,2]") + "\n";

    @TempDir
    static Path dir;
    static Harness h;

    static String order(String id, String customer, double amount, String channel, long ts, Long created) {
        return "{\"customer_id\":\"" + customer + "\",\"order_id\":\"" + id + "\",\"amount\":" + amount + ",\"channel\":\""
            + channel + "\",\"event_ts\":\"" + Timestamps.format(ts) + "\"" + (created == null ? ""
            : ",\"created_ts\":" + created) + "}";
    }

    @BeforeAll
    static void start() {
        h = new Harness(dir, NOW, 1L << 30).start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static JsonNode lookup(String endpoint, String body) {
        Harness.Response r = h.postJson(endpoint, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** values[feature][entity] of a Hearth lookup, entity columns excluded. */
    static List<JsonNode> column(JsonNode response, String name) {
        JsonNode names = response.get("metadata").get("feature_names");
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).asText().equals(name)) {
                JsonNode r = response.get("results").get(i);
                List<JsonNode> out = new ArrayList<>();
                for (int e = 0; e < r.get("values").size(); e++) {
                    out.add(Harness.JSON.createObjectNode().put("status", r.get("statuses").get(e).asText())
                        .set("value", r.get("values").get(e)));
                }
                return out;
            }
        }
        throw new AssertionError("no feature " + name + " in " + names);
    }

    @Test
    @Order(1)
    void applyingDefinitionsTwiceStoresOneVersion() {
        Harness.Response first = h.applyYaml(Harness.DEMO_YAML);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("version").asLong()).isEqualTo(1);
        assertThat(first.json().get("changed").asBoolean()).isTrue();
        Harness.Response again = h.applyYaml(Harness.DEMO_YAML);
        assertThat(again.json().get("changed").asBoolean()).isFalse();
        assertThat(again.json().get("version").asLong()).isEqualTo(1);
        JsonNode plan = h.send("POST", "/v1/registry/plan", "application/yaml", Harness.DEMO_YAML).json();
        assertThat(plan.get("changes")).isEmpty();
        JsonNode reg = h.get("/v1/registry").json();
        assertThat(reg.get("version").asLong()).isEqualTo(1);
        assertThat(reg.get("definitions").get("feature_views").get(0).get("ttl").asText()).isEqualTo("30d");
        assertThat(h.get("/v1/registry/versions").json().get("versions")).hasSize(1);
    }

    @Test
    @Order(2)
    void aPlanOfAChangedDefinitionFlagsATypeChangeAsBreakingAndAWideningAsSafe() {
        String changed = Harness.DEMO_YAML.replace("tenure_days: int", "tenure_days: float");
        JsonNode plan = h.send("POST", "/v1/registry/plan", "application/yaml", changed).json();
        assertThat(plan.get("summary").get("change").asLong()).isEqualTo(1);
        assertThat(plan.get("summary").get("breaking").asLong()).isEqualTo(1);
        assertThat(plan.get("summary").get("needs_force").asLong()).isEqualTo(1);
        assertThat(plan.get("changes").get(0).get("breaking_reasons").get(0).asText()).contains("tenure_days");
        JsonNode widened = h.send("POST", "/v1/registry/plan", "application/yaml",
            Harness.DEMO_YAML.replace("tenure_days: int", "tenure_days: double")).json();
        assertThat(widened.get("summary").get("breaking").asLong()).isZero();
        assertThat(widened.get("summary").get("safe").asLong()).isEqualTo(1);
        assertThat(widened.get("changes").get(0).get("safe_reasons").get(0).asText())
            .startsWith("column tenure_days widened int -> double");
        assertThat(h.get("/v1/registry").json().get("version").asLong()).as("plan stores nothing").isEqualTo(1);
    }

    @Test
    @Order(3)
    void goodRowsAreAcceptedAndBadRowsAreQuarantinedWithFieldAndRule() {
        JsonNode good = h.ndjson("orders", ORDERS).json();
        assertThat(good.get("accepted").asLong()).isEqualTo(6);
        assertThat(good.get("rejected").asLong()).isZero();

        Harness.Response bad = h.ndjson("orders", BAD);
        assertThat(bad.status()).isEqualTo(200);
        JsonNode rej = bad.json().get("rejections");
        assertThat(bad.json().get("accepted").asLong()).isZero();
        assertThat(rej).hasSize(7);
        String[][] expected = {{"0", "amount", "contract.min"}, {"1", "amount", "schema.type"},
            {"2", "customer_id", "schema.required"}, {"3", "channel", "contract.allowed"},
            {"4", "colour", "schema.unknown_field"}, {"5", null, "json.syntax"}, {"6", null, "json.not_object"}};
        for (int i = 0; i < expected.length; i++) {
            assertThat(rej.get(i).get("index").asText()).isEqualTo(expected[i][0]);
            assertThat(rej.get(i).path("field").isMissingNode() ? null : rej.get(i).get("field").asText())
                .isEqualTo(expected[i][1]);
            assertThat(rej.get(i).get("rule").asText()).isEqualTo(expected[i][2]);
        }
        JsonNode q = h.get("/v1/quarantine?source=orders&limit=50").json();
        assertThat(q.get("count").asLong()).isEqualTo(7);
        List<String> raws = new ArrayList<>();
        q.get("records").forEach(r -> raws.add(r.get("raw").asText()));
        assertThat(raws).anyMatch(r -> r.contains("\"fax\"")).contains("not json", "[1,2]");
    }

    @Test
    @Order(4)
    void plainFeaturesTakeTheLatestEventWithTiesBrokenByCreatedTime() {
        JsonNode r = lookup("/v1/features/online", "{\"features\":[\"customer_orders:last_amount\","
            + "\"customer_orders:last_channel\"],\"entities\":{\"customer_id\":[\"C1\",\"C2\",\"C3\",\"NOBODY\"]}}");
        List<JsonNode> amount = column(r, "customer_orders__last_amount");
        assertThat(amount.get(0).get("value").asDouble()).isEqualTo(30.0);
        assertThat(amount.get(0).get("status").asText()).isEqualTo("PRESENT");
        assertThat(amount.get(1).get("status").asText()).as("only an event older than ttl").isEqualTo("OUTSIDE_MAX_AGE");
        assertThat(amount.get(1).get("value").isNull()).isTrue();
        assertThat(amount.get(3).get("status").asText()).isEqualTo("NOT_FOUND");
        List<JsonNode> channel = column(r, "customer_orders__last_channel");
        assertThat(channel.get(0).get("value").asText()).isEqualTo("store");
        assertThat(channel.get(2).get("status").asText()).as("event found, value null").isEqualTo("NULL_VALUE");
        assertThat(r.get("results").get(1).get("event_timestamps").get(0).asText())
            .isEqualTo(Timestamps.format(NOW - 2 * DAY));
    }

    @Test
    @Order(5)
    void windowedAggregatesCountExactlyTheEventsInTheirWindow() {
        JsonNode r = lookup("/v1/features/online", "{\"features\":[\"customer_orders:purchase_frequency_30d\","
            + "\"customer_orders:average_order_value_30d\",\"customer_orders:spend_7d\",\"customer_orders:max_order_1d\"],"
            + "\"entities\":{\"customer_id\":[\"C1\",\"C2\",\"NOBODY\"]}}");
        assertThat(column(r, "customer_orders__purchase_frequency_30d").get(0).get("value").asLong()).isEqualTo(3);
        assertThat(column(r, "customer_orders__average_order_value_30d").get(0).get("value").asDouble()).isEqualTo(20.0);
        assertThat(column(r, "customer_orders__spend_7d").get(0).get("value").asDouble()).isEqualTo(50.0);
        JsonNode maxC1 = column(r, "customer_orders__max_order_1d").get(0);
        assertThat(maxC1.get("value").isNull()).isTrue();
        assertThat(maxC1.get("status").asText()).isEqualTo("NULL_VALUE");
        JsonNode countC2 = column(r, "customer_orders__purchase_frequency_30d").get(1);
        assertThat(countC2.get("value").asLong()).as("empty window counts 0").isZero();
        JsonNode countNobody = column(r, "customer_orders__purchase_frequency_30d").get(2);
        assertThat(countNobody.get("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(countNobody.get("value").asLong()).isZero();
    }

    @Test
    @Order(6)
    void feastEndpointAnswersInFeastsShape() {
        JsonNode r = lookup("/get-online-features", "{\"features\":[\"customer_orders:last_amount\"],"
            + "\"entities\":{\"customer_id\":[\"C1\",\"NOBODY\"]}}");
        assertThat(r.get("metadata").get("feature_names").toString()).isEqualTo("[\"customer_id\",\"last_amount\"]");
        assertThat(r.get("results").get(0).get("values").toString()).isEqualTo("[\"C1\",\"NOBODY\"]");
        assertThat(r.get("results").get(1).get("event_timestamps").get(1).asText()).isEqualTo("1970-01-01T00:00:00Z");
        JsonNode full = lookup("/get-online-features", "{\"features\":[\"customer_orders:last_amount\"],"
            + "\"entities\":{\"customer_id\":[\"C1\"]},\"full_feature_names\":true}");
        assertThat(full.get("metadata").get("feature_names").get(1).asText()).isEqualTo("customer_orders__last_amount");
    }

    @Test
    @Order(7)
    void aFeatureServiceNamesItsFeatures() {
        JsonNode r = lookup("/v1/features/online", "{\"feature_service\":\"churn_model_v1\","
            + "\"entities\":{\"customer_id\":[\"C1\"]}}");
        assertThat(r.get("metadata").get("feature_names").toString()).isEqualTo("[\"customer_id\","
            + "\"customer_orders__purchase_frequency_30d\",\"customer_orders__average_order_value_30d\","
            + "\"customer_orders__last_amount\",\"customer_profile__tier\",\"customer_profile__tenure_days\"]");
    }

    @Test
    @Order(8)
    void asOfReadsTheValuesOfAPastTime() {
        JsonNode r = lookup("/v1/features/online", "{\"features\":[\"customer_orders:last_amount\","
            + "\"customer_orders:purchase_frequency_30d\"],\"entities\":{\"customer_id\":[\"C1\"]},\"as_of\":\""
            + Timestamps.format(NOW - 5 * DAY) + "\"}");
        assertThat(column(r, "customer_orders__last_amount").get(0).get("value").asDouble()).isEqualTo(10.0);
        assertThat(column(r, "customer_orders__purchase_frequency_30d").get(0).get("value").asLong()).isEqualTo(1);
        assertThat(r.get("metadata").get("as_of").asText()).isEqualTo(Timestamps.format(NOW - 5 * DAY));
        JsonNode epoch = lookup("/v1/features/online", "{\"features\":[\"customer_orders:last_amount\"],"
            + "\"entities\":{\"customer_id\":[\"C1\"]},\"as_of\":" + (NOW - 5 * DAY) + "}");
        assertThat(column(epoch, "customer_orders__last_amount").get(0).get("value").asDouble()).isEqualTo(10.0);
    }

    @Test
    @Order(8)
    void theCompactFormatCarriesTheSameValuesRowByRow() {
        String q = "\"features\":[\"customer_orders:last_amount\",\"customer_orders:purchase_frequency_30d\","
            + "\"customer_profile:tier\"],\"entities\":{\"customer_id\":[\"C1\",\"NOPE\"]}";
        JsonNode cols = lookup("/v1/features/online", "{" + q + "}");
        JsonNode compact = lookup("/v1/features/online", "{" + q + ",\"format\":\"compact\"}");
        assertThat(compact.get("columns").toString()).isEqualTo(cols.get("metadata").get("feature_names").toString());
        assertThat(compact.get("views").toString()).isEqualTo("[\"customer_orders\",\"customer_profile\"]");
        JsonNode rows = compact.get("rows");
        assertThat(rows).hasSize(2);
        for (int e = 0; e < 2; e++) {
            for (int f = 0; f < 4; f++) {
                assertThat(rows.get(e).get("values").get(f)).as("entity %d column %d", e, f)
                    .isEqualTo(cols.get("results").get(f).get("values").get(e));
            }
        }
        assertThat(rows.get(0).get("event_ts").get(0).asText())
            .isEqualTo(cols.get("results").get(1).get("event_timestamps").get(0).asText());
        for (int e = 0; e < 2; e++) {
            for (int f = 1; f < 4; f++) {
                String name = compact.get("columns").get(f).asText();
                String status = cols.get("results").get(f).get("statuses").get(e).asText();
                JsonNode listed = rows.get(e).path("statuses").path(name);
                assertThat(listed.isMissingNode() ? "PRESENT" : listed.asText()).as("entity %d %s", e, name).isEqualTo(status);
                assertThat(listed.isMissingNode() || !status.equals("PRESENT")).as("PRESENT is never listed").isTrue();
            }
        }
        assertThat(rows.get(1).get("statuses").get("customer_orders__last_amount").asText()).isEqualTo("NOT_FOUND");
        assertThat(rows.get(1).get("event_ts").get(0).isNull()).isTrue();
    }

    @Test
    @Order(9)
    void resendingTheSameRowsChangesNothing() {
        JsonNode again = h.ndjson("orders", ORDERS).json();
        assertThat(again.get("accepted").asLong()).isEqualTo(6);
        JsonNode events = h.get("/v1/sources/orders/events?entity=C1").json();
        assertThat(events.get("events")).hasSize(4);
        JsonNode r = lookup("/v1/features/online", "{\"features\":[\"customer_orders:purchase_frequency_30d\"],"
            + "\"entities\":{\"customer_id\":[\"C1\"]}}");
        assertThat(column(r, "customer_orders__purchase_frequency_30d").get(0).get("value").asLong()).isEqualTo(3);
    }

    @Test
    @Order(10)
    void aJsonArrayBodyIsIngestedLikeNdjson() {
        String body = "[{\"customer_id\":\"C1\",\"tier\":\"gold\",\"tenure_days\":12,\"updated_at\":\"2026-02-20T00:00:00+01:00\"},"
            + "{\"customer_id\":\"C1\",\"tier\":\"platinum\",\"tenure_days\":1,\"updated_at\":\"2026-02-21T00:00:00Z\"}]";
        JsonNode r = h.send("POST", "/v1/ingest/profiles", "application/json", body).json();
        assertThat(r.get("accepted").asLong()).isEqualTo(1);
        assertThat(r.get("rejections").get(0).get("rule").asText()).isEqualTo("contract.allowed");
        JsonNode l = lookup("/v1/features/online", "{\"features\":[\"customer_profile:tier\"],"
            + "\"entities\":{\"customer_id\":[\"C1\"]}}");
        assertThat(column(l, "customer_profile__tier").get(0).get("value").asText()).isEqualTo("gold");
        assertThat(l.get("results").get(1).get("event_timestamps").get(0).asText()).isEqualTo("2026-02-19T23:00:00.000Z");
    }

    @Test
    @Order(11)
    void theLastNdjsonLineCountsEvenWithoutATrailingNewline() {
        String body = order("n1", "C5", 1, "web", NOW - DAY, null) + "\n" + order("n2", "C5", 2, "web", NOW - DAY / 2, null);
        JsonNode r = h.ndjson("orders", body).json();
        assertThat(r.get("received").asLong()).isEqualTo(2);
        assertThat(r.get("accepted").asLong()).isEqualTo(2);
        assertThat(h.get("/v1/sources/orders/events?entity=C5").json().get("events")).hasSize(2);
    }

    @Test
    @Order(20)
    void valuesOlderThanTtlExpireWhenTheClockMoves() {
        h.clock.set(NOW + 29 * DAY);
        try {
            JsonNode r = lookup("/v1/features/online", "{\"features\":[\"customer_orders:last_amount\","
                + "\"customer_orders:purchase_frequency_30d\"],\"entities\":{\"customer_id\":[\"C1\"]}}");
            JsonNode amount = column(r, "customer_orders__last_amount").get(0);
            assertThat(amount.get("status").asText()).isEqualTo("OUTSIDE_MAX_AGE");
            assertThat(amount.get("value").isNull()).isTrue();
            assertThat(column(r, "customer_orders__purchase_frequency_30d").get(0).get("value").asLong()).isZero();
            h.clock.set(NOW + 28 * DAY - 1);
            JsonNode before = lookup("/v1/features/online", "{\"features\":[\"customer_orders:last_amount\"],"
                + "\"entities\":{\"customer_id\":[\"C1\"]}}");
            assertThat(column(before, "customer_orders__last_amount").get(0).get("status").asText())
                .as("exactly at t - ttl the event is still inside").isEqualTo("PRESENT");
        } finally {
            h.clock.set(NOW);
        }
    }

    @Test
    @Order(30)
    void metricsCountIngestedRowsAndLookups() {
        String m = h.get("/metrics").body();
        assertThat(m).contains("hearth_ingest_rows_total{outcome=\"accepted\",source=\"orders\"}");
        assertThat(m).contains("hearth_ingest_rows_total{outcome=\"rejected\",source=\"orders\"} 7.0");
        assertThat(m).contains("hearth_lookup_latency_seconds_bucket{endpoint=\"v1-features-online\"");
        assertThat(h.get("/health").json().get("status").asText()).isEqualTo("UP");
    }
}

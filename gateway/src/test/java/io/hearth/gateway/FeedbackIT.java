package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import io.hearth.feedback.FeedbackFacts;
import io.hearth.feedback.Sampling;
import io.hearth.formats.Csv;
import io.hearth.testing.Seeds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feedback loop end to end on a real node and real HTTP: lookups logged under the callers' request ids; the
 * features changed afterwards (new events, and late back-filled events before the served time) and every logged
 * lookup reproduced; outcomes (unknown ids, duplicates, one that arrives before its log, one known at serving time)
 * counted exactly; the training set from the logs holding exactly the matched rows with the values served; sampling
 * at 0.1 binomial and the same when replayed; the log as a SQL table over JDBC and as a file; retention.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeedbackIT {
    static final long DAY = 86_400_000L;
    static final long HOUR = 3_600_000L;
    static final long NOW = Timestamps.parse("2026-03-01T00:00:00Z");
    static final String SERVICE = "churn_model_v1";
    /** The demo, plus a service logging a tenth of its lookups. */
    static final String DEFS = Harness.DEMO_YAML.replace("\nmodels:", "\n  - name: churn_sampled\n    features:\n"
        + "      - customer_orders: [last_amount]\n    logging: {sample_rate: 0.1}\n\nmodels:");

    @TempDir
    static Path dir;
    static Harness h;
    /** What each request's lookup answered: request id → feature → value. */
    static final Map<String, Map<String, JsonNode>> served = new HashMap<>();

    @BeforeAll
    static void start() {
        h = new Harness(dir, NOW, 1L << 30).start();
        Harness.Response applied = h.applyYaml(DEFS);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        StringBuilder orders = new StringBuilder();
        StringBuilder profiles = new StringBuilder();
        for (int c = 1; c <= 6; c++) {
            for (int k = 1; k <= 3; k++) { // orders 3, 2 and 1 hours before NOW
                orders.append(GatewayIT.order("o" + c + "-" + k, "C" + c, 10 * c + k, "web", NOW - (4 - k) * HOUR, null))
                    .append('\n');
            }
            profiles.append("{\"customer_id\":\"C").append(c).append("\",\"tier\":\"gold\",\"tenure_days\":").append(c)
                .append(",\"updated_at\":").append(NOW - DAY).append("}\n");
        }
        assertThat(h.ndjson("orders", orders.toString()).status()).isEqualTo(200);
        assertThat(h.ndjson("profiles", profiles.toString()).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static Harness.Response lookup(String path, String requestId, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url(path))).timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Harness.Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
                r.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String serviceLookup(String customer) {
        return "{\"feature_service\":\"" + SERVICE + "\",\"entities\":{\"customer_id\":[\"" + customer + "\"]}}";
    }

    /** Feature name → value of a one-entity Hearth answer. */
    static Map<String, JsonNode> values(JsonNode answer) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        JsonNode names = answer.get("metadata").get("feature_names");
        for (int i = 1; i < names.size(); i++) {
            out.put(names.get(i).asText(), answer.get("results").get(i).get("values").get(0));
        }
        return out;
    }

    static void flush() {
        h.gateway.feedback().flush();
    }

    static JsonNode log(String requestId) {
        Harness.Response r = h.get("/v1/feature-log/" + requestId);
        assertThat(r.status()).as(requestId + ": " + r.body()).isEqualTo(200);
        return r.json();
    }

    static JsonNode reproduce(String requestId) {
        Harness.Response r = h.get("/v1/feature-log/" + requestId + "/reproduce");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    @Order(1)
    void lookupsByServiceAreLoggedUnderTheCallersRequestIdEchoedInTheAnswer() {
        for (int c = 1; c <= 6; c++) {
            String id = "req-" + c;
            Harness.Response r = lookup("/v1/features/online", id, serviceLookup("C" + c), "X-Model", "churn_v1",
                "X-Model-Version", "1");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.header("X-Request-Id")).isEqualTo(id);
            served.put(id, values(r.json()));
        }
        // Feast's endpoint logs too, and a model named in the body is recorded.
        Harness.Response feast = lookup("/get-online-features", "feast-1", "{\"feature_service\":\"" + SERVICE
            + "\",\"entities\":{\"customer_id\":[\"C1\",\"C2\"]},\"model\":\"churn_v2\"}");
        assertThat(feast.status()).as(feast.body()).isEqualTo(200);
        assertThat(feast.header("X-Request-Id")).isEqualTo("feast-1");
        flush();

        JsonNode l = log("req-1");
        assertThat(l.get("service").asText()).isEqualTo(SERVICE);
        assertThat(l.get("model").asText()).isEqualTo("churn_v1");
        assertThat(l.get("model_version").asText()).isEqualTo("1");
        assertThat(l.get("as_of").isNull()).isTrue();
        assertThat(l.get("served_at").asText()).isEqualTo(Timestamps.format(NOW));
        assertThat(l.get("registry_version").asLong()).isPositive();
        assertThat(l.get("entities").get("customer_id").get(0).asText()).isEqualTo("C1");
        JsonNode last = l.get("features").get("customer_orders__last_amount");
        assertThat(last.get("values").get(0).asDouble()).isEqualTo(13.0);
        assertThat(last.get("statuses").get(0).asText()).isEqualTo("PRESENT");
        assertThat(last.get("event_ts").get(0).asText()).isEqualTo(Timestamps.format(NOW - HOUR));
        assertThat(l.get("features").size()).isEqualTo(5);
        JsonNode f = log("feast-1");
        assertThat(f.get("entities").get("customer_id")).hasSize(2);
        assertThat(f.get("model").asText()).isEqualTo("churn_v2");
    }

    @Test
    @Order(2)
    void aLookupWithoutARequestIdGetsAUuidV7AndAMalformedOneIsRefused() {
        Harness.Response r = lookup("/v1/features/online", null, serviceLookup("C1"));
        assertThat(r.status()).isEqualTo(200);
        String id = r.header("X-Request-Id");
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        flush();
        assertThat(log(id).get("request_id").asText()).isEqualTo(id);

        Harness.Response bad = lookup("/v1/features/online", "has space", serviceLookup("C1"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("X-Request-Id");
        assertThat(bad.json().get("rule").asText()).isEqualTo("request_id.syntax");
        Harness.Response conflict = lookup("/v1/features/online", "m-1", "{\"feature_service\":\"" + SERVICE
            + "\",\"entities\":{\"customer_id\":[\"C1\"]},\"model\":\"a\"}", "X-Model", "b");
        assertThat(conflict.status()).isEqualTo(400);
        assertThat(conflict.json().get("rule").asText()).isEqualTo("model.conflict");
        assertThat(conflict.header("X-Request-Id")).isEqualTo("m-1");
        // features named one by one are not a service: answered, not logged
        Harness.Response plain = lookup("/v1/features/online", "plain-1", "{\"features\":[\"customer_orders:last_amount\"],"
            + "\"entities\":{\"customer_id\":[\"C1\"]}}");
        assertThat(plain.header("X-Request-Id")).isEqualTo("plain-1");
        flush();
        assertThat(h.get("/v1/feature-log/plain-1").status()).isEqualTo(404);
        assertThat(h.get("/v1/feature-log/never-seen").json().get("rule").asText()).isEqualTo("ref.request_id");
    }

    @Test
    @Order(2)
    void aLogIsReadableAndItsOutcomeMatchedRightAfterTheLookupBeforeTheGridHasIt() {
        assertThat(lookup("/v1/features/online", "instant-1", serviceLookup("C6")).status()).isEqualTo(200);
        // no flush: this gateway answers from its logger until the grid has the record
        assertThat(log("instant-1").get("entities").get("customer_id").get(0).asText()).isEqualTo("C6");
        JsonNode o = h.postJson("/v1/outcomes", "[" + outcome("instant-1", "clicked", "true", NOW + DAY) + "]").json();
        assertThat(o.get("matched").asLong()).isEqualTo(1);
        flush();
        assertThat(log("instant-1").get("served_at").asText()).isEqualTo(Timestamps.format(NOW));
    }

    @Test
    @Order(3)
    void reproduceMatchesUntouchedRequestsAndNamesTheFeatureABackfillChanged() {
        h.clock.set(NOW + HOUR);
        StringBuilder later = new StringBuilder();
        // New events after the served time: invisible as of it.
        later.append(GatewayIT.order("late-1", "C1", 999, "app", NOW + 30 * 60_000L, null)).append('\n');
        later.append(GatewayIT.order("late-4", "C4", 999, "app", NOW + 1, null)).append('\n');
        // Back-filled before the served time, newer than C2's latest event: last_amount changes.
        long backfill = NOW - 10 * 60_000L;
        later.append(GatewayIT.order("bf-2", "C2", 77, "store", backfill, null)).append('\n');
        // Back-filled before C3's latest event: last_amount stays, the 30-day count and average change.
        later.append(GatewayIT.order("bf-3", "C3", 5, "store", NOW - 5 * HOUR, null)).append('\n');
        assertThat(h.ndjson("orders", later.toString()).status()).isEqualTo(200);

        for (String id : List.of("req-1", "req-4", "req-5", "req-6")) {
            JsonNode r = reproduce(id);
            assertThat(r.get("match").asBoolean()).as(id + ": " + r).isTrue();
            assertThat(r.get("diffs")).isEmpty();
            assertThat(r.get("as_of").asText()).isEqualTo(Timestamps.format(NOW));
        }
        JsonNode r2 = reproduce("req-2");
        assertThat(r2.get("match").asBoolean()).isFalse();
        Map<String, JsonNode> diffs = new HashMap<>();
        r2.get("diffs").forEach(d -> diffs.put(d.get("feature").asText(), d));
        assertThat(diffs).containsKeys("customer_orders__last_amount", "customer_orders__purchase_frequency_30d",
            "customer_orders__average_order_value_30d");
        assertThat(diffs).doesNotContainKeys("customer_profile__tier", "customer_profile__tenure_days");
        JsonNode d = diffs.get("customer_orders__last_amount");
        assertThat(d.get("logged").asDouble()).isEqualTo(23.0);
        assertThat(d.get("recomputed").asDouble()).isEqualTo(77.0);
        assertThat(d.get("logged_event_ts").asText()).isEqualTo(Timestamps.format(NOW - HOUR));
        assertThat(d.get("recomputed_event_ts").asText()).isEqualTo(Timestamps.format(backfill));
        assertThat(d.get("cause").asText()).isEqualTo("late_event");
        assertThat(d.get("entity").get("customer_id").asText()).isEqualTo("C2");
        assertThat(diffs.get("customer_orders__purchase_frequency_30d").get("logged").asLong()).isEqualTo(3);
        assertThat(diffs.get("customer_orders__purchase_frequency_30d").get("recomputed").asLong()).isEqualTo(4);

        JsonNode r3 = reproduce("req-3");
        assertThat(r3.get("match").asBoolean()).isFalse();
        List<String> changed = new ArrayList<>();
        r3.get("diffs").forEach(x -> {
            changed.add(x.get("feature").asText());
            assertThat(x.get("cause").asText()).isEqualTo("value_changed"); // a late event inside the window
        });
        assertThat(changed).containsExactlyInAnyOrder("customer_orders__purchase_frequency_30d",
            "customer_orders__average_order_value_30d");
        // both entities of one request are compared: C1 untouched, C2 back-filled
        JsonNode feast = reproduce("feast-1");
        assertThat(feast.get("diffs")).allSatisfy(x -> assertThat(x.get("entity").get("customer_id").asText()).isEqualTo("C2"));
        assertThat(h.get("/metrics").body()).containsPattern(
            "hearth_reproduce_mismatch_total\\{feature=\"customer_orders__last_amount\",service=\"churn_model_v1\",?\\} [1-9]");
    }

    @Test
    @Order(4)
    void aSampleOfLogsReportsTheMatchRatePerFeature() {
        Harness.Response r = h.postJson("/v1/feature-log/skew", "{\"service\":\"" + SERVICE + "\",\"from\":" + (NOW - DAY)
            + ",\"to\":\"" + Timestamps.format(NOW + DAY) + "\",\"sample\":1000}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode s = r.json();
        assertThat(s.get("sampled").asInt()).isEqualTo(9); // req-1..6, feast-1, the generated id, instant-1
        Map<String, JsonNode> features = new HashMap<>();
        s.get("features").forEach(f -> features.put(f.get("feature").asText(), f));
        JsonNode last = features.get("customer_orders__last_amount");
        assertThat(last.get("compared").asLong()).isEqualTo(10); // feast-1 asked for two entities
        assertThat(last.get("matched").asLong()).isEqualTo(8); // not C2 in req-2 and in feast-1
        assertThat(last.get("causes").get("late_event").asLong()).isEqualTo(2);
        assertThat(features.get("customer_profile__tier").get("match_rate").asDouble()).isEqualTo(1.0);
        assertThat(s.get("mismatched_requests")).extracting(JsonNode::asText)
            .containsExactlyInAnyOrder("req-2", "req-3", "feast-1");
    }

    @Test
    @Order(5)
    void outcomesAreCountedExactlyStoredOnceAndMatchedWhenTheirLogArrivesLater() {
        String body = "[" + String.join(",",
            outcome("req-1", "churned", "1", NOW + DAY),
            outcome("req-2", "churned", "0", NOW + DAY),
            outcome("req-3", "churned", "1", NOW - 1000), // known before the lookup: leakage
            outcome("req-4", "churned", "0", NOW), // known at the served time: leakage too
            outcome("nobody-1", "churned", "1", NOW + DAY),
            outcome("nobody-2", "churned", "1", NOW + DAY),
            outcome("req-1", "churned", "0", NOW + 2 * DAY), // a duplicate pair: the first stays
            outcome("req-1", "spend_next_30d", "120.5", NOW + 30 * DAY),
            outcome("req-late", "churned", "1", NOW + 3 * DAY)) + "]";
        JsonNode first = h.postJson("/v1/outcomes", body).json();
        assertThat(first.get("matched").asLong()).isEqualTo(5);
        assertThat(first.get("unmatched").asLong()).isEqualTo(3);
        assertThat(first.get("stored").asLong()).isEqualTo(8);
        assertThat(first.get("already_stored").asLong()).isEqualTo(0);
        assertThat(first.get("duplicates").asLong()).isEqualTo(1);

        JsonNode again = h.postJson("/v1/outcomes", body).json();
        assertThat(again.get("matched").asLong()).isEqualTo(5);
        assertThat(again.get("unmatched").asLong()).isEqualTo(3);
        assertThat(again.get("stored").asLong()).isEqualTo(0);
        assertThat(again.get("already_stored").asLong()).isEqualTo(8);

        // The lookup of req-late happens after its outcome arrived; its outcome now matches.
        h.clock.set(NOW + 2 * HOUR);
        assertThat(lookup("/v1/features/online", "req-late", serviceLookup("C5")).status()).isEqualTo(200);
        flush();
        JsonNode late = h.postJson("/v1/outcomes", "[" + outcome("req-late", "churned", "1", NOW + 3 * DAY) + "]").json();
        assertThat(late.get("matched").asLong()).isEqualTo(1);
        assertThat(late.get("already_stored").asLong()).isEqualTo(1);

        Harness.Response bad = h.postJson("/v1/outcomes", "[" + outcome("req-1", "churned", "1", NOW) + ",{\"request_id\":"
            + "\"x\",\"label\":\"churned\",\"value\":{},\"outcome_ts\":1}]");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("[1].value");
        assertThat(bad.json().get("rule").asText()).isEqualTo("type.scalar");
        h.gateway.feedback().facts().flush();
        assertThat(h.gateway.feedback().facts().labels()).anySatisfy(l -> {
            assertThat(l.label()).isEqualTo("churned");
            assertThat(l.service()).contains(SERVICE);
        });
    }

    static String outcome(String id, String label, String valueJson, long ts) {
        return "{\"request_id\":\"" + id + "\",\"label\":\"" + label + "\",\"value\":" + valueJson + ",\"outcome_ts\":\""
            + Timestamps.format(ts) + "\"}";
    }

    @Test
    @Order(6)
    void theTrainingSetFromLogsHasExactlyTheMatchedRowsWithTheValuesAsServedAndCountsLeakage() throws Exception {
        Harness.Response job = h.postJson("/v1/feature-log/training-sets", "{\"service\":\"" + SERVICE
            + "\",\"label\":\"churned\",\"from\":\"" + Timestamps.format(NOW - DAY) + "\",\"to\":" + (NOW + DAY)
            + ",\"format\":\"csv\"}");
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        String id = job.json().get("id").asText();
        JsonNode done = await().atMost(Duration.ofSeconds(30)).until(() -> h.get("/v1/feature-log/training-sets/" + id)
            .json(), j -> !j.get("status").asText().matches("QUEUED|RUNNING"));
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("leakage").asLong()).isEqualTo(2); // req-3, req-4
        assertThat(done.get("labeled").asLong()).isEqualTo(3); // req-1, req-2, req-late
        assertThat(done.get("rows").asLong()).isEqualTo(3);
        Harness.Response data = h.get("/v1/feature-log/training-sets/" + id + "/data");
        assertThat(data.status()).isEqualTo(200);
        List<String[]> rows = new ArrayList<>();
        Csv.rows(data.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).forEachRemaining(rows::add);
        List<String> header = Arrays.asList(rows.get(0));
        assertThat(header).containsExactly("request_id", "customer_id", "served_at",
            "customer_orders__purchase_frequency_30d", "customer_orders__average_order_value_30d",
            "customer_orders__last_amount", "customer_profile__tier", "customer_profile__tenure_days", "churned");
        Map<String, String[]> byId = new HashMap<>();
        rows.subList(1, rows.size()).forEach(r -> byId.put(r[0], r));
        assertThat(byId).containsOnlyKeys("req-1", "req-2", "req-late");
        assertThat(byId.get("req-1")[8]).isEqualTo("1"); // the first stored value, not the duplicate's 0
        assertThat(byId.get("req-2")[8]).isEqualTo("0");
        // the values served, not recomputed: req-2's last amount is the 23 it was served, not the back-filled 77
        assertThat(Double.parseDouble(byId.get("req-2")[header.indexOf("customer_orders__last_amount")])).isEqualTo(23.0);
        for (String rid : List.of("req-1", "req-2")) {
            for (Map.Entry<String, JsonNode> f : served.get(rid).entrySet()) {
                String cell = byId.get(rid)[header.indexOf(f.getKey())];
                assertThat(cell).as(rid + " " + f.getKey()).isEqualTo(f.getValue().isTextual() ? f.getValue().asText()
                    : f.getValue().toString());
            }
            assertThat(byId.get(rid)[2]).isEqualTo(Timestamps.format(NOW));
        }
        // a label no outcome has gives an empty set; a label that is a column is refused
        Harness.Response clash = h.postJson("/v1/feature-log/training-sets", "{\"service\":\"" + SERVICE
            + "\",\"label\":\"customer_id\"}");
        assertThat(clash.status()).isEqualTo(400);
        assertThat(clash.json().get("rule").asText()).isEqualTo("label.column");
    }

    @Test
    @Order(7)
    void theLogIsASqlTableOverJdbcAndAParquetOrCsvFile() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:ignite:thin://127.0.0.1:" + h.clientPort());
             ResultSet rs = c.createStatement().executeQuery("SELECT request_id, model, served_at, features FROM "
                 + "HEARTH.FEATURE_LOG WHERE service = 'churn_model_v1' AND request_id = 'req-2'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("model")).isEqualTo("churn_v1");
            assertThat(rs.getTimestamp("served_at").getTime()).isEqualTo(NOW);
            assertThat(rs.getString("features")).contains("\"customer_orders\":{\"@event_ts\":[\""
                + Timestamps.format(NOW - HOUR) + "\"]").contains("\"last_amount\":[23.0]");
        }
        try (Connection c = DriverManager.getConnection("jdbc:ignite:thin://127.0.0.1:" + h.clientPort());
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM HEARTH.OUTCOMES WHERE label = 'churned'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(7);
        }
        Harness.Response csv = h.get("/v1/feature-log?service=" + SERVICE + "&format=csv&from=" + (NOW - DAY));
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        List<String[]> rows = new ArrayList<>();
        Csv.rows(csv.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).forEachRemaining(rows::add);
        assertThat(Arrays.asList(rows.get(0))).startsWith("request_id", "service", "registry_version", "model",
            "model_version", "as_of", "served_at", "customer_id", "customer_orders__purchase_frequency_30d",
            "customer_orders__purchase_frequency_30d__status", "customer_orders__purchase_frequency_30d__event_ts");
        assertThat(rows).hasSize(1 + 11); // 10 one-entity requests, feast-1 with two
        Harness.Response parquet = h.get("/v1/feature-log?service=" + SERVICE);
        assertThat(parquet.status()).isEqualTo(200);
        assertThat(parquet.contentType()).isEqualTo("application/vnd.apache.parquet");
        assertThat(h.get("/v1/feature-log?service=nope").json().get("rule").asText()).isEqualTo("ref.feature_service");
    }

    @Test
    @Order(8)
    void modelsNamedInLookupsAreLineageFacts() {
        h.gateway.feedback().facts().flush();
        List<FeedbackFacts.ModelSeen> models = h.gateway.feedback().facts().modelsOf(SERVICE);
        assertThat(models).extracting(FeedbackFacts.ModelSeen::model, FeedbackFacts.ModelSeen::modelVersion,
            FeedbackFacts.ModelSeen::lookups).contains(org.assertj.core.groups.Tuple.tuple("churn_v1", "1", 6L),
            org.assertj.core.groups.Tuple.tuple("churn_v2", "", 1L));
        assertThat(models.get(0).firstSeen()).isEqualTo(NOW);
        assertThat(h.gateway.feedback().facts().lineageEdges()).anySatisfy(e -> {
            assertThat(e.from()).isEqualTo("service:" + SERVICE);
            assertThat(e.to()).isEqualTo("model:churn_v1");
            assertThat(e.relation()).isEqualTo(FeedbackFacts.SERVED_TO);
        }).anySatisfy(e -> {
            assertThat(e.from()).isEqualTo("label:churned");
            assertThat(e.relation()).isEqualTo(FeedbackFacts.LABELS);
        });
        // and the lineage over HTTP shows them: the service serves the model, the label is learned from the service
        JsonNode down = h.get("/v1/lineage/service/" + SERVICE + "?direction=downstream&depth=1").json();
        assertThat(down.get("edges")).anySatisfy(e -> {
            assertThat(e.get("from").asText()).isEqualTo("service:" + SERVICE);
            assertThat(e.get("to").asText()).isEqualTo("model:churn_v1");
            assertThat(e.get("relation").asText()).isEqualTo(FeedbackFacts.SERVED_TO);
        });
        JsonNode label = h.get("/v1/lineage/label/churned?direction=downstream&depth=1").json();
        assertThat(label.get("edges")).anySatisfy(e -> {
            assertThat(e.get("to").asText()).isEqualTo("service:" + SERVICE);
            assertThat(e.get("relation").asText()).isEqualTo(FeedbackFacts.LABELS);
        });
    }

    /**
     * 2,000 lookups of a service logging a tenth, each under its own request id: the logged ids are exactly those whose
     * sample key is below 0.1, their number within 5 standard deviations of 200, and replaying the same requests logs
     * the same ids again.
     */
    @Test
    @Order(9)
    void aTenthIsLoggedBinomiallyAndReplayingTheSameRequestsLogsTheSameIds() throws Exception {
        long seed = Seeds.seed("FeedbackIT.sampling");
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 2000;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("s-" + Long.toString(rnd.nextLong() >>> 1, 36));
        }
        Set<String> expected = new HashSet<>();
        ids.forEach(id -> {
            if (Sampling.sampled(id, 0.1)) {
                expected.add(id);
            }
        });
        send(ids);
        flush();
        Set<String> logged = loggedIds("churn_sampled");
        assertThat(logged).as(Seeds.replay(seed)).isEqualTo(expected);
        double sd = Math.sqrt(n * 0.1 * 0.9);
        assertThat((double) logged.size()).as(Seeds.replay(seed)).isBetween(n * 0.1 - 5 * sd, n * 0.1 + 5 * sd);
        double writtenBefore = metric("hearth_feature_log_records_total{service=\"churn_sampled\"}");

        send(ids); // the same requests again
        flush();
        assertThat(loggedIds("churn_sampled")).isEqualTo(logged);
        await().atMost(Duration.ofSeconds(10)).until(() -> metric("hearth_feature_log_records_total{service=\"churn_sampled\"}")
            == writtenBefore + logged.size());
        assertThat(h.get("/metrics").body()).doesNotContain("hearth_feature_log_dropped_total{reason=\"overload\"");
    }

    static void send(List<String> ids) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (String id : ids) {
            inFlight.acquire();
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(h.url("/v1/features/online"))).header("X-Request-Id", id)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"feature_service\":\"churn_sampled\",\"entities\":{\"customer_id\":[\"C1\"]}}")).build(),
                HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
    }

    static Set<String> loggedIds(String service) {
        Set<String> out = new HashSet<>();
        h.node.ignite().cache("hearth_feature_log").query(new org.apache.ignite.cache.query.SqlFieldsQuery(
            "SELECT request_id FROM HEARTH.FEATURE_LOG WHERE service = ?").setArgs(service)).getAll()
            .forEach(r -> out.add((String) r.get(0)));
        return out;
    }

    /** A metric's value by its name and labels as Prometheus writes them (a trailing comma in the labels or none). */
    static double metric(String series) {
        for (String l : h.get("/metrics").body().split("\n")) {
            String key = l.substring(0, Math.max(0, l.lastIndexOf(' '))).replace(",}", "}");
            if (key.equals(series)) {
                return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    @Test
    @Order(10)
    void logsPastTheirRetentionAreDeleted() {
        assertThat(h.get("/v1/feature-log/req-1").status()).isEqualTo(200);
        h.clock.set(NOW + 31 * DAY); // the demo service keeps logs 30 days
        h.gateway.feedback().sweepNow();
        assertThat(h.get("/v1/feature-log/req-1").status()).isEqualTo(404);
        assertThat(loggedIds("churn_sampled")).isNotEmpty(); // kept 90 days by default
    }
}

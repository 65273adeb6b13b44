package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.lineage.OpenLineageEmitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lineage over HTTP on a real node: walks up, down and both ways with depths against hand-built expectations, training
 * sets and back-filled files that recorded runs add, and the OpenLineage events of those runs, written to a file and
 * POSTed to a local HTTP server (whose failures are counted in /metrics).
 */
@TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
class LineageIT {
    static final long NOW = Timestamps.parse("2026-03-01T12:00:00Z");

    @TempDir
    static Path dir;
    static Harness h;
    static HttpServer receiver;
    static final List<String> received = new CopyOnWriteArrayList<>();
    static final AtomicBoolean failing = new AtomicBoolean();
    static Path eventsFile;

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/api/v1/lineage", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (failing.get()) {
                x.sendResponseHeaders(500, -1);
            } else {
                received.add(body);
                x.sendResponseHeaders(201, -1);
            }
            x.close();
        });
        receiver.start();
        eventsFile = dir.resolve("events.ndjson");
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/lineage");
        h = new Harness(dir.resolve("node"), NOW, 1L << 30, s -> s.withOpenLineage(
            new OpenLineageEmitter.Settings(url, eventsFile, 100))).start();
        Harness.Response r = h.applyYaml(Harness.DEMO_YAML);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        h.close();
        receiver.stop(0);
    }

    private static JsonNode lineage(String path) {
        Harness.Response r = h.get("/v1/lineage/" + path);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(200);
        return r.json();
    }

    private static Set<String> ids(JsonNode g) {
        Set<String> out = new TreeSet<>();
        g.get("nodes").forEach(n -> out.add(n.get("id").asText()));
        return out;
    }

    private static Set<String> edges(JsonNode g) {
        Set<String> out = new TreeSet<>();
        g.get("edges").forEach(e -> out.add(e.get("from").asText() + " -" + e.get("relation").asText() + "-> "
            + e.get("to").asText()));
        return out;
    }

    private static JsonNode node(JsonNode g, String id) {
        for (JsonNode n : g.get("nodes")) {
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no node " + id + " in " + g);
    }

    @Test
    void a1_downstreamOfAColumnIsTheFeaturesComputedFromItTheirServiceAndItsModel() {
        JsonNode g = lineage("column/orders.amount?direction=downstream");
        assertThat(g.get("root").asText()).isEqualTo("column:orders.amount");
        assertThat(g.get("depth").isNull()).isTrue();
        assertThat(ids(g)).isEqualTo(new TreeSet<>(List.of("column:orders.amount", "feature:customer_orders:last_amount",
            "feature:customer_orders:average_order_value_30d", "feature:customer_orders:spend_7d",
            "feature:customer_orders:max_order_1d", "feature:customer_orders:max_order_7d", "service:churn_model_v1",
            "model:churn_v1")));
        assertThat(edges(g)).isEqualTo(new TreeSet<>(List.of(
            "column:orders.amount -computes-> feature:customer_orders:last_amount",
            "column:orders.amount -computes-> feature:customer_orders:average_order_value_30d",
            "column:orders.amount -computes-> feature:customer_orders:spend_7d",
            "column:orders.amount -computes-> feature:customer_orders:max_order_1d",
            "column:orders.amount -computes-> feature:customer_orders:max_order_7d",
            "feature:customer_orders:last_amount -served_by-> service:churn_model_v1",
            "feature:customer_orders:average_order_value_30d -served_by-> service:churn_model_v1",
            "service:churn_model_v1 -used_by-> model:churn_v1")));
        for (JsonNode e : g.get("edges")) {
            if (e.get("to").asText().equals("feature:customer_orders:spend_7d")) {
                assertThat(e.get("aggregation").asText()).isEqualTo("sum");
                assertThat(e.get("window").asText()).isEqualTo("7d");
            }
        }
        assertThat(node(g, "model:churn_v1").get("version").asText()).isEqualTo("1");
        assertThat(node(g, "feature:customer_orders:max_order_1d").get("deprecated").asBoolean()).isTrue();
        assertThat(node(g, "column:orders.amount").get("type").asText()).isEqualTo("double");
    }

    @Test
    void a2_upstreamBothAndDepthWalkExactlyAsFarAsAsked() {
        JsonNode up = lineage("model/churn_v1?direction=upstream&depth=1");
        assertThat(ids(up)).containsExactly("model:churn_v1", "service:churn_model_v1", "training_set:churn_train");
        assertThat(edges(up)).containsExactly("service:churn_model_v1 -used_by-> model:churn_v1",
            "training_set:churn_train -trains-> model:churn_v1");
        JsonNode all = lineage("model/churn_v1?direction=upstream");
        assertThat(ids(all)).contains("topic:shop.orders", "source:orders", "source:profiles", "column:profiles.tier",
            "entity:customer").doesNotContain("feature:customer_orders:spend_7d", "column:orders.channel");
        JsonNode both = lineage("view/customer_profile?depth=1");
        assertThat(both.get("direction").asText()).isEqualTo("both");
        assertThat(ids(both)).containsExactly("entity:customer", "feature:customer_profile:tenure_days",
            "feature:customer_profile:tier", "source:profiles", "view:customer_profile");
        assertThat(edges(both)).containsExactly("entity:customer -describes-> view:customer_profile",
            "source:profiles -read_by-> view:customer_profile",
            "view:customer_profile -defines-> feature:customer_profile:tenure_days",
            "view:customer_profile -defines-> feature:customer_profile:tier");
        assertThat(ids(lineage("source/orders?depth=0"))).containsExactly("source:orders");
        assertThat(lineage("source/orders?depth=0").get("edges")).isEmpty();
        assertThat(ids(lineage("topic/shop.orders?direction=downstream&depth=1"))).containsExactly("source:orders",
            "topic:shop.orders");
    }

    @Test
    void a3_unknownObjectsAre404sAndBadParameters400s() {
        Harness.Response unknown = h.get("/v1/lineage/source/ordrs");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).isEqualTo("unknown source 'ordrs'; did you mean 'orders'?");
        assertThat(h.get("/v1/lineage/feature/customer_orders:nope").status()).isEqualTo(404);
        Map<String, String[]> bad = Map.of(
            "table/orders", new String[] {"kind", "enum"},
            "source/orders?direction=sideways", new String[] {"direction", "enum"},
            "source/orders?depth=-1", new String[] {"depth", "range"},
            "source/orders?depth=1001", new String[] {"depth", "range"},
            "source/orders?depth=deep", new String[] {"depth", "range"},
            "source/orders?dept=2", new String[] {"dept", "param.unknown"});
        bad.forEach((path, fieldRule) -> {
            Harness.Response r = h.get("/v1/lineage/" + path);
            assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().get("field").asText()).as(path).isEqualTo(fieldRule[0]);
            assertThat(r.json().get("rule").asText()).as(path).isEqualTo(fieldRule[1]);
        });
    }

    @Test
    void a4_aTrainingSetRunIsRecordedAndLineageSearchAndTheCatalogShowIt() {
        String spine = "customer_id,event_ts,churned\nC1," + Timestamps.format(NOW) + ",0\nC2," + NOW + ",1\n";
        Harness.Response job = h.send("POST", "/v1/training-sets?name=churn_train&feature_service=churn_model_v1",
            "text/csv", spine);
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        String id = job.json().get("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> h.get("/v1/training-sets/" + id).json().get("status").asText(),
            s -> s.equals("SUCCEEDED"));
        JsonNode g = lineage("service/churn_model_v1?direction=downstream&depth=1");
        assertThat(edges(g)).contains("service:churn_model_v1 -built_into-> training_set:churn_train");
        JsonNode set = node(g, "training_set:churn_train");
        assertThat(set.get("rows").asLong()).isEqualTo(2);
        assertThat(set.get("runs").asLong()).isEqualTo(1);
        assertThat(set.get("by").asText()).isEqualTo("anonymous");
        assertThat(set.get("spine").asText()).isEqualTo("CSV upload: 2 rows (customer_id, event_ts, churned)");
        assertThat(ids(lineage("training_set/churn_train?direction=upstream"))).contains("column:orders.amount",
            "topic:shop.orders", "service:churn_model_v1");

        JsonNode detail = h.get("/v1/catalog/training_set/churn_train").json();
        assertThat(detail.get("runs")).singleElement().satisfies(r -> {
            assertThat(r.get("run_id").asText()).isEqualTo(id);
            assertThat(r.get("status").asText()).isEqualTo("COMPLETE");
            assertThat(r.get("rows").asLong()).isEqualTo(2);
            assertThat(r.get("output").asText()).isEqualTo("table TRAINING.CHURN_TRAIN");
            assertThat(r.get("features")).hasSize(5);
        });
        assertThat(detail.at("/definition/models/0").asText()).isEqualTo("churn_v1");
        JsonNode found = h.get("/v1/catalog/search?kind=training_set&q=churn").json();
        assertThat(found.at("/hits/0/description").asText()).contains("Built for service churn_model_v1, 2 rows");
    }

    @Test
    void a5_aBackfillRunIsStartedEndedOnceAndShowsTheFileFeedingItsSource() {
        Harness.Response started = h.postJson("/v1/backfills", "{\"source\":\"profiles\",\"files\":[{\"name\":"
            + "\"/tmp/x/profiles.csv\"}]}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        String run = started.json().get("run_id").asText();
        assertThat(UUID.fromString(run)).isNotNull();
        assertThat(started.json().get("status").asText()).isEqualTo("RUNNING");
        assertThat(started.json().at("/files/0/name").asText()).isEqualTo("profiles.csv");
        JsonNode g = lineage("source/profiles?direction=upstream&depth=1");
        assertThat(edges(g)).contains("file:profiles.csv -backfills-> source:profiles");

        Harness.Response ended = h.postJson("/v1/backfills/" + run + "/end", "{\"status\":\"COMPLETE\",\"files\":[{"
            + "\"name\":\"profiles.csv\",\"hash\":\"file:abc\",\"rows\":2}],\"stored\":1,\"already_stored\":0,\"rejected\":1}");
        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        assertThat(ended.json().get("status").asText()).isEqualTo("COMPLETE");
        assertThat(ended.json().get("by").asText()).isEqualTo("anonymous");
        Harness.Response again = h.postJson("/v1/backfills/" + run + "/end", "{\"status\":\"FAIL\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("rule").asText()).isEqualTo("run.ended");
        assertThat(h.get("/v1/backfills/" + run).json().get("stored").asLong()).isEqualTo(1);
        JsonNode file = node(lineage("file/profiles.csv?direction=downstream&depth=1"), "file:profiles.csv");
        assertThat(file.get("hash").asText()).isEqualTo("file:abc");
        assertThat(file.get("rows").asLong()).isEqualTo(2);
        assertThat(h.get("/v1/catalog/source/profiles").json().get("backfills")).singleElement()
            .satisfies(b -> assertThat(b.get("rejected").asLong()).isEqualTo(1));

        assertThat(h.get("/v1/backfills/nope").status()).isEqualTo(404);
        assertThat(h.postJson("/v1/backfills/nope/end", "{\"status\":\"COMPLETE\"}").status()).isEqualTo(404);
        Harness.Response unknownSource = h.postJson("/v1/backfills", "{\"source\":\"profile\",\"files\":[{\"name\":\"a\"}]}");
        assertThat(unknownSource.status()).isEqualTo(400);
        assertThat(unknownSource.json().get("rule").asText()).isEqualTo("ref.source");
        assertThat(unknownSource.json().get("detail").asText()).contains("did you mean 'profiles'");
        assertThat(h.postJson("/v1/backfills", "{\"source\":\"profiles\",\"files\":[]}").json().get("field").asText())
            .isEqualTo("files");
        assertThat(h.postJson("/v1/backfills", "{\"source\":\"profiles\",\"files\":[{\"name\":\"a\",\"rows\":-1}]}")
            .json().get("field").asText()).isEqualTo("files[0].rows");
        assertThat(h.postJson("/v1/backfills/" + run + "/end", "{\"status\":\"DONE\"}").json().get("rule").asText())
            .isEqualTo("enum");
    }

    @Test
    void a6_runsAreOpenLineageEventsInTheFileAndAtTheUrl() throws Exception {
        Harness.Response started = h.postJson("/v1/backfills", "{\"source\":\"orders\",\"files\":[{\"name\":\"o.csv\"}]}");
        String run = started.json().get("run_id").asText();
        assertThat(h.postJson("/v1/backfills/" + run + "/end", "{\"status\":\"FAIL\",\"error\":\"disk full\"}").status())
            .isEqualTo(200);
        // training START and COMPLETE, back-fill START and COMPLETE (a5), back-fill START and FAIL (here)
        await().atMost(Duration.ofSeconds(20)).until(() -> lines().size() >= 6 && received.size() >= 6);
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines()) {
            events.add(Harness.JSON.readTree(line));
        }
        assertThat(received).containsExactlyElementsOf(lines());
        assertThat(events).extracting(e -> e.get("eventType").asText() + " " + e.at("/job/name").asText())
            .containsExactly("START training_set.churn_train", "COMPLETE training_set.churn_train",
                "START backfill.profiles", "COMPLETE backfill.profiles", "START backfill.orders", "FAIL backfill.orders");
        for (JsonNode e : events) {
            assertThat(UUID.fromString(e.at("/run/runId").asText())).isNotNull();
            assertThat(e.at("/job/namespace").asText()).isEqualTo("hearth");
            assertThat(e.get("producer").asText()).isEqualTo("urn:hearth:gateway:0.1.0");
            assertThat(e.get("schemaURL").asText()).startsWith("https://openlineage.io/spec/");
            assertThat(Timestamps.parse(e.get("eventTime").asText())).isEqualTo(NOW);
            assertThat(e.at("/job/facets/jobType/_producer").asText()).isEqualTo("urn:hearth:gateway:0.1.0");
        }
        JsonNode complete = events.get(1);
        assertThat(complete.at("/run/runId").asText()).isEqualTo(events.get(0).at("/run/runId").asText());
        assertThat(complete.get("inputs")).extracting(i -> i.get("name").asText())
            .containsExactly("view:customer_orders", "view:customer_profile", "service:churn_model_v1");
        assertThat(complete.at("/inputs/0/facets/schema/fields")).extracting(f -> f.get("name").asText())
            .containsExactly("purchase_frequency_30d", "average_order_value_30d", "last_amount");
        assertThat(complete.at("/outputs/0/name").asText()).isEqualTo("training_set:churn_train");
        assertThat(complete.at("/outputs/0/outputFacets/outputStatistics/rowCount").asLong()).isEqualTo(2);
        assertThat(complete.at("/run/facets/hearth/by").asText()).isEqualTo("anonymous");
        JsonNode backfill = events.get(3);
        assertThat(backfill.at("/inputs/0").toString()).contains("\"namespace\":\"file\"", "\"name\":\"profiles.csv\"");
        assertThat(backfill.at("/outputs/0/name").asText()).isEqualTo("source:profiles");
        assertThat(backfill.at("/outputs/0/facets/schema/fields/1/name").asText()).isEqualTo("tier");
        assertThat(events.get(5).at("/run/facets/errorMessage/message").asText()).isEqualTo("disk full");

        failing.set(true);
        h.postJson("/v1/backfills", "{\"source\":\"orders\",\"files\":[{\"name\":\"p.csv\"}]}");
        await().atMost(Duration.ofSeconds(20)).until(() -> h.get("/metrics").body()
            .contains("hearth_openlineage_events_total{outcome=\"failed\"} 1.0"));
        assertThat(lines()).as("the file still gets it").hasSize(7);
    }

    private static List<String> lines() {
        try {
            return Files.exists(eventsFile) ? Files.readAllLines(eventsFile) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

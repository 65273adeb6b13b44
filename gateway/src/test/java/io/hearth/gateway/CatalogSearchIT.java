package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.TestNodes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog over HTTP on a real cluster: search, suggest and objects of the demo, every bad parameter refused with
 * its field and rule, an object's versions, and two gateways (the embedded one and a thick client) that each see an
 * apply made through the other at once; feature usage counted by both.
 */
@TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
class CatalogSearchIT {
    static final long NOW = Timestamps.parse("2026-03-01T12:00:00Z");

    @TempDir
    static Path dir;
    static Harness h;
    static HearthNode clientNode;
    static HearthGateway second;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        h = new Harness(dir, NOW, 1L << 30, s -> s.withUsageFlushMillis(0)).start();
        Harness.Response r = h.applyYaml(Harness.DEMO_YAML);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        NodeSettings client = new NodeSettings(null, null, null, 0, TestNodes.freePortBase(), 0,
            List.of("127.0.0.1:" + h.nodeSettings.discoveryPort()), true, 0, 0,
            NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS);
        clientNode = new HearthNode(client).start();
        second = new HearthGateway(clientNode.ignite(), new HearthGateway.Settings("127.0.0.1", 0, 1L << 20, 1L << 20,
            io.hearth.ingest.Breakers.Settings.defaults()).withUsageFlushMillis(0), h.clock).start();
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (clientNode != null) {
            clientNode.close();
        }
        h.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static JsonNode search(String query) {
        Harness.Response r = h.get("/v1/catalog/search?" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Harness.Response onSecond(String method, String path, String type, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port() + path))
            .timeout(Duration.ofSeconds(20)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Harness.Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
                r.headers());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.get("hits").forEach(x -> out.add(x.get("name").asText()));
        return out;
    }

    @Test
    void a1_searchAnswersHitsWithMetadataHighlightsAndFacetsThatAddUp() {
        JsonNode r = search("q=" + enc("order value"));
        assertThat(names(r)).first().isEqualTo("customer_orders:average_order_value_30d");
        JsonNode hit = r.get("hits").get(0);
        assertThat(hit.get("kind").asText()).isEqualTo("feature");
        assertThat(hit.get("id").asText()).isEqualTo("feature:customer_orders:average_order_value_30d");
        assertThat(hit.get("description").asText()).isEqualTo("Mean order amount over the last 30 days.");
        assertThat(hit.get("owner").asText()).isEqualTo("growth-team");
        assertThat(hit.get("deprecated").asBoolean()).isFalse();
        assertThat(hit.get("score").asDouble()).isPositive();
        assertThat(hit.at("/highlights/name").asText()).isEqualTo(
            "customer_<em>orders</em>:average_<em>order</em>_<em>value</em>_30d");
        long total = r.get("total").asLong();
        for (String facet : List.of("kind", "owner")) {
            long sum = 0;
            for (JsonNode c : r.get("facets").get(facet)) {
                sum += c.asLong();
            }
            assertThat(sum).as(facet).isEqualTo(total);
        }
        assertThat(r.get("facets").fieldNames()).toIterable().containsExactly("kind", "owner", "tag", "entity");
    }

    @Test
    void a2_anEmptyQueryListsEverythingFilteredByEveryParameter() {
        JsonNode all = search("limit=100");
        assertThat(all.get("total").asLong()).isEqualTo(27);
        assertThat(all.at("/facets/kind/column").asLong()).isEqualTo(10);
        JsonNode filtered = search("kind=feature&owner=growth-team&tag=&entity=customer&deprecated=true");
        assertThat(names(filtered)).containsExactly("customer_orders:max_order_1d");
        assertThat(names(search("tag=pii&kind=column"))).containsExactlyInAnyOrder("orders.customer_id",
            "profiles.customer_id");
        JsonNode page = search("limit=2&offset=2");
        assertThat(page.get("hits")).hasSize(2);
        assertThat(names(page)).containsExactlyElementsOf(names(all).subList(2, 4));
        assertThat(names(search("q=spnd&kind=feature"))).as("four letters: no typo").isEmpty();
        assertThat(names(search("q=" + enc("averge ordr")))).isEmpty();
        assertThat(names(search("q=" + enc("purchse frequency")))).first().isEqualTo("customer_orders:purchase_frequency_30d");
    }

    @Test
    void a3_everyBadParameterIsA400NamingTheParameterAndTheRule() {
        Map<String, String[]> bad = new java.util.LinkedHashMap<>();
        bad.put("kind=table", new String[] {"kind", "enum"});
        bad.put("limit=0", new String[] {"limit", "range"});
        bad.put("limit=101", new String[] {"limit", "range"});
        bad.put("limit=ten", new String[] {"limit", "range"});
        bad.put("offset=-1", new String[] {"offset", "range"});
        bad.put("offset=10001", new String[] {"offset", "range"});
        bad.put("deprecated=maybe", new String[] {"deprecated", "type.bool"});
        bad.put("q=" + "x".repeat(201), new String[] {"q", "length"});
        bad.put("owner=" + "x".repeat(201), new String[] {"owner", "length"});
        bad.put("tag=" + "x".repeat(201), new String[] {"tag", "length"});
        bad.put("entity=" + "x".repeat(201), new String[] {"entity", "length"});
        bad.put("knd=feature", new String[] {"knd", "param.unknown"});
        bad.put("q=a&q=b", new String[] {"q", "param.repeated"});
        for (Map.Entry<String, String[]> b : bad.entrySet()) {
            Harness.Response r = h.get("/v1/catalog/search?" + b.getKey());
            assertThat(r.status()).as(b.getKey() + " -> " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("field").asText()).as(b.getKey()).isEqualTo(b.getValue()[0]);
            assertThat(r.json().get("rule").asText()).as(b.getKey()).isEqualTo(b.getValue()[1]);
        }
        for (String q : List.of("kind=nope", "limit=0", "limit=51", "q=" + "y".repeat(201), "what=1")) {
            assertThat(h.get("/v1/catalog/suggest?" + q).status()).as(q).isEqualTo(400);
        }
        Harness.Response kind = h.get("/v1/catalog/table/orders");
        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.json().get("field").asText()).isEqualTo("kind");
        assertThat(kind.json().get("detail").asText()).contains("training_set");
    }

    @Test
    void a4_anUnknownObjectIsA404NamingTheClosestName() {
        Harness.Response r = h.get("/v1/catalog/feature/customer_orders:spend_7dd");
        assertThat(r.status()).as(r.body()).isEqualTo(404);
        assertThat(r.json().get("rule").asText()).isEqualTo("ref.feature");
        assertThat(r.json().get("detail").asText()).isEqualTo("unknown feature 'customer_orders:spend_7dd'; did you mean "
            + "'customer_orders:spend_7d'?");
        assertThat(h.get("/v1/catalog/column/orders.amout").json().get("detail").asText())
            .contains("did you mean 'orders.amount'?");
        assertThat(h.get("/v1/catalog/training_set/nope").status()).isEqualTo(404);
        assertThat(h.get("/v1/catalog/feature/customer_orders:spend_7d?x=1").status()).isEqualTo(400);
    }

    @Test
    void a5_suggestFindsNamesByTheStartOfAnyWord() {
        Harness.Response r = h.get("/v1/catalog/suggest?q=" + enc("avg ord"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("suggestions")).as("no name starts so; a search finds its aggregation, avg")
            .extracting(x -> x.get("name").asText()).containsExactly("customer_orders:average_order_value_30d");
        JsonNode s = h.get("/v1/catalog/suggest?q=freq").json().get("suggestions");
        assertThat(s.get(0).get("name").asText()).isEqualTo("customer_orders:purchase_frequency_30d");
        assertThat(s.get(0).get("kind").asText()).isEqualTo("feature");
        assertThat(s.get(0).get("id").asText()).isEqualTo("feature:customer_orders:purchase_frequency_30d");
        assertThat(h.get("/v1/catalog/suggest?q=cust&kind=entity").json().get("suggestions")).singleElement()
            .satisfies(x -> assertThat(x.get("name").asText()).isEqualTo("customer"));
        assertThat(h.get("/v1/catalog/suggest").json().get("suggestions")).isEmpty();
    }

    @Test
    void a6_anObjectShowsItsDefinitionMetadataAndEveryVersionThatChangedIt() {
        JsonNode f = h.get("/v1/catalog/feature/customer_orders:spend_7d").json();
        assertThat(f.get("id").asText()).isEqualTo("feature:customer_orders:spend_7d");
        assertThat(f.at("/definition/window").asText()).isEqualTo("7d");
        assertThat(f.at("/metadata/owner").asText()).isEqualTo("growth-team");
        assertThat(f.at("/metadata/owner_inherited").asBoolean()).isTrue();
        assertThat(f.at("/metadata/deprecated").isNull()).isTrue();
        assertThat(f.get("versions")).singleElement().satisfies(v -> {
            assertThat(v.get("version").asLong()).isEqualTo(1);
            assertThat(v.get("action").asText()).isEqualTo("added");
        });
        assertThat(f.get("lineage").asText()).isEqualTo("/v1/lineage/feature/customer_orders:spend_7d");
        JsonNode dep = h.get("/v1/catalog/feature/customer_orders:max_order_1d").json();
        assertThat(dep.at("/metadata/deprecated/replacement").asText()).isEqualTo("customer_orders:max_order_7d");
        assertThat(dep.at("/metadata/deprecated/inherited").asBoolean()).isFalse();
        assertThat(h.get("/v1/catalog/column/orders.amount").json().at("/definition/contract/min").asDouble()).isZero();
        assertThat(h.get("/v1/catalog/model/churn_v1").json().at("/definition/version").asText()).isEqualTo("1");
        assertThat(h.get("/v1/catalog/source/orders").json().get("backfills")).isEmpty();
    }

    @Test
    void a7_anApplyOnOneGatewayIsSeenByTheNextSearchOnTheOther() {
        String extra = Harness.DEMO_YAML.replace("        window: 7d\n        description: Total spent in the last 7 days.",
            "        window: 14d\n        description: Total spent in the last 14 days.")
            + "\n  - name: loyalty_points\n    version: 1\n    feature_service: churn_model_v1\n    owner: loyalty-team\n";
        Harness.Response applied = h.send("PUT", "/v1/registry?force=true", "application/yaml", extra);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        Harness.Response onOther = onSecond("GET", "/v1/catalog/search?q=loyalty&kind=model", null, null);
        assertThat(onOther.status()).as(onOther.body()).isEqualTo(200);
        assertThat(names(onOther.json())).containsExactly("loyalty_points");
        assertThat(onOther.json().get("registry_version").asLong()).isEqualTo(applied.json().get("version").asLong());

        Harness.Response back = onSecond("PUT", "/v1/registry?force=true", "application/yaml", Harness.DEMO_YAML);
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(search("q=loyalty&kind=model").get("total").asLong()).as("seen by the first gateway at once").isZero();
        assertThat(onSecond("GET", "/v1/lineage/model/loyalty_points", null, null).status()).isEqualTo(404);

        JsonNode versions = h.get("/v1/catalog/feature/customer_orders:spend_7d").json().get("versions");
        assertThat(versions).hasSize(3);
        JsonNode changed = versions.get(1);
        assertThat(changed.get("action").asText()).isEqualTo("changed");
        assertThat(changed.get("changes")).extracting(JsonNode::asText).containsExactly("~ window: 7d -> 14d",
            "~ description: Total spent in the last 7 days. -> Total spent in the last 14 days.");
        assertThat(changed.get("breaking")).extracting(JsonNode::asText)
            .containsExactly("feature spend_7d now computes something else");
        assertThat(versions.get(2).get("changes")).extracting(JsonNode::asText).first().asString()
            .isEqualTo("~ window: 14d -> 7d");
        assertThat(h.get("/v1/catalog/model/loyalty_points").json().get("detail").asText())
            .contains("unknown model 'loyalty_points'");
    }

    @Test
    void a8_lookupsOnBothGatewaysAreCountedPerServiceAndAddUpWhenOneStops() {
        for (int i = 0; i < 5; i++) {
            assertThat(h.postJson("/v1/features/online", "{\"feature_service\":\"churn_model_v1\","
                + "\"entities\":{\"customer_id\":[\"C1\",\"C2\"]}}").status()).isEqualTo(200);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(onSecond("POST", "/get-online-features", "application/json", "{\"features\":["
                + "\"customer_orders:last_amount\",\"customer_orders:spend_7d\"],\"entities\":{\"customer_id\":[\"C1\"]}}")
                .status()).isEqualTo(200);
        }
        assertThat(onSecond("POST", "/v1/features/online", "application/json", "{\"feature_service\":\"churn_model_v1\","
            + "\"entities\":{\"customer_id\":[\"C3\"]}}").status()).isEqualTo(200);
        second.close(); // a gateway that stops adds what it counted to the cluster's counts (else: every 10 s)
        second = null;
        JsonNode last = h.get("/v1/catalog/feature/customer_orders:last_amount").json().get("usage");
        assertThat(last.get("lookups")).isEqualTo(Harness.JSON.valueToTree(Map.of("churn_model_v1", 6, "-", 3)));
        assertThat(last.get("last_served").asText()).isEqualTo(Timestamps.format(NOW));
        JsonNode spend = h.get("/v1/catalog/feature/customer_orders:spend_7d").json().get("usage");
        assertThat(spend.get("lookups")).isEqualTo(Harness.JSON.valueToTree(Map.of("-", 3)));
        JsonNode tier = h.get("/v1/catalog/feature/customer_profile:tier").json().get("usage");
        assertThat(tier.get("lookups").get("churn_model_v1").asLong()).isEqualTo(6);
        JsonNode never = h.get("/v1/catalog/feature/customer_orders:max_order_7d").json().get("usage");
        assertThat(never.get("last_served").isNull()).isTrue();
        assertThat(never.get("lookups")).isEmpty();
        assertThat(h.postJson("/v1/features/online", "{\"features\":[\"customer_orders:nope\"],"
            + "\"entities\":{\"customer_id\":[\"C1\"]}}").status()).as("a refused lookup counts nothing").isEqualTo(400);
        assertThat(h.get("/v1/catalog/feature/customer_orders:spend_7d").json().at("/usage/lookups/-").asLong())
            .isEqualTo(3);
    }
}

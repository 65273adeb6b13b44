package io.hearth.gateway;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.compute.time.Timestamps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * A property-based sweep over the whole HTTP surface: for every operation in {@code /openapi.yaml}, requests built
 * from a valid one by replacing a field, parameter, header or the body with something a client could send (values
 * of other JSON types, edge numbers, long and unicode strings, deep nesting, missing and duplicated keys, broken
 * bodies). Every answer must be a 2xx, or a 4xx the document lists for that operation whose problem body names the
 * rule; never a 5xx (a 503 only for a breaker the sweep itself opened); and the gateway keeps serving. The seed is
 * printed; {@code -Dhearth.seed=N} replays a run.
 */
class ApiSweepIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Mutated requests per operation. */
    private static final int PER_OPERATION = Integer.getInteger("hearth.sweep.perOperation", 100);

    @TempDir
    static Path dir;
    static Harness h;
    static String trainingJob;
    static String logJob;
    /** A request logged before the sweep, so that the log's operations have one to read. */
    static final String LOGGED = "sweep-logged-1";
    static String backfillRun;
    static String backfillToEnd;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        long now = System.currentTimeMillis();
        h = new Harness(dir, now, 64L << 20).start();
        assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            events.append("{\"customer_id\":\"C100").append(i % 3).append("\",\"order_id\":\"S").append(i)
                .append("\",\"amount\":").append(10 + i).append(",\"channel\":\"web\",\"event_ts\":").append(now - i * 60_000L)
                .append("}\n");
        }
        assertThat(h.ndjson("orders", events.toString()).status()).isEqualTo(200);
        Harness.Response job = h.send("POST", "/v1/training-sets?name=sweep_base&feature_service=churn_model_v1", "text/csv",
            "customer_id,event_ts,label\nC1000," + Timestamps.format(now) + ",1\n");
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        trainingJob = job.json().get("id").asText();
        HttpRequest withId = HttpRequest.newBuilder(java.net.URI.create(h.url("/v1/features/online")))
            .header("Content-Type", "application/json").header("X-Request-Id", LOGGED)
            .POST(HttpRequest.BodyPublishers.ofString("{\"feature_service\":\"churn_model_v1\",\"entities\":"
                + "{\"customer_id\":[\"C1000\"]}}")).build();
        try {
            assertThat(HTTP.send(withId, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        h.gateway.feedback().flush();
        assertThat(h.postJson("/v1/outcomes", "[{\"request_id\":\"" + LOGGED + "\",\"label\":\"churned\",\"value\":1,"
            + "\"outcome_ts\":" + (now + 60_000) + "}]").status()).isEqualTo(200);
        Harness.Response lj = h.postJson("/v1/feature-log/training-sets", "{\"service\":\"churn_model_v1\",\"label\":"
            + "\"churned\",\"format\":\"csv\"}");
        assertThat(lj.status()).as(lj.body()).isEqualTo(202);
        logJob = lj.json().get("id").asText();
        org.awaitility.Awaitility.await().until(() -> h.get("/v1/feature-log/training-sets/" + logJob).json().get("status")
            .asText().equals("SUCCEEDED"));
        String files = "{\"source\":\"orders\",\"files\":[{\"name\":\"orders_2025.csv\"}]}";
        backfillRun = h.postJson("/v1/backfills", files).json().get("run_id").asText();
        backfillToEnd = h.postJson("/v1/backfills", files).json().get("run_id").asText();
        Harness.Response ref = h.postJson("/v1/quality/references", "{\"name\":\"sweep_ref\",\"source\":\"orders\","
            + "\"column\":\"amount\",\"from\":\"2020-01-01T00:00:00Z\",\"to\":" + (now + 60_000) + "}");
        assertThat(ref.status()).as(ref.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** One request: method, path (with its parameters filled in), query, headers and body. */
    record Request(String method, String path, Map<String, List<String>> query, Map<String, String> headers, byte[] body) {
        Request with(String p, Map<String, List<String>> q, Map<String, String> hd, byte[] b) {
            return new Request(method, p, q, hd, b);
        }

        String describe() {
            String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " query=" + query + " headers=" + headers + " body="
                + (b.length() > 300 ? b.substring(0, 300) + "...(" + b.length() + " chars)" : b);
        }
    }

    /** A valid request for an operation, as the sweep mutates it. */
    record Base(Request request, BodyKind kind) {
    }

    enum BodyKind { NONE, JSON, NDJSON, CSV, YAML }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationAnswersEveryMutatedRequestWithA2xxOrADocumented4xxNamingTheRule() throws Exception {
        long seed = Seeds.seed("ApiSweepIT");
        SplittableRandom rnd = new SplittableRandom(seed);

        Map<String, Object> doc = new Yaml().load(h.get("/openapi.yaml").body());
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        Map<String, List<Base>> bases = bases();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Map.Entry<String, Map<String, Object>> p : new TreeMap<>(paths).entrySet()) {
            for (Map.Entry<String, Object> op : p.getValue().entrySet()) {
                String key = op.getKey().toUpperCase() + " " + p.getKey();
                List<Base> forOp = bases.get(key);
                assertThat(forOp).as("the sweep has a valid request for " + key + " (add one to bases())").isNotNull();
                Map<String, Object> operation = (Map<String, Object>) op.getValue();
                List<String> documented = new ArrayList<>(((Map<Object, Object>) operation.get("responses")).keySet()
                    .stream().map(String::valueOf).toList());
                List<String> params = new ArrayList<>();
                for (Map<String, Object> prm : (List<Map<String, Object>>) operation.getOrDefault("parameters", List.of())) {
                    params.add(prm.get("in") + ":" + prm.get("name"));
                }
                for (Base b : forOp) { // the valid requests themselves succeed
                    Answer a = send(b.request());
                    assertThat(a.status()).as("valid " + b.request().describe() + " -> " + a.body()).isBetween(200, 299);
                }
                for (int i = 0; i < PER_OPERATION; i++) {
                    Base b = forOp.get(rnd.nextInt(forOp.size()));
                    Request m = mutate(b, params, rnd);
                    Answer a = send(m);
                    sent++;
                    String problem = judge(a, documented);
                    if (problem != null) {
                        failures.add(problem + "\n    request: " + m.describe() + "\n    answer: " + a.status() + " "
                            + a.body().substring(0, Math.min(400, a.body().length())));
                    }
                    if (key.startsWith("PUT /v1/registry") || key.startsWith("POST /v1/models")) {
                        // a mutation that was still valid changed the definitions; forced, as going back from it may
                        // be breaking for the demo's model
                        h.send("PUT", "/v1/registry?file=demo.yaml&force=true", "application/yaml", Harness.DEMO_YAML);
                    }
                }
            }
        }
        System.out.println("ApiSweepIT sent " + sent + " mutated requests; " + failures.size() + " failed");
        assertThat(failures).as("seed " + seed + ": answers outside the contract").isEmpty();
        assertThat(h.get("/health").status()).as("the gateway keeps serving").isEqualTo(200);
    }

    record Answer(int status, String contentType, String body) {
    }

    /** What is wrong with an answer, or null. */
    private static String judge(Answer a, List<String> documented) {
        if (a.status() >= 200 && a.status() < 300) {
            return null;
        }
        JsonNode p;
        try {
            p = JSON.readTree(a.body());
        } catch (IOException e) {
            return a.status() + " without a JSON problem body";
        }
        if (a.status() >= 500) {
            boolean breaker = a.status() == 503 && "breaker.open".equals(p.path("rule").asText());
            return breaker ? null : "a " + a.status();
        }
        if (!documented.contains(Integer.toString(a.status()))) {
            return a.status() + " is not documented for this operation (documented: " + documented + ")";
        }
        if (!a.contentType().startsWith("application/problem+json")) {
            return a.status() + " with Content-Type " + a.contentType();
        }
        if (p.path("code").asText().isEmpty()) {
            return a.status() + " without a code";
        }
        if (p.path("rule").asText().isEmpty() && !p.has("errors")) {
            return a.status() + " without a rule";
        }
        if (p.has("errors")) {
            for (JsonNode e : p.get("errors")) {
                if (e.path("rule").asText().isEmpty() || e.path("field").asText().isEmpty()) {
                    return a.status() + " lists a problem without field and rule: " + e;
                }
            }
        }
        String detail = p.path("detail").asText();
        if (detail.matches("(?s).*\\b(java|javax|org\\.apache|io\\.vertx|com\\.fasterxml)\\.[a-z].*")) {
            return a.status() + " whose detail names Java classes";
        }
        return null;
    }

    private static Answer send(Request r) throws InterruptedException {
        StringBuilder q = new StringBuilder();
        r.query().forEach((k, vs) -> vs.forEach(v -> q.append(q.length() == 0 ? '?' : '&').append(enc(k)).append('=')
            .append(enc(v))));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.url(r.path() + q))).timeout(Duration.ofSeconds(30));
        r.headers().forEach(b::header);
        b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        try {
            HttpResponse<String> resp = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(""), resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to " + r.describe(), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- valid requests, one or more per operation

    private static Map<String, List<Base>> bases() throws IOException {
        long now = System.currentTimeMillis();
        Map<String, List<Base>> m = new LinkedHashMap<>();
        String lookup = "{\"features\":[\"customer_orders:last_amount\",\"customer_orders:spend_7d\"],"
            + "\"entities\":{\"customer_id\":[\"C1000\",\"C1001\"]},\"full_feature_names\":true,\"as_of\":\""
            + Timestamps.format(now) + "\",\"format\":\"columns\"}";
        String serviceLookup = "{\"feature_service\":\"churn_model_v1\",\"entities\":{\"customer_id\":[\"C1000\"]},"
            + "\"as_of\":" + now + ",\"format\":\"compact\"}";
        String ndjson = "{\"customer_id\":\"C2000\",\"order_id\":\"W1\",\"amount\":12.5,\"channel\":\"app\",\"event_ts\":\""
            + Timestamps.format(now) + "\",\"created_ts\":" + now + "}\n";
        String csvRows = "customer_id,order_id,amount,channel,event_ts\nC2001,W2,3.5,web," + Timestamps.format(now) + "\n";
        String registryJson = JSON.writeValueAsString(h.get("/v1/registry").json().get("definitions"));
        String spine = "customer_id,event_ts,label\nC1000," + Timestamps.format(now) + ",1\nC1001," + now + ",0\n";

        put(m, "GET /health", get("/health"));
        put(m, "GET /metrics", get("/metrics"));
        put(m, "GET /openapi.yaml", get("/openapi.yaml"));
        put(m, "GET /v1/registry", get("/v1/registry"));
        put(m, "PUT /v1/registry", body("PUT", "/v1/registry", q("file", "demo.yaml"), "application/yaml", Harness.DEMO_YAML,
            BodyKind.YAML), body("PUT", "/v1/registry", q(), "application/json", registryJson, BodyKind.JSON));
        put(m, "POST /v1/registry/plan", body("POST", "/v1/registry/plan", q(), "application/yaml", Harness.DEMO_YAML,
            BodyKind.YAML), body("POST", "/v1/registry/plan", q(), "application/json", registryJson, BodyKind.JSON));
        put(m, "GET /v1/registry/versions", get("/v1/registry/versions"));
        String model = "{\"name\":\"sweep_model\",\"version\":\"3\",\"feature_service\":\"churn_model_v1\","
            + "\"training_sets\":[\"sweep_base\"],\"owner\":\"ml-team\",\"description\":\"Registered by the sweep.\","
            + "\"tags\":[\"sweep\",{\"team\":\"qa\"}],\"deprecated\":{\"since\":\"2026-01-01\",\"reason\":\"a test\","
            + "\"replacement\":\"churn_v1\",\"sunset\":\"2027-01-01\"}}";
        put(m, "GET /v1/models", get("/v1/models"));
        put(m, "POST /v1/models", body("POST", "/v1/models", q(), "application/json", model, BodyKind.JSON),
            body("POST", "/v1/models", q("force", "true"), "application/json", model, BodyKind.JSON),
            body("POST", "/v1/models", q(), "application/yaml", "name: sweep_yaml\nversion: 1.10\n"
                + "feature_service: churn_model_v1\ntags: {team: qa}\n", BodyKind.YAML));
        put(m, "GET /v1/registry/versions/{version}", get("/v1/registry/versions/1"));
        put(m, "POST /v1/ingest/{source}",
            body("POST", "/v1/ingest/orders", q(), "application/x-ndjson", ndjson, BodyKind.NDJSON),
            body("POST", "/v1/ingest/orders", q("idempotency_key", "k1", "first_index", "0"), "application/json",
                "[" + ndjson.trim() + "]", BodyKind.JSON),
            body("POST", "/v1/ingest/orders", q(), "text/csv", csvRows, BodyKind.CSV));
        put(m, "POST /get-online-features", body("POST", "/get-online-features", q(), "application/json", lookup,
            BodyKind.JSON), body("POST", "/get-online-features", q(), "application/json", serviceLookup, BodyKind.JSON));
        put(m, "POST /v1/features/online", body("POST", "/v1/features/online", q(), "application/json", lookup,
            BodyKind.JSON), body("POST", "/v1/features/online", q(), "application/json", serviceLookup, BodyKind.JSON));
        put(m, "GET /v1/sources", get("/v1/sources"));
        put(m, "GET /v1/sources/{source}", get("/v1/sources/orders"));
        put(m, "POST /v1/sources/{source}/breaker/reset", body("POST", "/v1/sources/orders/breaker/reset", q(), null, null,
            BodyKind.NONE));
        put(m, "GET /v1/sources/{source}/events", new Base(new Request("GET", "/v1/sources/orders/events",
            q("entity", "C1000", "from", "2020-01-01T00:00:00Z", "to", Long.toString(now + 1000), "limit", "10"),
            Map.of(), null), BodyKind.NONE));
        put(m, "POST /v1/compaction", body("POST", "/v1/compaction", q(), null, null, BodyKind.NONE));
        put(m, "POST /v1/cluster/reset-lost", body("POST", "/v1/cluster/reset-lost", q("dry_run", "true"), null, null,
            BodyKind.NONE), body("POST", "/v1/cluster/reset-lost", q(), null, null, BodyKind.NONE));
        put(m, "GET /v1/audit", new Base(new Request("GET", "/v1/audit", q("since", "2020-01-01T00:00:00Z", "actor",
            "anonymous", "limit", "10"), Map.of(), null), BodyKind.NONE), new Base(new Request("GET", "/v1/audit",
            q("action", "registry.apply", "format", "jsonl"), Map.of(), null), BodyKind.NONE));
        put(m, "GET /v1/quarantine", new Base(new Request("GET", "/v1/quarantine", q("source", "orders", "limit", "5"),
            Map.of(), null), BodyKind.NONE));
        put(m, "GET /v1/quarantine/rules", new Base(new Request("GET", "/v1/quarantine/rules", q("source", "orders"),
            Map.of(), null), BodyKind.NONE), get("/v1/quarantine/rules"));
        put(m, "GET /v1/training-sets", get("/v1/training-sets"));
        put(m, "POST /v1/training-sets",
            body("POST", "/v1/training-sets", q("name", "sweep_csv", "feature_service", "churn_model_v1",
                "timestamp_column", "event_ts", "replace", "true", "file", "csv"), "text/csv", spine, BodyKind.CSV),
            body("POST", "/v1/training-sets", q(), "application/json", "{\"name\":\"sweep_tab\",\"features\":"
                + "[\"customer_orders:last_amount\"],\"spine_table\":\"TRAINING.SWEEP_BASE\",\"replace\":true}", BodyKind.JSON));
        put(m, "GET /v1/training-sets/{id}", get("/v1/training-sets/" + trainingJob));
        put(m, "GET /v1/catalog/search", new Base(new Request("GET", "/v1/catalog/search", q("q", "order value", "kind",
            "feature", "owner", "growth-team", "tag", "domain", "entity", "customer", "deprecated", "false", "limit", "5",
            "offset", "0"), Map.of(), null), BodyKind.NONE), get("/v1/catalog/search"));
        put(m, "GET /v1/catalog/suggest", new Base(new Request("GET", "/v1/catalog/suggest", q("q", "ord", "kind", "view",
            "limit", "5"), Map.of(), null), BodyKind.NONE));
        put(m, "GET /v1/catalog/{kind}/{name}", get("/v1/catalog/source/orders"),
            get("/v1/catalog/feature/customer_orders:spend_7d"), get("/v1/catalog/column/orders.amount"));
        put(m, "GET /v1/lineage/{kind}/{name}", new Base(new Request("GET", "/v1/lineage/source/orders",
            q("direction", "downstream", "depth", "2"), Map.of(), null), BodyKind.NONE),
            get("/v1/lineage/feature/customer_orders:spend_7d"));
        put(m, "POST /v1/backfills", body("POST", "/v1/backfills", q(), "application/json",
            "{\"source\":\"orders\",\"files\":[{\"name\":\"dir/orders.csv\",\"hash\":\"file:abc\",\"rows\":2}]}",
            BodyKind.JSON));
        put(m, "GET /v1/backfills/{id}", get("/v1/backfills/" + backfillRun));
        put(m, "POST /v1/backfills/{id}/end", body("POST", "/v1/backfills/" + backfillToEnd + "/end", q(),
            "application/json", "{\"status\":\"COMPLETE\",\"files\":[{\"name\":\"orders.csv\",\"hash\":\"h\","
                + "\"rows\":2}],\"stored\":1,\"already_stored\":0,\"rejected\":1,\"error\":null}", BodyKind.JSON));
        put(m, "GET /v1/quality/results", new Base(new Request("GET", "/v1/quality/results", q("source", "orders",
            "column", "amount", "expect", "not_null", "success", "true", "from", "2020-01-01T00:00:00Z", "to",
            Long.toString(now + 60_000)), Map.of(), null), BodyKind.NONE));
        put(m, "GET /v1/quality/references", get("/v1/quality/references"));
        put(m, "GET /v1/quality/profiles", new Base(new Request("GET", "/v1/quality/profiles", q("source", "orders",
            "from", "2020-01-01T00:00:00Z", "to", Long.toString(now + 60_000)), Map.of(), null), BodyKind.NONE));
        put(m, "POST /v1/quality/references", body("POST", "/v1/quality/references", q(), "application/json",
            "{\"name\":\"sweep_ref2\",\"source\":\"orders\",\"column\":\"amount\",\"from\":\"2020-01-01T00:00:00Z\","
                + "\"to\":" + (now + 60_000) + "}", BodyKind.JSON));
        put(m, "GET /v1/quality/references/{name}", get("/v1/quality/references/sweep_ref"));
        put(m, "GET /v1/training-sets/{id}/data", new Base(new Request("GET", "/v1/training-sets/" + trainingJob + "/data",
            q("format", "csv"), Map.of(), null), BodyKind.NONE));
        String outcomes = "[{\"request_id\":\"" + LOGGED + "\",\"label\":\"churned\",\"value\":1,\"outcome_ts\":\""
            + Timestamps.format(now) + "\"},{\"request_id\":\"sweep-unknown\",\"label\":\"spend\",\"value\":2.5,"
            + "\"outcome_ts\":" + now + "}]";
        put(m, "POST /v1/outcomes", body("POST", "/v1/outcomes", q(), "application/json", outcomes, BodyKind.JSON));
        put(m, "GET /v1/feature-log", new Base(new Request("GET", "/v1/feature-log", q("service", "churn_model_v1", "from",
            "2020-01-01T00:00:00Z", "to", Long.toString(now + 60_000), "format", "csv"), Map.of(), null), BodyKind.NONE));
        put(m, "POST /v1/feature-log/skew", body("POST", "/v1/feature-log/skew", q(), "application/json",
            "{\"service\":\"churn_model_v1\",\"from\":\"2020-01-01T00:00:00Z\",\"to\":" + (now + 60_000)
                + ",\"sample\":10}", BodyKind.JSON));
        put(m, "POST /v1/feature-log/training-sets", body("POST", "/v1/feature-log/training-sets", q(), "application/json",
            "{\"service\":\"churn_model_v1\",\"label\":\"churned\",\"from\":\"2020-01-01T00:00:00Z\",\"to\":"
                + (now + 60_000) + ",\"format\":\"parquet\"}", BodyKind.JSON));
        put(m, "GET /v1/feature-log/training-sets/{id}", get("/v1/feature-log/training-sets/" + logJob));
        put(m, "GET /v1/feature-log/training-sets/{id}/data", get("/v1/feature-log/training-sets/" + logJob + "/data"));
        put(m, "GET /v1/feature-log/{request_id}", get("/v1/feature-log/" + LOGGED));
        put(m, "GET /v1/feature-log/{request_id}/reproduce", new Base(new Request("GET", "/v1/feature-log/" + LOGGED
            + "/reproduce", q("registry_version", "1"), Map.of(), null), BodyKind.NONE));
        return m;
    }

    private static void put(Map<String, List<Base>> m, String key, Base... b) {
        m.put(key, List.of(b));
    }

    private static Base get(String path) {
        return new Base(new Request("GET", path, q(), Map.of(), null), BodyKind.NONE);
    }

    private static Base body(String method, String path, Map<String, List<String>> q, String type, String body,
                             BodyKind kind) {
        return new Base(new Request(method, path, q, type == null ? Map.of() : Map.of("Content-Type", type),
            body == null ? null : body.getBytes(StandardCharsets.UTF_8)), kind);
    }

    private static Map<String, List<String>> q(String... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], List.of(kv[i + 1]));
        }
        return m;
    }

    // ---- mutations

    /** Texts for parameters, path segments, headers and cells. */
    private static final String[] TEXTS = {"", " ", "-1", "0", "1", "-5", "2147483648", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "NaN", "Infinity", "-Infinity",
        "1e400", "-1e400", "1.5", "abc", "true", "null", "253402300800000", "10000-01-01T00:00:00Z",
        "+10000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2026-02-30T00:00:00Z", "ü∂ßΩ😀", "\u0000\u0001",
        "%", "../..", "a/b", "C1000", "orders", "customer_orders:last_amount", "x".repeat(5000),
        "日本語のテキスト".repeat(50), "'; DROP TABLE x; --", "\"quoted\"", "a,b", "line\nbreak"};

    private static final Supplier<JsonNode>[] VALUES = values();

    @SuppressWarnings("unchecked")
    private static Supplier<JsonNode>[] values() {
        List<Supplier<JsonNode>> v = new ArrayList<>();
        v.add(F::nullNode);
        v.add(() -> F.booleanNode(true));
        v.add(() -> F.booleanNode(false));
        v.add(() -> F.numberNode(0));
        v.add(() -> F.numberNode(-1));
        v.add(() -> F.numberNode(Long.MAX_VALUE));
        v.add(() -> F.numberNode(Long.MIN_VALUE));
        v.add(() -> F.numberNode(new java.math.BigInteger("9223372036854775808")));
        v.add(() -> F.numberNode(new java.math.BigInteger("-99999999999999999999999999999")));
        v.add(() -> F.numberNode(1.5));
        v.add(() -> F.numberNode(new java.math.BigDecimal("1e400")));
        v.add(() -> F.numberNode(new java.math.BigDecimal("-1e400")));
        v.add(() -> F.numberNode(new java.math.BigDecimal("1e-400")));
        v.add(() -> F.numberNode(Double.MIN_VALUE));
        v.add(() -> F.numberNode(253_402_300_800_000L));
        v.add(() -> F.numberNode(-5L));
        v.add(() -> F.arrayNode());
        v.add(() -> F.objectNode());
        v.add(() -> F.arrayNode().add(1).add("a").add(F.nullNode()));
        v.add(() -> F.objectNode().put("a", 1));
        for (String t : TEXTS) {
            v.add(() -> F.textNode(t));
        }
        return v.toArray(new Supplier[0]);
    }

    private static Request mutate(Base base, List<String> params, SplittableRandom rnd) throws IOException {
        Request r = base.request();
        int what = rnd.nextInt(10);
        if (what < 4 && base.kind() != BodyKind.NONE) {
            return r.with(r.path(), r.query(), r.headers(), mutateBody(base, rnd));
        }
        if (what < 7) {
            List<String> names = new ArrayList<>(params);
            r.query().keySet().forEach(k -> names.add("query:" + k));
            names.add("query:unknown_param");
            String pick = names.get(rnd.nextInt(names.size()));
            String name = pick.substring(pick.indexOf(':') + 1);
            String value = TEXTS[rnd.nextInt(TEXTS.length)];
            if (pick.startsWith("path:")) { // an empty segment would address another route
                value = value.isEmpty() ? "missing" : value;
                return r.with(replaceSegment(r.path(), base.request().path(), value), r.query(), r.headers(), r.body());
            }
            Map<String, List<String>> q = new LinkedHashMap<>(r.query());
            q.put(name, rnd.nextInt(8) == 0 ? List.of(value, "other") : List.of(value));
            return r.with(r.path(), q, r.headers(), r.body());
        }
        if (what < 9) {
            Map<String, String> hd = new LinkedHashMap<>(r.headers());
            switch (rnd.nextInt(5)) {
                case 0 -> hd.remove("Content-Type");
                case 1 -> hd.put("Content-Type", new String[] {"text/plain", "application/json; charset=latin1",
                    "application/x-ndjson", "text/csv", "application/yaml", "multipart/form-data; boundary=x", "*/*",
                    "application/json;;;"}[rnd.nextInt(8)]);
                case 2 -> hd.put("Idempotency-Key", TEXTS[rnd.nextInt(TEXTS.length)].replaceAll("[^\\x20-\\x7e]", "?"));
                case 3 -> hd.put("X-Request-Id", "x".repeat(rnd.nextInt(1, 4000)));
                default -> hd.put("Accept", "application/xml");
            }
            return r.with(r.path(), r.query(), hd, r.body());
        }
        byte[][] bodies = {new byte[0], "{".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8),
            "null".getBytes(StandardCharsets.UTF_8), "{} {}".getBytes(StandardCharsets.UTF_8), randomBytes(rnd),
            deep(rnd.nextInt(500, 3000)).getBytes(StandardCharsets.UTF_8)};
        return r.with(r.path(), r.query(), r.headers(), bodies[rnd.nextInt(bodies.length)]);
    }

    /** Replaces the path segment(s) that stand for parameters: whichever differs from the route's fixed words. */
    private static String replaceSegment(String path, String original, String value) {
        String[] seg = original.split("/");
        for (int i = seg.length - 1; i > 0; i--) {
            if (seg[i].equals("orders") || seg[i].equals("1") || seg[i].equals(trainingJob) || seg[i].equals(LOGGED)
                || seg[i].equals(logJob) || seg[i].equals(backfillRun) || seg[i].equals(backfillToEnd)) {
                seg[i] = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
                return String.join("/", seg);
            }
        }
        return path;
    }

    private static byte[] mutateBody(Base base, SplittableRandom rnd) throws IOException {
        String text = new String(base.request().body(), StandardCharsets.UTF_8);
        switch (base.kind()) {
            case JSON -> {
                return mutateJson(JSON.readTree(text), rnd).getBytes(StandardCharsets.UTF_8);
            }
            case NDJSON -> {
                StringBuilder sb = new StringBuilder();
                for (String line : text.split("\n")) {
                    sb.append(mutateJson(JSON.readTree(line), rnd)).append('\n');
                }
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            case CSV -> {
                String[] lines = text.split("\n");
                int line = rnd.nextInt(lines.length);
                List<String> cells = new ArrayList<>(List.of(lines[line].split(",", -1)));
                int c = rnd.nextInt(cells.size() + 1);
                String v = TEXTS[rnd.nextInt(TEXTS.length)];
                String cell = rnd.nextBoolean() ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
                switch (rnd.nextInt(4)) {
                    case 0 -> cells.add(c, cell);
                    case 1 -> {
                        if (c < cells.size()) {
                            cells.remove(c);
                        }
                    }
                    case 2 -> cells.set(Math.min(c, cells.size() - 1), "\"unclosed");
                    default -> cells.set(Math.min(c, cells.size() - 1), cell);
                }
                lines[line] = String.join(",", cells);
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
            default -> { // YAML: replace a scalar after some key with an odd value, or cut the text
                if (rnd.nextInt(4) == 0) {
                    return text.substring(0, rnd.nextInt(text.length())).getBytes(StandardCharsets.UTF_8);
                }
                String[] lines = text.split("\n");
                int i = rnd.nextInt(lines.length);
                int colon = lines[i].indexOf(": ");
                if (colon > 0) {
                    lines[i] = lines[i].substring(0, colon + 2) + new String[] {"[1, [2, {a: b}]]", "{}", "~", "1e400",
                        "99999999999999999999999", "-1", "\"ü😀\"", "&a [*a]", "!!binary AAAA", "'" + "y".repeat(3000) + "'",
                        "0.0000001d", "P30D", "true"}[rnd.nextInt(13)];
                }
                return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** The JSON with one node replaced, removed, duplicated or joined by an unknown key. */
    private static String mutateJson(JsonNode root, SplittableRandom rnd) throws IOException {
        List<JsonNode[]> slots = new ArrayList<>(); // {parent, key-or-index as text node}
        collect(root, slots);
        if (slots.isEmpty()) {
            return VALUES[rnd.nextInt(VALUES.length)].get().toString();
        }
        JsonNode[] slot = slots.get(rnd.nextInt(slots.size()));
        JsonNode parent = slot[0];
        String key = slot[1].asText();
        int op = rnd.nextInt(10);
        if (parent instanceof ObjectNode o) {
            if (op == 0) {
                o.remove(key);
            } else if (op == 1) {
                o.set("unknown_" + rnd.nextInt(100), VALUES[rnd.nextInt(VALUES.length)].get());
            } else if (op == 2) { // a duplicated key: written by hand, as a JSON tree cannot hold one
                String dup = JSON.writeValueAsString(key) + ":" + VALUES[rnd.nextInt(VALUES.length)].get();
                o.put("__dup__", 0);
                return JSON.writeValueAsString(root).replace("\"__dup__\":0", dup);
            } else if (op == 3) {
                o.set(key, F.rawValueNode(new com.fasterxml.jackson.databind.util.RawValue(deep(rnd.nextInt(100, 2500)))));
            } else {
                o.set(key, VALUES[rnd.nextInt(VALUES.length)].get());
            }
        } else if (parent instanceof ArrayNode a) {
            int i = Integer.parseInt(key);
            if (op == 0) {
                a.remove(i);
            } else {
                a.set(i, VALUES[rnd.nextInt(VALUES.length)].get());
            }
        }
        return JSON.writeValueAsString(root);
    }

    private static void collect(JsonNode n, List<JsonNode[]> slots) {
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                slots.add(new JsonNode[] {n, F.textNode(k)});
                collect(n.get(k), slots);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                slots.add(new JsonNode[] {n, F.textNode(Integer.toString(i))});
                collect(n.get(i), slots);
            }
        }
    }

    private static String deep(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static byte[] randomBytes(SplittableRandom rnd) {
        byte[] b = new byte[rnd.nextInt(1, 2000)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return b;
    }
}

package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import io.hearth.security.access.RouteRule;
import io.hearth.security.access.RouteRules;
import io.hearth.security.audit.AuditEntry;
import io.hearth.security.audit.AuditQuery;
import io.hearth.security.keys.KeyFile;
import io.hearth.security.testing.TestKeys;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The bypass matrix: every operation of {@code /openapi.yaml} asked by seven callers, each cell's expected status
 * written below. Refusals are problem bodies naming what is missing; every admitted admin action, export and
 * refusal is in the audit trail.
 */
class AccessMatrixIT {
    @TempDir
    static Path dir;
    static Harness h;
    static String job;
    /** A finished training set from the feature log. */
    static String logJob;
    /** A back-fill run started before the matrix. */
    static String backfill;

    /** The callers, in the order of the table's columns. */
    enum Caller {
        NO_KEY(null),
        MALFORMED("Basic dXNlcjpwYXNzd29yZA=="),
        UNKNOWN_KEY("Bearer hs_not-a-key-of-this-gateway-00000000000000"),
        READER("Bearer " + TestKeys.READER),
        WRITER_OF_ANOTHER_SOURCE("Bearer " + TestKeys.WRITER_OF_PROFILES),
        WRITER("Bearer " + TestKeys.WRITER),
        ADMIN("Bearer " + TestKeys.ADMIN);

        final String header;

        Caller(String header) {
            this.header = header;
        }

        Map<String, String> headers() {
            return header == null ? Map.of() : Map.of("Authorization", header);
        }

        String keyId() {
            return switch (this) {
                case READER -> "trainer";
                case WRITER_OF_ANOTHER_SOURCE -> "profiles-ingest";
                case WRITER -> "ingest-all";
                case ADMIN -> "ops";
                default -> AuditEntry.UNKNOWN;
            };
        }
    }

    //                                                  no key  malformed  unknown  reader  writer(other)  writer  admin
    static final Map<String, int[]> EXPECTED = new LinkedHashMap<>();

    static {
        row("GET /health",                               200, 200, 200, 200, 200, 200, 200);
        row("GET /openapi.yaml",                         200, 200, 200, 200, 200, 200, 200);
        row("GET /metrics",                              401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/registry",                          401, 401, 401, 200, 200, 200, 200);
        row("PUT /v1/registry",                          401, 401, 401, 403, 403, 403, 200);
        row("POST /v1/registry/plan",                    401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/registry/versions",                 401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/registry/versions/{version}",       401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/ingest/{source}",                  401, 401, 401, 403, 403, 200, 200);
        row("POST /get-online-features",                 401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/features/online",                  401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/sources",                           401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/sources/{source}",                  401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/sources/{source}/breaker/reset",   401, 401, 401, 403, 403, 403, 200);
        row("GET /v1/sources/{source}/events",           401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/compaction",                       401, 401, 401, 403, 403, 403, 200);
        row("POST /v1/cluster/reset-lost",               401, 401, 401, 403, 403, 403, 200);
        row("GET /v1/audit",                             401, 401, 401, 403, 403, 403, 200);
        row("GET /v1/quarantine",                        401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/quarantine/rules",                  401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/training-sets",                     401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/training-sets",                    401, 401, 401, 202, 202, 202, 202);
        row("GET /v1/training-sets/{id}",                401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/training-sets/{id}/data",           401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/models",                            401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/models",                           401, 401, 401, 403, 403, 403, 200);
        row("POST /v1/outcomes",                         401, 401, 401, 403, 200, 200, 200);
        row("GET /v1/feature-log",                       401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/feature-log/{request_id}",          401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/feature-log/{request_id}/reproduce", 401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/feature-log/skew",                 401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/feature-log/training-sets",        401, 401, 401, 202, 202, 202, 202);
        row("GET /v1/feature-log/training-sets/{id}",    401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/feature-log/training-sets/{id}/data", 401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/catalog/search",                    401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/catalog/suggest",                   401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/catalog/{kind}/{name}",             401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/lineage/{kind}/{name}",             401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/backfills",                        401, 401, 401, 403, 201, 201, 201);
        row("GET /v1/backfills/{id}",                    401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/backfills/{id}/end",               401, 401, 401, 403, 200, 200, 200);
        row("GET /v1/quality/results",                   401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/quality/profiles",                  401, 401, 401, 200, 200, 200, 200);
        row("GET /v1/quality/references",                401, 401, 401, 200, 200, 200, 200);
        row("POST /v1/quality/references",               401, 401, 401, 403, 403, 403, 201);
        row("GET /v1/quality/references/{name}",         401, 401, 401, 200, 200, 200, 200);
    }

    private static void row(String route, int... statuses) {
        EXPECTED.put(route, statuses);
    }

    @BeforeAll
    static void start() {
        long now = System.currentTimeMillis();
        h = new Harness(dir, now, 64L << 20, s -> s.withSecurity(HearthGateway.Security.keys(
            KeyFile.parse("keys.yaml", TestKeys.file())))).start();
        Map<String, String> admin = Caller.ADMIN.headers();
        assertThat(send("PUT", "/v1/registry?file=demo.yaml", "application/yaml", Harness.DEMO_YAML, admin).status())
            .isEqualTo(200);
        assertThat(send("POST", "/v1/ingest/orders", "application/x-ndjson", "{\"customer_id\":\"C1001\",\"order_id\":\"M0\","
            + "\"amount\":5,\"channel\":\"web\",\"event_ts\":" + (now - 60_000) + "}\n", admin).status()).isEqualTo(200);
        Harness.Response r = send("POST", "/v1/training-sets?name=matrix_base&feature_service=churn_model_v1&file=csv",
            "text/csv", spine(now), admin);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        job = r.json().get("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(send("GET", "/v1/training-sets/"
            + job, null, null, admin).json().path("status").asText()));
        // A logged lookup of the demo's logging service, its outcome, and a training set from the log.
        Map<String, String> logged = new java.util.HashMap<>(admin);
        logged.put("X-Request-Id", "matrix-req");
        assertThat(send("POST", "/v1/features/online", "application/json", "{\"feature_service\":\"churn_model_v1\","
            + "\"entities\":{\"customer_id\":[\"C1001\"]}}", logged).status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/v1/feature-log/matrix-req", null, null,
            admin).status() == 200);
        assertThat(send("POST", "/v1/outcomes", "application/json", outcome(now), admin).status()).isEqualTo(200);
        Harness.Response lj = send("POST", "/v1/feature-log/training-sets", "application/json", logTrainingSet(now), admin);
        assertThat(lj.status()).as(lj.body()).isEqualTo(202);
        logJob = lj.json().get("id").asText();
        backfill = startBackfill(admin);
        Harness.Response ref = send("POST", "/v1/quality/references", "application/json", "{\"name\":\"matrix_ref\","
            + "\"source\":\"orders\",\"column\":\"amount\",\"from\":" + (now - 86_400_000L) + ",\"to\":"
            + (now + 86_400_000L) + "}", admin);
        assertThat(ref.status()).as(ref.body()).isEqualTo(201);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(send("GET",
            "/v1/feature-log/training-sets/" + logJob, null, null, admin).json().path("status").asText()));
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static String spine(long now) {
        return "customer_id,event_ts,label\nC1001," + Timestamps.format(now) + ",1\n";
    }

    private static String startBackfill(Map<String, String> headers) {
        Harness.Response b = send("POST", "/v1/backfills", "application/json",
            "{\"source\":\"orders\",\"files\":[{\"name\":\"orders_2025.csv\"}]}", headers);
        assertThat(b.status()).as(b.body()).isEqualTo(201);
        return b.json().get("run_id").asText();
    }

    private static String outcome(long now) {
        return "[{\"request_id\":\"matrix-req\",\"label\":\"churned\",\"value\":1,\"outcome_ts\":\""
            + Timestamps.format(now) + "\"}]";
    }

    private static String logTrainingSet(long now) {
        return "{\"service\":\"churn_model_v1\",\"label\":\"churned\",\"from\":" + (now - 3_600_000) + ",\"to\":"
            + (now + 3_600_000) + ",\"format\":\"csv\"}";
    }

    private static Harness.Response send(String method, String path, String type, String body, Map<String, String> headers) {
        return h.send(method, path, type, body == null ? null : HttpRequest.BodyPublishers.ofString(body), headers);
    }

    /** A valid request of each operation: what an allowed caller gets a 2xx for. */
    private static Harness.Response ask(String route, Caller c, int cell) {
        long now = h.clock.millis();
        Map<String, String> hd = c.headers();
        return switch (route) {
            case "PUT /v1/registry" -> send("PUT", "/v1/registry?file=demo.yaml", "application/yaml", Harness.DEMO_YAML, hd);
            case "POST /v1/registry/plan" -> send("POST", "/v1/registry/plan", "application/yaml", Harness.DEMO_YAML, hd);
            case "GET /v1/registry/versions/{version}" -> send("GET", "/v1/registry/versions/1", null, null, hd);
            case "POST /v1/ingest/{source}" -> send("POST", "/v1/ingest/orders", "application/x-ndjson",
                "{\"customer_id\":\"C1002\",\"order_id\":\"M" + cell + "\",\"amount\":7,\"channel\":\"app\",\"event_ts\":"
                    + (now - 1000) + "}\n", hd);
            case "POST /get-online-features", "POST /v1/features/online" -> send("POST", route.substring(5),
                "application/json", "{\"features\":[\"customer_orders:last_amount\"],\"entities\":{\"customer_id\":[\"C1001\"]}}",
                hd);
            case "GET /v1/sources/{source}" -> send("GET", "/v1/sources/orders", null, null, hd);
            case "POST /v1/sources/{source}/breaker/reset" -> send("POST", "/v1/sources/orders/breaker/reset", null, null, hd);
            case "GET /v1/sources/{source}/events" -> send("GET", "/v1/sources/orders/events?entity=C1001", null, null, hd);
            case "GET /v1/quarantine", "GET /v1/audit" -> send("GET", route.substring(4) + "?limit=5", null, null, hd);
            case "POST /v1/training-sets" -> send("POST", "/v1/training-sets?name=matrix_" + cell
                + "&feature_service=churn_model_v1&file=csv", "text/csv", spine(now), hd);
            case "GET /v1/training-sets/{id}" -> send("GET", "/v1/training-sets/" + job, null, null, hd);
            case "GET /v1/training-sets/{id}/data" -> send("GET", "/v1/training-sets/" + job + "/data", null, null, hd);
            case "POST /v1/models" -> send("POST", "/v1/models", "application/json",
                "{\"name\":\"matrix_model\",\"version\":\"" + cell + "\",\"feature_service\":\"churn_model_v1\"}", hd);
            case "POST /v1/outcomes" -> send("POST", "/v1/outcomes", "application/json", outcome(now), hd);
            case "GET /v1/feature-log" -> send("GET", "/v1/feature-log?service=churn_model_v1&format=csv", null, null, hd);
            case "GET /v1/feature-log/{request_id}" -> send("GET", "/v1/feature-log/matrix-req", null, null, hd);
            case "GET /v1/feature-log/{request_id}/reproduce" -> send("GET", "/v1/feature-log/matrix-req/reproduce", null,
                null, hd);
            case "POST /v1/feature-log/skew" -> send("POST", "/v1/feature-log/skew", "application/json",
                "{\"service\":\"churn_model_v1\",\"from\":" + (now - 3_600_000) + ",\"sample\":10}", hd);
            case "POST /v1/feature-log/training-sets" -> send("POST", "/v1/feature-log/training-sets", "application/json",
                logTrainingSet(now), hd);
            case "GET /v1/feature-log/training-sets/{id}" -> send("GET", "/v1/feature-log/training-sets/" + logJob, null,
                null, hd);
            case "GET /v1/feature-log/training-sets/{id}/data" -> send("GET", "/v1/feature-log/training-sets/" + logJob
                + "/data", null, null, hd);
            case "GET /v1/quarantine/rules" -> send("GET", "/v1/quarantine/rules?source=orders", null, null, hd);
            case "GET /v1/catalog/search" -> send("GET", "/v1/catalog/search?q=order", null, null, hd);
            case "GET /v1/catalog/suggest" -> send("GET", "/v1/catalog/suggest?q=ord", null, null, hd);
            case "GET /v1/catalog/{kind}/{name}" -> send("GET", "/v1/catalog/feature/customer_orders:last_amount", null,
                null, hd);
            case "GET /v1/lineage/{kind}/{name}" -> send("GET", "/v1/lineage/source/orders", null, null, hd);
            case "POST /v1/backfills" -> send("POST", "/v1/backfills", "application/json",
                "{\"source\":\"orders\",\"files\":[{\"name\":\"orders_" + cell + ".csv\"}]}", hd);
            case "GET /v1/backfills/{id}" -> send("GET", "/v1/backfills/" + backfill, null, null, hd);
            case "POST /v1/backfills/{id}/end" -> send("POST", "/v1/backfills/" + startBackfill(Caller.ADMIN.headers())
                + "/end", "application/json", "{\"status\":\"COMPLETE\",\"stored\":1,\"already_stored\":0,"
                + "\"rejected\":0}", hd);
            case "GET /v1/quality/results" -> send("GET", "/v1/quality/results?source=orders", null, null, hd);
            case "GET /v1/quality/profiles" -> send("GET", "/v1/quality/profiles?source=orders", null, null, hd);
            case "POST /v1/quality/references" -> send("POST", "/v1/quality/references", "application/json",
                "{\"name\":\"matrix_ref\",\"source\":\"orders\",\"column\":\"amount\",\"from\":" + (now - 86_400_000L)
                    + ",\"to\":" + (now + 86_400_000L) + "}", hd);
            case "GET /v1/quality/references/{name}" -> send("GET", "/v1/quality/references/matrix_ref", null, null, hd);
            default -> {
                String[] mp = route.split(" ", 2);
                yield send(mp[0], mp[1], null, null, hd);
            }
        };
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationAnswersEveryCallerAsTheTableSaysAndTheAuditTrailHoldsEveryAdminActionAndRefusal() {
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml()
            .load(h.get("/openapi.yaml").body())).get("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((p, ops) -> ops.keySet().forEach(m -> documented.add(m.toUpperCase() + " " + p)));
        assertThat(EXPECTED.keySet()).as("the matrix has a row for every operation of /openapi.yaml")
            .containsExactlyInAnyOrderElementsOf(documented);

        RouteRules rules = RouteRules.hearth();
        List<String> wrong = new ArrayList<>();
        List<AuditEntry> expectedActions = new ArrayList<>();
        int refusals = 0;
        int cell = 0;
        for (Map.Entry<String, int[]> row : EXPECTED.entrySet()) {
            String[] mp = row.getKey().split(" ", 2);
            RouteRule rule = rules.declared(mp[0], mp[1]).orElseThrow();
            for (Caller c : Caller.values()) {
                int want = row.getValue()[c.ordinal()];
                Harness.Response r = ask(row.getKey(), c, cell++);
                if (r.status() != want) {
                    wrong.add(row.getKey() + " as " + c + ": " + r.status() + " instead of " + want + " " + r.body());
                    continue;
                }
                String problem = problem(row.getKey(), c, r);
                if (problem != null) {
                    wrong.add(row.getKey() + " as " + c + ": " + problem);
                }
                if (want == 401 || want == 403) {
                    refusals++;
                } else if (rule.audit().isPresent()) {
                    expectedActions.add(new AuditEntry(0, c.keyId(), rule.audit().get(), mp[0], null, null, null, want, null));
                }
            }
        }
        assertThat(wrong).as("cells answered otherwise than the table says").isEmpty();

        // Every admitted admin action, build and export is in the trail, with its key, action and outcome.
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<AuditEntry> trail = h.gateway.audit().read(AuditQuery.all(10_000));
            List<String> recorded = new ArrayList<>();
            trail.stream().filter(e -> !e.action().startsWith("auth.") && !e.action().equals("access.denied"))
                .forEach(e -> recorded.add(e.actor() + " " + e.action() + " " + e.method() + " " + e.status()));
            List<String> expected = new ArrayList<>();
            expectedActions.forEach(e -> expected.add(e.actor() + " " + e.action() + " " + e.method() + " " + e.status()));
            expected.add("ops registry.apply PUT 200"); // set-up
            expected.add("ops training_set.build POST 202");
            expected.add("ops training_set.build POST 202"); // the training set from the log
            expected.add("ops quality.reference POST 201"); // the reference the GET rows read
            assertThat(recorded).containsExactlyInAnyOrderElementsOf(expected);
        });
        assertThat(expectedActions).extracting(AuditEntry::action).contains("registry.apply", "breaker.reset", "compaction",
            "partitions.reset_lost", "audit.read", "training_set.build", "training_set.export", "model.register", "feature_log.export");

        // Refusals: the first 20 from this address recorded, the rest counted by the next one recorded.
        h.clock.advance(60_000);
        assertThat(send("GET", "/v1/sources", null, null, Caller.UNKNOWN_KEY.headers()).status()).isEqualTo(401);
        int total = refusals + 1;
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<AuditEntry> denied = h.gateway.audit().read(AuditQuery.all(10_000)).stream()
                .filter(e -> e.action().equals("auth.failed") || e.action().equals("access.denied")).toList();
            long leftOut = 0;
            for (AuditEntry e : denied) {
                Matcher m = Pattern.compile("; (\\d+) earlier refusals").matcher(e.detail());
                leftOut += m.find() ? Long.parseLong(m.group(1)) : 0;
            }
            assertThat(denied.size() + leftOut).as("recorded refusals and those counted as left out").isEqualTo(total);
            assertThat(denied).allSatisfy(e -> {
                assertThat(e.from()).isEqualTo("127.0.0.1");
                assertThat(e.outcome()).isEqualTo("denied");
            });
            assertThat(denied).filteredOn(e -> e.status() == 403).extracting(AuditEntry::actor)
                .as("a known key refused is named").contains("trainer", "profiles-ingest", "ingest-all");
        });
    }

    /** What is wrong with a refusal's answer, or null. */
    private static String problem(String route, Caller c, Harness.Response r) {
        if (r.status() != 401 && r.status() != 403) {
            return null;
        }
        if (!r.contentType().startsWith("application/problem+json")) {
            return "not a problem body: " + r.contentType();
        }
        JsonNode p = r.json();
        if (r.status() == 401) {
            String rule = switch (c) {
                case NO_KEY -> "auth.missing";
                case MALFORMED -> "auth.malformed";
                default -> "auth.unknown_key";
            };
            return p.path("code").asText().equals("HEARTH-AUTH-1") && p.path("rule").asText().equals(rule)
                && r.header("WWW-Authenticate") != null && r.header("WWW-Authenticate").startsWith("Bearer") ? null
                : "401 without code HEARTH-AUTH-1, rule " + rule + " and WWW-Authenticate: " + p;
        }
        if (!p.path("code").asText().equals("HEARTH-AUTH-2")) {
            return "403 without code HEARTH-AUTH-2: " + p;
        }
        if (route.equals("POST /v1/ingest/{source}") && c == Caller.WRITER_OF_ANOTHER_SOURCE) {
            return p.path("scope").asText().equals("source:orders") ? null : "403 not naming the scope: " + p;
        }
        String needed = route.equals("POST /v1/ingest/{source}") || route.equals("POST /v1/outcomes")
            || route.startsWith("POST /v1/backfills") ? "writer" : "admin";
        return p.path("role").asText().equals(needed) && p.path("detail").asText().contains("needs role " + needed) ? null
            : "403 not naming role " + needed + ": " + p;
    }

    @Test
    void aProblemBodyNeverNamesASecret() {
        Harness.Response r = send("GET", "/v1/sources", null, null, Map.of("Authorization", "Bearer hs_my-secret-guess"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("hs_my-secret-guess");
        assertThat(Optional.ofNullable(r.header("WWW-Authenticate"))).contains("Bearer realm=\"hearth\", error=\"invalid_token\"");
    }
}

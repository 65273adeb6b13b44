package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed request gets a 4xx with an RFC 9457 problem body naming the field and the rule, never a 5xx,
 * and the server keeps serving afterwards.
 */
class MalformedRequestIT {
    static final long INGEST_LIMIT = 64 * 1024;
    static final String LOOKUP = "/v1/features/online";
    static final String FEAST = "/get-online-features";

    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(dir, System.currentTimeMillis(), INGEST_LIMIT).start();
        assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static Arguments bad(String method, String path, String contentType, String body, int status, String code,
                         String field, String rule) {
        return Arguments.of(method + " " + path + " " + (body == null ? "" : body.length() > 60 ? body.substring(0, 60) : body),
            method, path, contentType, body, status, code, field, rule);
    }

    static String lookup(String entities) {
        return "{\"features\":[\"customer_orders:last_amount\"],\"entities\":" + entities + "}";
    }

    static Stream<Arguments> cases() {
        String j = "application/json";
        String manyKeys = "{\"features\":[\"customer_orders:last_amount\"],\"entities\":{\"customer_id\":["
            + "\"x\",".repeat(10_000) + "\"x\"]}}";
        return Stream.of(
            bad("POST", LOOKUP, j, "not json", 400, "HEARTH-REQ-1", null, "json.syntax"),
            bad("POST", FEAST, j, "{\"features\":", 400, "HEARTH-REQ-1", null, "json.syntax"),
            bad("POST", LOOKUP, "text/plain", lookup("{\"customer_id\":[\"C1\"]}"), 415, "HEARTH-REQ-3", "Content-Type", "media_type"),
            bad("POST", FEAST, null, lookup("{\"customer_id\":[\"C1\"]}"), 415, "HEARTH-REQ-3", "Content-Type", "media_type"),
            bad("POST", LOOKUP, j, "", 400, "HEARTH-REQ-2", "$", "required"),
            bad("POST", LOOKUP, j, "[]", 400, "HEARTH-REQ-2", "$", "type.object"),
            bad("POST", LOOKUP, j, "{\"featurez\":[],\"entities\":{}}", 400, "HEARTH-REQ-2", "featurez", "key.unknown"),
            bad("POST", LOOKUP, j, "{\"entities\":{\"customer_id\":[\"C1\"]}}", 400, "HEARTH-REQ-2", "features", "required"),
            bad("POST", LOOKUP, j, "{\"features\":[\"nocolon\"],\"entities\":{\"customer_id\":[\"C1\"]}}", 400,
                "HEARTH-REQ-2", "features[0]", "feature_ref.syntax"),
            bad("POST", LOOKUP, j, "{\"features\":[42],\"entities\":{\"customer_id\":[\"C1\"]}}", 400,
                "HEARTH-REQ-2", "features[0]", "feature_ref.syntax"),
            bad("POST", LOOKUP, j, "{\"features\":[\"nope:x\"],\"entities\":{\"customer_id\":[\"C1\"]}}", 400,
                "HEARTH-REQ-2", "features[0]", "ref.feature_view"),
            bad("POST", FEAST, j, "{\"features\":[\"customer_orders:last_amount\",\"customer_orders:nope\"],"
                + "\"entities\":{\"customer_id\":[\"C1\"]}}", 400, "HEARTH-REQ-2", "features[1]", "ref.feature"),
            bad("POST", LOOKUP, j, "{\"features\":[\"customer_orders:last_amount\",\"customer_orders:last_amount\"],"
                + "\"entities\":{\"customer_id\":[\"C1\"]}}", 400, "HEARTH-REQ-2", "features[1]", "duplicate"),
            bad("POST", LOOKUP, j, "{\"features\":[\"customer_orders:last_amount\"]}", 400, "HEARTH-REQ-2", "entities", "required"),
            bad("POST", LOOKUP, j, lookup("{\"customer_id\":\"C1\"}"), 400, "HEARTH-REQ-2", "entities.customer_id", "type.list"),
            bad("POST", LOOKUP, j, lookup("{\"customer_id\":[]}"), 400, "HEARTH-REQ-2", "entities.customer_id", "type.list"),
            bad("POST", LOOKUP, j, lookup("{\"customer_id\":[\"C1\"],\"driver_id\":[1]}"), 400, "HEARTH-REQ-2",
                "entities.driver_id", "ref.join_key"),
            bad("POST", LOOKUP, j, lookup("{\"customer_id\":[{\"a\":1}]}"), 400, "HEARTH-REQ-2", "entities.customer_id[0]",
                "schema.type"),
            bad("POST", LOOKUP, j, manyKeys, 400, "HEARTH-REQ-2", "entities.customer_id", "max_entities"),
            bad("POST", LOOKUP, j, "{\"features\":[\"customer_orders:last_amount\"],\"entities\":{\"customer_id\":[\"C1\"]},"
                + "\"as_of\":\"yesterday\"}", 400, "HEARTH-REQ-2", "as_of", "type.timestamp"),
            bad("POST", LOOKUP, j, "{\"features\":[\"customer_orders:last_amount\"],\"entities\":{\"customer_id\":[\"C1\"]},"
                + "\"full_feature_names\":\"yes\"}", 400, "HEARTH-REQ-2", "full_feature_names", "type.bool"),
            bad("POST", LOOKUP, j, "{\"feature_service\":\"nope\",\"entities\":{\"customer_id\":[\"C1\"]}}", 400,
                "HEARTH-REQ-2", "feature_service", "ref.feature_service"),
            bad("POST", LOOKUP, j, "{\"feature_service\":\"churn_model_v1\",\"features\":[\"customer_orders:last_amount\"],"
                + "\"entities\":{\"customer_id\":[\"C1\"]}}", 400, "HEARTH-REQ-2", "feature_service", "exclusive"),
            bad("POST", LOOKUP, j, "{\"features\":[\"customer_orders:last_amount\"],\"entities\":{\"customer_id\":[\"C1\"]},"
                + "\"pad\":\"" + "x".repeat(1_100_000) + "\"}", 413, "HEARTH-REQ-4", null, "body.size"),
            bad("GET", "/nope", null, null, 404, "HEARTH-REQ-5", null, "route"),
            bad("DELETE", "/v1/registry", null, null, 405, "HEARTH-REQ-6", null, "method"),
            bad("POST", "/v1/ingest/nope", j, "[]", 404, "HEARTH-REQ-5", "source", "ref.source"),
            bad("POST", "/v1/ingest/orders", "text/plain", "a,b\n1,2\n", 415, "HEARTH-REQ-3", "Content-Type", "media_type"),
            bad("POST", "/v1/ingest/orders", "text/csv", "a,a\n1,2\n", 400, "HEARTH-REQ-2", "header", "csv.header"),
            bad("POST", "/v1/ingest/orders?idempotency_key=", j, "[]", 400, "HEARTH-REQ-2", "idempotency_key", "length"),
            bad("POST", "/v1/ingest/orders?idempotency_key=k&first_index=-3", j, "[]", 400, "HEARTH-REQ-2", "first_index",
                "type.non_negative"),
            bad("POST", "/v1/ingest/orders?first_index=3", j, "[]", 400, "HEARTH-REQ-2", "first_index", "requires"),
            bad("GET", "/v1/sources/nope", null, null, 404, "HEARTH-REQ-5", "source", "ref.source"),
            bad("POST", "/v1/features/online", j, "{\"features\":[\"customer_orders:last_amount\"],\"entities\":"
                + "{\"customer_id\":[\"C1\"]},\"format\":\"arrow\"}", 400, "HEARTH-REQ-2", "format", "enum"),
            bad("POST", "/v1/sources/nope/breaker/reset", null, null, 404, "HEARTH-REQ-5", "source", "ref.source"),
            bad("POST", "/v1/ingest/orders", null, "{}", 415, "HEARTH-REQ-3", "Content-Type", "media_type"),
            bad("POST", "/v1/ingest/orders", j, "[{\"customer_id\":\"C9\"", 400, "HEARTH-REQ-1", null, "json.syntax"),
            bad("POST", "/v1/ingest/orders", "application/x-ndjson", "{\"x\":\"" + "y".repeat((int) INGEST_LIMIT) + "\"}\n",
                413, "HEARTH-REQ-4", "body", "body.size"),
            bad("PUT", "/v1/registry", "text/plain", "project: x", 415, "HEARTH-REQ-3", "Content-Type", "media_type"),
            bad("PUT", "/v1/registry", "application/yaml", "", 400, "HEARTH-REQ-2", "$", "required"),
            bad("PUT", "/v1/registry", "application/yaml", "project: [", 422, "HEARTH-DEF-1", "$", "yaml.syntax"),
            bad("POST", "/v1/registry/plan", "application/json", "{\"entities\":[{\"name\":\"a\",\"join_keys\":[\"id\"],"
                + "\"colour\":1}]}", 422, "HEARTH-DEF-1", "entities[0].colour", "key.unknown"),
            bad("GET", "/v1/registry/versions/abc", null, null, 400, "HEARTH-REQ-2", "version", "type.integer"),
            bad("GET", "/v1/registry/versions/99", null, null, 404, "HEARTH-REQ-5", "version", "ref.version"),
            bad("GET", "/v1/sources/orders/events", null, null, 400, "HEARTH-REQ-2", "customer_id", "required"),
            bad("GET", "/v1/sources/orders/events?entity=C1&from=yesterday", null, null, 400, "HEARTH-REQ-2", "from",
                "type.timestamp"),
            bad("GET", "/v1/sources/nope/events?entity=C1", null, null, 404, "HEARTH-REQ-5", "source", "ref.source"),
            bad("GET", "/v1/quarantine?limit=0", null, null, 400, "HEARTH-REQ-2", "limit", "range"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void malformedRequestsGetAProblemNamingFieldAndRule(String name, String method, String path, String contentType,
                                                       String body, int status, String code, String field, String rule) {
        Harness.Response r = h.send(method, path, contentType, body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("code").asText()).as(r.body()).isEqualTo(code);
        assertThat(p.get("type").asText()).isEqualTo("urn:hearth:error:" + code);
        assertThat(p.get("detail").asText()).isNotBlank();
        assertThat(p.path("field").isMissingNode() ? null : p.get("field").asText()).as(r.body()).isEqualTo(field);
        assertThat(p.path("rule").isMissingNode() ? null : p.get("rule").asText()).as(r.body()).isEqualTo(rule);
    }

    @AfterEach
    void serverKeepsServing() {
        assertThat(h.get("/health").status()).isEqualTo(200);
        assertThat(h.postJson(LOOKUP, lookup("{\"customer_id\":[\"C1\"]}")).status()).isEqualTo(200);
    }

    @Test
    void definitionErrorsListEveryProblemWithFileAndLine() {
        String yaml = Harness.DEMO_YAML.replace("ttl: 30d", "ttl: 30 days").replace("column: tier", "column: teir");
        Harness.Response r = h.applyYaml(yaml);
        assertThat(r.status()).isEqualTo(422);
        JsonNode errors = r.json().get("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("file").asText()).isEqualTo("test.yaml");
        assertThat(errors.get(0).get("rule").asText()).isEqualTo("duration.syntax");
        assertThat(errors.get(0).get("line").asInt()).isEqualTo(lineOf(yaml, "ttl: 30 days"));
        assertThat(errors.get(1).get("rule").asText()).isEqualTo("ref.column");
        assertThat(errors.get(1).get("line").asInt()).isEqualTo(lineOf(yaml, "- name: tier"));
    }

    static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle);
    }

    @Test
    void aChunkedIngestBodyOverTheLimitIsRefusedMidStreamAndSaysWhatWasAccepted() {
        byte[] row = "{\"customer_id\":\"C77\",\"order_id\":\"big\",\"amount\":1,\"channel\":\"web\",\"event_ts\":1}\n"
            .getBytes(StandardCharsets.UTF_8);
        int repeats = (int) (2 * INGEST_LIMIT / row.length);
        // A publisher without a known length: sent chunked, so only counting reveals the size.
        HttpRequest.BodyPublisher chunked = new HttpRequest.BodyPublisher() {
            final HttpRequest.BodyPublisher inner = HttpRequest.BodyPublishers.fromPublisher(subscriber -> {
                subscriber.onSubscribe(new Flow.Subscription() {
                    int sent;
                    boolean done;

                    public void request(long n) {
                        for (long i = 0; i < n && !done; i++) {
                            if (sent++ < repeats) {
                                subscriber.onNext(ByteBuffer.wrap(row));
                            } else {
                                done = true;
                                subscriber.onComplete();
                            }
                        }
                    }

                    public void cancel() {
                        done = true;
                    }
                });
            });

            public long contentLength() {
                return -1;
            }

            public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
                inner.subscribe(s);
            }
        };
        Harness.Response r;
        try {
            r = h.send("POST", "/v1/ingest/orders", "application/x-ndjson", chunked);
        } catch (java.io.UncheckedIOException e) {
            // The server closes the connection once it has answered; the client may see that before the answer.
            assertThat(e.getCause()).isNotInstanceOf(java.net.http.HttpTimeoutException.class);
            return;
        }
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("rule").asText()).isEqualTo("body.size");
        assertThat(r.json().has("accepted_before_error")).isTrue();
    }
}

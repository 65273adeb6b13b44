package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema evolution without downtime, on a real node and two gateways (the second a thick client): a nullable column
 * added while records stream in over HTTP is accepted from the moment the apply answers, on the gateway that applied it
 * and on the other, by a stream opened before the apply too; no record is quarantined as schema.unknown_field; events
 * stored before read null for the new column online and as of their time. Breaking changes need force.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemaEvolutionIT {
    static final long NOW = Timestamps.parse("2026-03-01T12:00:00Z");
    static final String V1 = """
        entities:
          - {name: user, join_keys: [user_id]}
        sources:
          - name: clicks
            entity: user
            timestamp_field: ts
            schema: {user_id: string, ts: timestamp, n: int}
            contract:
              n: {min: 0}
        feature_views:
          - name: activity
            entity: user
            source: clicks
            features:
              - {name: last_n, column: n}
        """;
    /** A nullable column, a feature over it, n widened int -> long and its contract loosened: all safe. */
    static final String V2 = V1.replace("n: int}", "n: long, page: string}").replace("n: {min: 0}", "n: {min: -1}")
        .replace("- {name: last_n, column: n}", "- {name: last_n, column: n}\n      - {name: last_page, column: page}");
    /** Records sent before the apply, and after it, in the stream opened before it. */
    static final int BEFORE = 20_000;
    static final int AFTER = 5_000;

    @TempDir
    static Path dir;
    static Harness h;
    static Harness.Peer peer;
    static HearthGateway second;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        h = new Harness(dir, NOW, 1L << 30).start();
        Harness.Response r = h.applyYaml(V1);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        peer = h.peer();
        second = peer.gateway();
    }

    @AfterAll
    static void stop() {
        if (peer != null) {
            peer.close();
        }
        h.close();
    }

    static String old(String user, long ts, long n) {
        return "{\"user_id\":\"" + user + "\",\"ts\":" + ts + ",\"n\":" + n + "}\n";
    }

    static String withPage(String user, long ts, long n, String page) {
        return "{\"user_id\":\"" + user + "\",\"ts\":" + ts + ",\"n\":" + n + ",\"page\":\"" + page + "\"}\n";
    }

    static HttpResponse<String> ndjsonTo(HearthGateway gw, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + "/v1/ingest/clicks"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String body) {
        try {
            return Harness.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(body, e);
        }
    }

    @Test
    @Order(1)
    void aColumnAddedMidStreamIsAcceptedEverywhereOnceTheApplyAnswersAndNoRecordIsQuarantinedForIt() throws Exception {
        PipedOutputStream pipe = new PipedOutputStream();
        PipedInputStream body = new PipedInputStream(pipe, 1 << 16);
        CompletableFuture<HttpResponse<String>> stream = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(
                h.url("/v1/ingest/clicks"))).header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).timeout(Duration.ofSeconds(120)).build(),
            HttpResponse.BodyHandlers.ofString());
        CountDownLatch applied = new CountDownLatch(1);
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try (OutputStream out = pipe) {
                for (int i = 0; i < BEFORE; i++) {
                    out.write(old("u" + (i % 50), NOW - 3_600_000 + i, i).getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                if (!applied.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the apply never answered");
                }
                // after the apply answered: the new column (users u0..u9), mixed with records without it
                for (int i = 0; i < AFTER; i++) {
                    String user = "u" + (i % 10);
                    out.write((i % 2 == 0 ? withPage(user, NOW - 60_000 + i, i, "p" + i) : old(user, NOW - 60_000 + i, i))
                        .getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });

        // The stream's first batch is durable: the request began, and its batch opened, before the apply.
        await().atMost(Duration.ofSeconds(60)).until(() -> h.gateway.ingest().pipeline().totals("clicks")[0] >= 16_384);
        HttpResponse<String> warm = ndjsonTo(second, old("u11", NOW - 3_000_000, 1)); // connected, the old schema read
        assertThat(json(warm.body()).get("accepted").asLong()).as(warm.body()).isEqualTo(1);
        Harness.Response r = h.applyYaml(V2);
        long answeredAt = System.nanoTime();
        applied.countDown();
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/plan/changes/0/safe").asBoolean()).as(r.body()).isTrue();

        // The other gateway accepts the new column at its first request after the apply answered.
        HttpResponse<String> other = ndjsonTo(second, withPage("u10", NOW - 30_000, 7, "other"));
        long propagationMicros = (System.nanoTime() - answeredAt) / 1_000;
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(json(other.body()).get("rejected").asLong()).as(other.body()).isZero();
        System.out.printf("SchemaEvolutionIT: apply answered -> a record with the new column accepted by the other "
            + "gateway in %d us%n", propagationMicros);
        assertThat(propagationMicros).isLessThan(1_000_000);

        sender.get(60, TimeUnit.SECONDS);
        HttpResponse<String> done = stream.get(120, TimeUnit.SECONDS);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        JsonNode summary = json(done.body());
        assertThat(summary.get("rejected").asLong()).as(done.body()).isZero();
        assertThat(summary.get("accepted").asLong()).isEqualTo(BEFORE + AFTER);

        Harness.Response q = h.get("/v1/quarantine?source=clicks&rule=schema.unknown_field");
        assertThat(q.status()).as(q.body()).isEqualTo(200);
        assertThat(q.json().get("records")).as(q.body()).isEmpty();
    }

    /** The values of one feature in a lookup answer, and their statuses, in entity order. */
    static List<String> feature(JsonNode answer, String name) {
        JsonNode names = answer.get("metadata").get("feature_names");
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).asText().endsWith(name)) {
                JsonNode res = answer.get("results").get(i);
                List<String> out = new java.util.ArrayList<>();
                for (int e = 0; e < res.get("values").size(); e++) {
                    out.add(res.get("statuses").get(e).asText() + " " + res.get("values").get(e));
                }
                return out;
            }
        }
        throw new AssertionError("no feature " + name + " in " + answer);
    }

    @Test
    @Order(2)
    void eventsStoredBeforeTheApplyReadNullForTheNewColumnOnlineAndAsOf() {
        String request = "{\"features\":[\"activity:last_n\",\"activity:last_page\"],"
            + "\"entities\":{\"user_id\":[\"u0\",\"u49\",\"u10\"]}%s}";
        Harness.Response now = h.postJson("/v1/features/online", request.formatted(""));
        assertThat(now.status()).as(now.body()).isEqualTo(200);
        // u0: its latest event came after the apply with a page; u49: only before it; u10: the other gateway's record
        assertThat(feature(now.json(), "last_page")).as(now.body())
            .containsExactly("PRESENT \"p4990\"", "NULL_VALUE null", "PRESENT \"other\"");
        assertThat(feature(now.json(), "last_n")).as("stored as int, read as long").element(1)
            .isEqualTo("PRESENT " + (BEFORE - 1));
        String asOf = ",\"as_of\":\"" + Timestamps.format(NOW - 3_600_000 + 100) + "\"";
        Harness.Response before = h.postJson("/v1/features/online", request.formatted(asOf));
        assertThat(before.status()).as(before.body()).isEqualTo(200);
        assertThat(feature(before.json(), "last_page")).as(before.body()).element(0).isEqualTo("NULL_VALUE null");
        assertThat(feature(before.json(), "last_n")).as(before.body()).element(0).isEqualTo("PRESENT 100");
    }

    @Test
    @Order(3)
    void aBreakingChangeToTheSchemaIsRefusedWithoutForceAndNamesEachChange() {
        String dropped = V2.replace("n: long, page: string}", "n: long}")
            .replace("\n      - {name: last_page, column: page}", "").replace("n: {min: -1}", "n: {min: 5}");
        Harness.Response plan = h.send("POST", "/v1/registry/plan", "application/yaml", dropped);
        assertThat(plan.status()).as(plan.body()).isEqualTo(200);
        JsonNode source = plan.json().get("changes").get(0);
        assertThat(source.get("needs_force").asBoolean()).as(plan.body()).isTrue();
        assertThat(source.get("breaking_reasons").toString()).contains("column page removed")
            .contains("column n: contract.min -1 -> 5 tightens it");

        Harness.Response refused = h.applyYaml(dropped);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("rule").asText()).isEqualTo("plan.breaking_schema");
        assertThat(refused.json().get("breaking")).hasSize(2);
        assertThat(refused.json().get("detail").asText()).contains("column page removed").contains("--force");

        Harness.Response forced = h.send("PUT", "/v1/registry?force=true", "application/yaml", dropped);
        assertThat(forced.status()).as(forced.body()).isEqualTo(200);
    }
}

package io.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail of a gateway without keys: who is anonymous, the rest is recorded, read back, and kept. */
class AuditTrailIT {
    @TempDir
    Path dir;

    @Test
    void adminActionsWithoutKeysAreRecordedAsAnonymousFilteredAsAskedAndSurviveARestart() {
        try (Harness h = new Harness(dir, System.currentTimeMillis(), 1L << 20).start()) {
            assertThat(h.applyYaml(Harness.DEMO_YAML).status()).isEqualTo(200);
            assertThat(h.postJson("/v1/compaction", null).status()).isEqualTo(200);
            assertThat(h.send("POST", "/v1/sources/orders/breaker/reset", null, (String) null).status()).isEqualTo(200);
            assertThat(h.send("POST", "/v1/sources/nope/breaker/reset", null, (String) null).status()).isEqualTo(404);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> h.gateway.audit().read(
                io.hearth.security.audit.AuditQuery.all(100)).size() >= 4);

            JsonNode all = h.get("/v1/audit").json();
            assertThat(all.get("entries")).extracting(e -> e.get("action").asText() + " " + e.get("status").asInt() + " "
                + e.get("outcome").asText()).containsExactlyInAnyOrder("registry.apply 200 ok", "compaction 200 ok",
                "breaker.reset 200 ok", "breaker.reset 404 failed");
            assertThat(all.get("entries")).allSatisfy(e -> {
                assertThat(e.get("actor").asText()).isEqualTo("anonymous");
                assertThat(e.get("from").asText()).isEqualTo("127.0.0.1");
                assertThat(e.get("gateway").asText()).isNotEmpty();
                assertThat(e.get("at").asText()).endsWith("Z");
            });

            Harness.Response lines = h.get("/v1/audit?action=breaker.reset&format=jsonl");
            assertThat(lines.contentType()).isEqualTo("application/x-ndjson");
            List<String> l = lines.body().lines().toList();
            assertThat(l).hasSize(2).allSatisfy(s -> assertThat(s).startsWith("{").contains("\"action\":\"breaker.reset\""));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> h.get("/v1/audit?action=audit.read").json()
                .get("count").asInt() >= 2);
            assertThat(h.get("/v1/audit?actor=anonymous&action=audit.read&limit=1").json().get("count").asInt())
                .as("the newest one only").isEqualTo(1);
            assertThat(h.get("/v1/audit?since=2999-01-01T00:00:00Z").json().get("count").asInt()).isZero();
            assertThat(h.get("/v1/audit?format=xml").status()).isEqualTo(400);

            h.stop();
            h.start();
            assertThat(h.get("/v1/audit?action=registry.apply").json().get("count").asInt())
                .as("the trail is in persistent caches").isEqualTo(1);
        }
    }
}

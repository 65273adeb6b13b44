package io.hearth.gateway.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hearth.catalog.DefinitionsParser;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.Harness;
import io.hearth.gateway.HearthGateway;
import io.hearth.node.store.RegistrySnapshot;
import io.hearth.node.store.RegistryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookups read the definitions from an in-memory snapshot, not the grid: how soon a lookup sees an apply is bounded
 * here, on a node with its gateway and a second gateway on a thick client. The gateway that applied sees its apply
 * when the apply answers; any other gateway sees it once the registry cache's continuous query notified it (tens of
 * milliseconds here), and at worst at the snapshot's periodic recheck
 * ({@link io.hearth.node.store.RegistrySnapshot#DEFAULT_RECHECK}); a snapshot that never rechecks shows the notice
 * alone suffices.
 */
class RegistrySnapshotIT {
    static final long NOW = Timestamps.parse("2026-03-01T12:00:00Z");
    /**
     * Bound on how long another gateway may answer from the previous version: the recheck, plus slack for a loaded
     * machine (a new version is parsed on every gateway; a cold JVM on a busy core took over 500 ms once).
     */
    static final Duration ELSEWHERE_WITHIN = RegistrySnapshot.DEFAULT_RECHECK.plusSeconds(1);
    static final AtomicInteger FEATURES = new AtomicInteger(1);

    @TempDir
    static Path dir;
    static Harness h;
    static Harness.Peer peer;
    static HearthGateway second;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The definitions with features f0 .. f(n-1) in view {@code activity}. */
    static String definitions(int n) {
        StringBuilder features = new StringBuilder();
        for (int i = 0; i < n; i++) {
            features.append("      - {name: f").append(i).append(", column: n}\n");
        }
        return """
            entities:
              - {name: user, join_keys: [user_id]}
            sources:
              - name: clicks
                entity: user
                timestamp_field: ts
                schema: {user_id: string, ts: timestamp, n: long}
            feature_views:
              - name: activity
                entity: user
                source: clicks
                features:
            """ + features;
    }

    @BeforeAll
    static void start() {
        h = new Harness(dir, NOW, 1L << 20).start();
        Harness.Response r = h.applyYaml(definitions(FEATURES.get()));
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

    static int lookup(int port, String feature) {
        String body = "{\"features\":[\"activity:" + feature + "\"],\"entities\":{\"user_id\":[\"u1\"]}}";
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/get-online-features"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Applies one more feature through {@code apply} and answers its name, checking that no gateway serves it yet. */
    static String addFeature(java.util.function.Consumer<String> apply) {
        int n = FEATURES.incrementAndGet();
        String feature = "f" + (n - 1);
        assertThat(lookup(h.gateway.port(), feature)).as("before the apply").isEqualTo(400);
        assertThat(lookup(second.port(), feature)).as("before the apply, other gateway").isEqualTo(400);
        apply.accept(definitions(n));
        return feature;
    }

    /** Milliseconds until a lookup of {@code feature} on {@code port} answers 200, failing past the bound. */
    static long millisUntilServed(int port, String feature) {
        long t0 = System.nanoTime();
        await().atMost(ELSEWHERE_WITHIN).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
            .until(() -> lookup(port, feature) == 200);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void theGatewayThatAppliedServesTheNewFeatureAtItsFirstLookupAfterTheApplyAnswers() {
        for (int i = 0; i < 3; i++) {
            String feature = addFeature(yaml -> assertThat(h.applyYaml(yaml).status()).isEqualTo(200));
            assertThat(lookup(h.gateway.port(), feature)).as("first lookup after the apply answered").isEqualTo(200);
        }
    }

    @Test
    void anotherGatewayServesTheNewFeatureWithinTheBoundOfTheApplyAnswering() {
        long worst = 0;
        for (int i = 0; i < 5; i++) {
            String feature = addFeature(yaml -> assertThat(h.applyYaml(yaml).status()).isEqualTo(200));
            worst = Math.max(worst, millisUntilServed(second.port(), feature));
        }
        System.out.printf("RegistrySnapshotIT: apply answered -> other gateway serves the new feature within %d ms "
            + "(worst of 5)%n", worst);
    }

    @Test
    void anApplyFromAnotherNodeReachesBothGatewaysWithinTheBound() {
        RegistryStore elsewhere = new RegistryStore(peer.node().ignite(), java.time.Clock.systemUTC());
        long worst = 0;
        for (int i = 0; i < 3; i++) {
            String feature = addFeature(yaml -> elsewhere.apply(DefinitionsParser.parse("elsewhere.yaml", yaml)));
            worst = Math.max(worst, millisUntilServed(h.gateway.port(), feature));
            worst = Math.max(worst, millisUntilServed(second.port(), feature));
        }
        System.out.printf("RegistrySnapshotIT: apply from another node -> both gateways serve it within %d ms "
            + "(worst of 3)%n", worst);
    }

    @Test
    void theContinuousQueryAloneBringsANewVersionToASnapshotThatNeverRechecks() {
        try (RegistrySnapshot never = new RegistrySnapshot(peer.node().ignite(),
            new RegistryStore(peer.node().ignite(), java.time.Clock.systemUTC()), Duration.ofDays(1)).start()) {
            long before = never.current().orElseThrow().version();
            addFeature(yaml -> assertThat(h.applyYaml(yaml).status()).isEqualTo(200));
            await().atMost(ELSEWHERE_WITHIN).pollInterval(Duration.ofMillis(1))
                .until(() -> never.current().orElseThrow().version() > before);
        }
    }
}

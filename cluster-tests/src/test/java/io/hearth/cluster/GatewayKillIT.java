package io.hearth.cluster;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.node.store.EventStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway process killed with -9 in the middle of a request: the client sees an error or a success, never a
 * success for a partial write, and sending the same request again with the same idempotency key (to another
 * gateway) converges to every record stored exactly once.
 */
class GatewayKillIT {
    @TempDir
    Path dir;

    @Test
    void aGatewayKilledMidRequestLeavesAnErrorAndTheRetryConverges() throws Exception {
        try (ProcessCluster cluster = new ProcessCluster(dir)) {
            cluster.startNodes("n0");
            ProcessCluster.GatewayProcess gw = cluster.startGateway("gw");
            Http.Response applied = Http.put(gw.url() + "/v1/registry", "application/yaml", IngestLoad.DEFINITIONS);
            assertThat(applied.status()).as(applied.body()).isEqualTo(200);
            EventStore events = new EventStore(cluster.client());

            // One large request (several durable batches): the first batches are stored while the body still streams in.
            IngestLoad big = new IngestLoad(() -> "unused", 3, 1, 60_000, 1, Duration.ofMinutes(1));
            byte[] body = big.body(0, 0).getBytes(StandardCharsets.UTF_8);
            big.markSent(0, 0);
            String target = "/v1/ingest/" + IngestLoad.SOURCE + "?idempotency_key=big";
            PipedInputStream in = new PipedInputStream(1 << 20);
            PipedOutputStream out = new PipedOutputStream(in);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(URI.create(gw.url()
                + target)).header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> in)).build(), HttpResponse.BodyHandlers.ofString());
            int half = body.length / 2;
            AtomicReference<IOException> writeFailure = new AtomicReference<>();
            CountDownLatch answered = new CountDownLatch(1);
            // The feeder stays alive until the client has its answer: a pipe whose writer is gone fails on its own.
            Thread feeder = new Thread(() -> writeQuietly(out, body, 0, half, writeFailure, answered), "feeder");
            feeder.start();
            Awaitility.await("a first batch durable").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> storedOf(events, big) > 0);
            cluster.kill(gw);
            Throwable seen = null;
            try {
                HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as("a gateway killed mid-request cannot have answered 200: %s", r.body())
                    .isNotEqualTo(200);
            } catch (ExecutionException e) {
                seen = e.getCause();
            } finally {
                answered.countDown();
                out.close();
                feeder.join(30_000);
            }
            IngestLoad.Check partial = big.verify(events);
            assertThat(seen == null ? "" : seen.toString()).as("the client's error comes from the dead gateway, not the "
                + "test's pipe").doesNotContain("Write end dead").doesNotContain("Pipe closed");
            assertThat(partial.stored()).as("some of the request was stored before the kill: %s (client saw %s)", partial,
                seen).isBetween(1L, 59_999L);

            // The client sends the same request again, with the same key, to another gateway.
            ProcessCluster.GatewayProcess gw2 = cluster.startGateway("gw2");
            Http.Response retry = Http.post(gw2.url() + target, "application/x-ndjson", new String(body, StandardCharsets.UTF_8));
            assertThat(retry.status()).as(retry.body()).isEqualTo(200);
            big.markAcked(0, 0);
            IngestLoad.Check converged = big.verify(events);
            assertThat(converged.exact()).as(converged.toString()).isTrue();
            assertThat(converged.stored()).isEqualTo(60_000);

            // Then many requests, gateways killed at random moments; clients retry each request on the next gateway.
            AtomicReference<String> current = new AtomicReference<>(gw2.url());
            IngestLoad load = new IngestLoad(current::get, 4, 3, 3000, 1_000_000, Duration.ofMinutes(4)).start(false);
            Random rnd = new Random(Seeds.seed("GatewayKillIT"));
            ProcessCluster.GatewayProcess live = gw2;
            try {
                for (int round = 0; round < 2; round++) {
                    long acked = load.ackedRequests();
                    Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> load.ackedRequests() >= acked + 3);
                    Thread.sleep(rnd.nextInt(300)); // a random moment inside the next requests
                    cluster.kill(live);
                    live = cluster.startGateway("gw" + (round + 3));
                    current.set(live.url());
                }
                long acked = load.ackedRequests();
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> load.ackedRequests() >= acked + 3);
            } finally {
                load.stop();
            }
            IngestLoad.Check check = load.verify(events);
            String report = "GatewayKillIT: first kill left " + partial.stored() + " of 60000 stored and the client saw "
                + seen + "; random kills: " + check + "; " + load.summary();
            System.out.println(report);
            assertThat(load.unacknowledged).as(report).isEmpty();
            assertThat(check.exact()).as(report).isTrue();
            assertThat(load.writeFailures.get()).as("the kills were noticed by some request: %s", report).isPositive();
        }
    }

    private static long storedOf(EventStore events, IngestLoad load) {
        long n = 0;
        for (String e : IngestLoad.entities()) {
            n += events.count(IngestLoad.SOURCE, e);
        }
        return n;
    }

    private static void writeQuietly(OutputStream out, byte[] b, int from, int to, AtomicReference<IOException> failure,
                                     CountDownLatch answered) {
        try {
            out.write(b, from, to - from);
            out.flush();
            answered.await(120, TimeUnit.SECONDS);
        } catch (IOException e) {
            failure.set(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

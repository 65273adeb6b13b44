package io.hearth.gateway.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events are queued, never waited for: a slow receiver fills the bounded queue, and what does not fit is dropped. */
class OpenLineageEmitterTest {
    @TempDir
    Path dir;

    private static double count(SimpleMeterRegistry meters, String outcome) {
        return meters.get("hearth.openlineage.events").tag("outcome", outcome).counter().count();
    }

    @Test
    void aReceiverThatHangsNeverBlocksTheCallerAndWhatDoesNotFitIsDroppedAndCounted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.createContext("/", x -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        slow.start();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OpenLineageEmitter e = new OpenLineageEmitter(new OpenLineageEmitter.Settings(
            URI.create("http://127.0.0.1:" + slow.getAddress().getPort() + "/"), null, 2), meters);
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                e.emit("{\"n\":" + i + "}");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            assertThat(count(meters, "dropped")).as("one in flight, two queued").isBetween(47.0, 48.0);
            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> count(meters, "sent") + count(meters, "dropped") == 50);
        } finally {
            e.close();
            slow.stop(0);
        }
    }

    @Test
    void eventsGoToTheFileOnePerLineAndAnUnreachableUrlCountsAsFailed() throws Exception {
        Path file = dir.resolve("ol.ndjson");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        OpenLineageEmitter e = new OpenLineageEmitter(new OpenLineageEmitter.Settings(
            URI.create("http://127.0.0.1:" + closedPort + "/"), file, 10), meters);
        e.emit("{\"a\":1}");
        e.emit("{\"b\":2}");
        e.close();
        assertThat(Files.readAllLines(file)).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(count(meters, "failed")).isEqualTo(2.0);
        assertThatThrownBy(() -> new OpenLineageEmitter(new OpenLineageEmitter.Settings(null,
            dir.resolve("no/such/dir/x"), 10), meters)).hasMessageContaining("cannot write OpenLineage events");
        assertThatThrownBy(() -> new OpenLineageEmitter.Settings(URI.create("ftp://x/"), null, 10))
            .hasMessageContaining("http or https");
        OpenLineageEmitter off = new OpenLineageEmitter(OpenLineageEmitter.Settings.NONE, meters);
        off.emit("{}");
        off.close();
        assertThat(off.enabled()).isFalse();
    }
}

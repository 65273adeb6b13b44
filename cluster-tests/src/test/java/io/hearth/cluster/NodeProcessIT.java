package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.gateway.HearthGateway;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.TestNodes;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `hearth node` in a process of its own joins a cluster, and the cluster keeps serving when that process is killed
 * with -9. The seed of the multi-process suite (the scale-out issue grows it: kill rounds under load, restarts).
 */
class NodeProcessIT {
    @TempDir
    Path dir;

    @Test
    void aNodeProcessJoinsTheClusterAndItsKillDoesNotStopLookups() throws Exception {
        NodeSettings a = TestNodes.single(dir.resolve("a"));
        try (HearthNode node = new HearthNode(a).start();
             HearthGateway gw = new HearthGateway(node.ignite(), HearthGateway.Settings.defaults(0), Clock.systemUTC())
                 .start()) {
            HttpClient http = HttpClient.newHttpClient();
            String url = "http://127.0.0.1:" + gw.port();
            String yaml = Files.readString(Path.of("../config/demo/definitions.yaml"));
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/v1/registry")).header("Content-Type",
                "application/yaml").PUT(HttpRequest.BodyPublishers.ofString(yaml)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            long now = System.currentTimeMillis();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/v1/ingest/orders")).header("Content-Type",
                "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString("{\"customer_id\":\"C1\",\"order_id\":\"o1\","
                + "\"amount\":4.5,\"channel\":\"web\",\"event_ts\":" + (now - 1000) + "}\n")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            // A second node, started as an operator would: the CLI in its own JVM.
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("@" + Path.of("../config/jvm.options").toAbsolutePath());
            cmd.add("-Xmx256m");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add("io.hearth.gateway.cli.HearthCli");
            cmd.addAll(List.of("node", "--data-dir", dir.resolve("b").toString(), "--peers",
                "127.0.0.1:" + a.discoveryPort(), "--discovery-port", String.valueOf(TestNodes.freePortBase()),
                "--communication-port", String.valueOf(TestNodes.freePortBase()), "--client-port",
                String.valueOf(TestNodes.freePortBase())));
            File log = dir.resolve("b.log").toFile();
            Process b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> node.ignite().cluster().forServers().nodes().size() == 2);
                b.destroyForcibly(); // SIGKILL: no goodbye to the cluster
                b.waitFor();
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> node.ignite().cluster().forServers().nodes().size() == 1);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/features/online"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"features\":[\"customer_orders:last_amount\"],\"entities\":{\"customer_id\":[\"C1\"]}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).contains("4.5").contains("PRESENT");
            } finally {
                b.destroyForcibly();
                if (!b.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new AssertionError("node process did not exit; log: " + Files.readString(log.toPath()));
                }
            }
        }
    }
}

package io.hearth.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.node.HearthNode;
import io.hearth.node.NodeSettings;
import io.hearth.node.TestNodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real node with persistence and a real gateway on loopback, plus a small HTTP client for tests. */
public final class Harness implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String DEMO_YAML = readDemo();

    public final NodeSettings nodeSettings;
    public final io.hearth.testing.ManualClock clock;
    private final HearthGateway.Settings gatewaySettings;
    public HearthNode node;
    public HearthGateway gateway;
    private final java.util.List<java.util.function.Function<HearthGateway, AutoCloseable>> components =
        new java.util.ArrayList<>();
    private final java.util.List<AutoCloseable> running = new java.util.ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Harness(Path dir, long now, long maxIngestBytes) {
        this(dir, now, maxIngestBytes, s -> s);
    }

    /** A harness whose gateway settings are the test defaults changed by {@code tweak} (Kafka, breakers). */
    public Harness(Path dir, long now, long maxIngestBytes, java.util.function.UnaryOperator<HearthGateway.Settings> tweak) {
        this.nodeSettings = TestNodes.single(dir);
        this.clock = new io.hearth.testing.ManualClock(now);
        this.gatewaySettings = tweak.apply(new HearthGateway.Settings("127.0.0.1", 0, maxIngestBytes, 1L << 20,
            io.hearth.ingest.Breakers.Settings.defaults()));
    }

    public Harness start() {
        node = new HearthNode(nodeSettings).start();
        gateway = new HearthGateway(node.ignite(), gatewaySettings, clock).start();
        for (java.util.function.Function<HearthGateway, AutoCloseable> c : components) {
            running.add(c.apply(gateway));
        }
        return this;
    }

    /**
     * Also runs a component on the gateway (a connector, say), started with it and closed before it, as the CLI's
     * composition roots do; a restart starts it again.
     */
    public Harness with(java.util.function.Function<HearthGateway, AutoCloseable> component) {
        components.add(component);
        return this;
    }

    /** Stops gateway and node, as Ctrl-C does. */
    public void stop() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + running.get(i), e);
            }
        }
        running.clear();
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
        if (node != null) {
            node.close();
            node = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A second gateway on a thick client of this node: another process of the cluster. Close it before the harness. */
    public record Peer(HearthNode node, HearthGateway gateway) implements AutoCloseable {
        @Override
        public void close() {
            gateway.close();
            node.close();
        }
    }

    /** Starts a {@link Peer}: a client node joined to this node, and a gateway on it with default settings. */
    public Peer peer() {
        HearthNode client = new HearthNode(new NodeSettings(null, null, null, 0, TestNodes.freePortBase(), 0,
            java.util.List.of("127.0.0.1:" + nodeSettings.discoveryPort()), true, 0, 0,
            NodeSettings.DEFAULT_BASELINE_AUTO_ADJUST_MILLIS)).start();
        try {
            return new Peer(client, new HearthGateway(client.ignite(), new HearthGateway.Settings("127.0.0.1", 0,
                1L << 20, 1L << 20, io.hearth.ingest.Breakers.Settings.defaults()), clock).start());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * The port the node's thin-client connector listens on: the one asked for, or the next free one of its range
     * (connecting to the port asked for could then reach another node's communication port).
     */
    public int clientPort() {
        return (Integer) node.ignite().cluster().localNode().attribute("clientListenerPort");
    }

    public String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    /** A response: status, content type, body and every header. */
    public record Response(int status, String contentType, String body, java.net.http.HttpHeaders headers) {
        public Response(int status, String contentType, String body) {
            this(status, contentType, body, java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true));
        }

        /** The first value of a header, or null when the answer has none. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    public Response send(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body == null ? null : HttpRequest.BodyPublishers.ofString(body));
    }

    public Response send(String method, String path, String contentType, HttpRequest.BodyPublisher body) {
        return send(method, path, contentType, body, Map.of());
    }

    /** A request with headers of the test's own (an {@code Authorization}, say). */
    public Response send(String method, String path, String contentType, HttpRequest.BodyPublisher body,
                         Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return send("GET", path, null, (String) null);
    }

    public Response postJson(String path, String json) {
        return send("POST", path, "application/json", json);
    }

    public Response ndjson(String source, String lines) {
        return send("POST", "/v1/ingest/" + source, "application/x-ndjson", lines);
    }

    public Response applyYaml(String yaml) {
        return send("PUT", "/v1/registry?file=test.yaml", "application/yaml", yaml);
    }

    private static String readDemo() {
        try {
            return Files.readString(Path.of("../config/demo/definitions.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

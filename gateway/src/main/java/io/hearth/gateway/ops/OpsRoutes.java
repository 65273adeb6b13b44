package io.hearth.gateway.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.compute.time.Timestamps;
import io.hearth.node.Compactor;
import io.hearth.node.store.RegistryStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterState;

/**
 * What operators and tools ask a gateway about itself: {@code GET /health} (cluster state, server nodes, registry
 * version, the SQL endpoint), {@code GET /metrics} (Prometheus), {@code GET /openapi.yaml},
 * {@code POST /v1/compaction} and {@code POST /v1/cluster/reset-lost}.
 */
public final class OpsRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final Ignite ignite;
    private final RegistryStore registry;
    private final PrometheusMeterRegistry meters;
    private final Clock clock;
    private final String host;
    private final IntSupplier port;

    public OpsRoutes(Vertx vertx, Ignite ignite, RegistryStore registry, PrometheusMeterRegistry meters, Clock clock,
                     String host, IntSupplier port) {
        this.vertx = vertx;
        this.ignite = ignite;
        this.registry = registry;
        this.meters = meters;
        this.clock = clock;
        this.host = host;
        this.port = port;
    }

    public void mount(Router r) {
        r.get("/health").handler(this::health);
        r.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(meters.scrape()));
        r.get("/openapi.yaml").handler(this::openapi);
        r.post("/v1/compaction").handler(this::compact);
        r.post("/v1/cluster/reset-lost").handler(this::resetLost);
    }

    /**
     * Lets the cluster serve again the partitions it refused while every copy was gone ({@code hearth reset-lost}):
     * only once their nodes are back, which is the operator's call. {@code dry_run=true} only lists them.
     */
    private void resetLost(RoutingContext ctx) {
        boolean dryRun = io.hearth.gateway.http.Fields.boolParam(ctx.queryParams(), "dry_run", false);
        vertx.executeBlocking(() -> {
            java.util.Map<String, Integer> lost = dryRun ? io.hearth.node.LostPartitions.find(ignite)
                : io.hearth.node.LostPartitions.reset(ignite);
            ObjectNode o = JSON.createObjectNode();
            o.put("dry_run", dryRun);
            ObjectNode caches = o.putObject(dryRun ? "lost" : "reset");
            lost.forEach(caches::put);
            return o.toString();
        }, false).onSuccess(s -> ctx.response().putHeader("Content-Type", "application/json").end(s)).onFailure(ctx::fail);
    }

    private void health(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            ObjectNode o = JSON.createObjectNode();
            boolean active = ignite.cluster().state() == ClusterState.ACTIVE;
            o.put("status", active ? "UP" : "DOWN");
            o.put("cluster_state", ignite.cluster().state().name());
            o.put("server_nodes", ignite.cluster().forServers().nodes().size());
            o.put("registry_version", active ? registry.current().map(RegistryStore.Version::version).orElse(0L) : 0L);
            String jdbc = jdbcUrl();
            if (jdbc != null) {
                o.putObject("sql").put("jdbc_url", jdbc);
            }
            return o;
        }, false).onSuccess(o -> ctx.response().setStatusCode("UP".equals(o.get("status").asText()) ? 200 : 503)
            .putHeader("Content-Type", "application/json").end(o.toString())).onFailure(ctx::fail);
    }

    /**
     * The thin JDBC URL of the cluster: every server node's client connector (Ignite's {@code clientListenerPort}
     * attribute), loopback first when a node listens there. Null when no server node reports one.
     */
    private String jdbcUrl() {
        List<String> endpoints = new ArrayList<>();
        for (org.apache.ignite.cluster.ClusterNode n : ignite.cluster().forServers().nodes()) {
            Object port = n.attribute("clientListenerPort");
            if (port == null) {
                continue;
            }
            String host = n.addresses().contains("127.0.0.1") ? "127.0.0.1" : n.addresses().stream()
                .filter(a -> !a.contains(":")).findFirst().orElse(n.addresses().iterator().next());
            endpoints.add(host + ":" + port);
        }
        java.util.Collections.sort(endpoints);
        return endpoints.isEmpty() ? null : "jdbc:ignite:thin://" + String.join(",", endpoints);
    }

    /** Runs compaction on every server node now (it also runs on each node's schedule) and says what it dropped. */
    private void compact(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            long now = clock.millis();
            var d = Compactor.onEveryNode(ignite, now);
            ObjectNode o = JSON.createObjectNode();
            o.put("at", Timestamps.format(now));
            o.put("entities", d.entities());
            o.put("blocks_dropped", d.blocks());
            o.put("events_dropped", d.events());
            return o.toString();
        }, false).onSuccess(s -> ctx.response().putHeader("Content-Type", "application/json").end(s)).onFailure(ctx::fail);
    }

    /** The OpenAPI document, naming as its server the address the client reached this gateway at. */
    private void openapi(RoutingContext ctx) {
        String doc;
        try (InputStream in = OpsRoutes.class.getResourceAsStream("/openapi.yaml")) {
            doc = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var authority = ctx.request().authority();
        String server = authority != null ? authority.toString() : host + ":" + port.getAsInt();
        String scheme = ctx.request().isSSL() ? "https" : "http";
        doc = doc.replace("  - url: " + OPENAPI_SERVER, "  - url: " + scheme + "://" + server);
        ctx.response().putHeader("Content-Type", "application/yaml").end(doc);
    }

    /** The server the bundled document names, replaced by the real one when served. */
    static final String OPENAPI_SERVER = "http://127.0.0.1:6566";


}

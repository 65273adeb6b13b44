package io.hearth.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.ingest.EntityKeys;
import io.hearth.compute.ingest.QuarantinedRecord;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Fields;
import io.hearth.gateway.http.Problems;
import io.hearth.ingest.Breakers;
import io.hearth.ingest.Feeds;
import io.hearth.ingest.Ingest;
import io.hearth.ingest.IngestPipeline;
import io.hearth.gateway.ingest.IngestRoutes;
import io.hearth.gateway.sources.SourceRoutes;
import io.hearth.gateway.registry.RegistryRoutes;
import io.hearth.gateway.serving.LookupRoutes;
import io.hearth.node.serving.OnlineLookup;
import io.hearth.gateway.training.TrainingJobs;
import io.hearth.gateway.training.TrainingRoutes;
import io.hearth.node.store.EventStore;
import io.hearth.node.store.IngestStateStore;
import io.hearth.node.store.QuarantineStore;
import io.hearth.node.store.RegistryStore;
import io.hearth.node.training.TrainingSets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of Hearth: a Vert.x server on a grid member (embedded server node or thick client). Stateless:
 * everything it knows lives in the grid, so any number can run side by side. Handlers parse and answer on the
 * event loop; grid calls run on worker threads.
 */
public final class HearthGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HearthGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param host address to listen on
     * @param port port to listen on (0 = any free port)
     * @param maxIngestBytes largest ingest body; bodies are streamed, so this bounds time, not memory
     * @param maxRequestBytes largest body of every other endpoint (held in memory)
     */
    public record Settings(String host, int port, long maxIngestBytes, long maxRequestBytes,
                           Breakers.Settings breakers) {
        public static final int DEFAULT_PORT = 6566;

        public Settings {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            if (maxIngestBytes <= 0 || maxRequestBytes <= 0) {
                throw new IllegalArgumentException("body limits must be positive");
            }
            if (breakers == null) {
                throw new IllegalArgumentException("breaker settings are required");
            }
        }

        public Settings withBreakers(Breakers.Settings breakerSettings) {
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, breakerSettings);
        }

        public static Settings defaults(int port) {
            return new Settings("127.0.0.1", port, 4L << 30, 16L << 20, Breakers.Settings.defaults());
        }
    }

    private final Ignite ignite;
    private final Settings settings;
    private final Clock clock;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RegistryStore registry;
    private final EventStore events;
    private final QuarantineStore quarantine;
    private final Ingest ingest;
    private final TrainingJobs training;
    private volatile Feeds feeds = Feeds.NONE;
    private Vertx vertx;
    private HttpServer server;
    private Router router;

    public HearthGateway(Ignite ignite, Settings settings, Clock clock) {
        this.ignite = ignite;
        this.settings = settings;
        this.clock = clock;
        this.registry = new RegistryStore(ignite, clock);
        this.events = new EventStore(ignite);
        io.micrometer.core.instrument.FunctionCounter.builder("hearth.lookup.block.cache", events.blockCache(),
            c -> c.counts()[0]).tag("result", "hit").description("Event blocks lookups found deserialized in the gateway")
            .register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("hearth.lookup.block.cache", events.blockCache(),
            c -> c.counts()[1]).tag("result", "miss").description("Event blocks lookups read from the grid").register(meters);
        this.quarantine = new QuarantineStore(ignite);
        this.ingest = Ingest.create(ignite, registry, events, settings.breakers(), clock, meters);
        this.training = new TrainingJobs(new TrainingSets(ignite, registry), clock);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
    }

    public HearthGateway start() {
        vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(32));
        router = router();
        HttpServerOptions opts = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
            .setCompressionSupported(false).setIdleTimeout(300);
        try {
            server = vertx.createHttpServer(opts).requestHandler(router).listen().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the gateway", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        LOG.info("Hearth gateway listening on http://{}:{}", settings.host(), server.actualPort());
        return this;
    }

    /** Shows what a connector (the Kafka bridge) feeds in {@code GET /v1/sources/{name}}. */
    public HearthGateway feeds(Feeds connectorFeeds) {
        this.feeds = connectorFeeds == null ? Feeds.NONE : connectorFeeds;
        return this;
    }


    public int port() {
        return server.actualPort();
    }

    public RegistryStore registry() {
        return registry;
    }

    /** The ingest side this gateway serves (and connectors beside it feed): pipeline, breakers, ingest state. */
    public Ingest ingest() {
        return ingest;
    }

    Router routes() {
        return router;
    }

    private Router router() {
        Router r = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.maxRequestBytes());
        RegistryRoutes reg = new RegistryRoutes(vertx, registry);
        LookupRoutes lookups = new LookupRoutes(vertx, registry, new OnlineLookup(events), clock, meters);
        IngestRoutes ingestRoutes = new IngestRoutes(vertx, ingest.pipeline(), ingest.breakers(), settings.maxIngestBytes());
        SourceRoutes sources = new SourceRoutes(vertx, registry, ingest.pipeline(), quarantine, ingest.breakers(),
            () -> feeds);
        TrainingRoutes trainingRoutes = new TrainingRoutes(vertx, ignite, training);
        BodyHandler spineBody = BodyHandler.create(false).setBodyLimit(TrainingRoutes.MAX_SPINE_BYTES);

        r.route().handler(HearthGateway::refuseForms);
        r.get("/health").handler(this::health);
        r.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .end(meters.scrape()));
        r.get("/openapi.yaml").handler(this::openapi);
        r.get("/v1/registry").handler(reg::get);
        r.put("/v1/registry").handler(body).handler(reg::apply);
        r.post("/v1/registry/plan").handler(body).handler(reg::plan);
        r.get("/v1/registry/versions").handler(reg::versions);
        r.get("/v1/registry/versions/:version").handler(reg::version);
        r.post("/v1/ingest/:source").handler(ingestRoutes::handle);
        r.post("/get-online-features").handler(body).handler(lookups::feast);
        r.post("/v1/features/online").handler(body).handler(lookups::hearth);
        r.get("/v1/sources").handler(sources::list);
        r.get("/v1/sources/:source").handler(sources::get);
        r.post("/v1/sources/:source/breaker/reset").handler(sources::reset);
        r.get("/v1/sources/:source/events").handler(this::sourceEvents);
        r.get("/v1/quarantine").handler(this::quarantine);
        r.post("/v1/compaction").handler(this::compact);
        r.post("/v1/training-sets").handler(spineBody).handler(trainingRoutes::create);
        r.get("/v1/training-sets/:id").handler(trainingRoutes::get);
        r.get("/v1/training-sets/:id/data").handler(trainingRoutes::data);

        r.route().failureHandler(Problems::handle);
        r.errorHandler(404, Problems::handle);
        r.errorHandler(405, Problems::handle);
        r.errorHandler(413, Problems::handle);
        r.errorHandler(500, Problems::handle);
        return r;
    }

    /**
     * No endpoint takes HTML forms; refusing them here keeps the body handler from decoding one (a malformed
     * multipart body would otherwise fail deep in the HTTP codec).
     */
    private static void refuseForms(RoutingContext ctx) {
        String type = io.hearth.gateway.http.Bodies.mediaType(ctx.request().getHeader("Content-Type"));
        String length = ctx.request().getHeader("Content-Length");
        boolean body = ctx.request().getHeader("Transfer-Encoding") != null || length != null && !length.trim().equals("0");
        if (body && (type.equals("multipart/form-data") || type.equals("application/x-www-form-urlencoded"))) {
            ctx.fail(ApiException.unsupportedMediaType(type, "the media type this endpoint documents in /openapi.yaml"));
            return;
        }
        ctx.next();
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
            var d = io.hearth.node.Compactor.onEveryNode(ignite, now);
            ObjectNode o = JSON.createObjectNode();
            o.put("at", io.hearth.compute.time.Timestamps.format(now));
            o.put("entities", d.entities());
            o.put("blocks_dropped", d.blocks());
            o.put("events_dropped", d.events());
            return o.toString();
        }, false).onSuccess(s -> ctx.response().putHeader("Content-Type", "application/json").end(s)).onFailure(ctx::fail);
    }

    /** The OpenAPI document, naming as its server the address the client reached this gateway at. */
    private void openapi(RoutingContext ctx) {
        String doc;
        try (InputStream in = HearthGateway.class.getResourceAsStream("/openapi.yaml")) {
            doc = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var authority = ctx.request().authority();
        String server = authority != null ? authority.toString() : settings.host() + ":" + port();
        String scheme = ctx.request().isSSL() ? "https" : "http";
        doc = doc.replace("  - url: " + OPENAPI_SERVER, "  - url: " + scheme + "://" + server);
        ctx.response().putHeader("Content-Type", "application/yaml").end(doc);
    }

    /** The server the bundled document names, replaced by the real one when served. */
    static final String OPENAPI_SERVER = "http://127.0.0.1:6566";


    /** Raw events of one entity in a time range: for looking at what a feature was computed from. */
    private void sourceEvents(RoutingContext ctx) {
        String sourceName = ctx.pathParam("source");
        var q = ctx.queryParams();
        vertx.executeBlocking(() -> {
            var defs = registry.definitions();
            Source source = defs.source(sourceName).orElseThrow(() -> ApiException.notFound("source", "ref.source",
                io.hearth.catalog.Definitions.unknown("source", sourceName, defs.sourceNames())));
            Entity entity = defs.entity(source.entity()).orElseThrow();
            List<String> parts = new ArrayList<>();
            for (String k : entity.joinKeys()) {
                String v = Fields.param(q, k) != null ? Fields.param(q, k)
                    : entity.joinKeys().size() == 1 ? Fields.param(q, "entity") : null;
                if (v == null || v.isEmpty()) {
                    throw ApiException.invalid(k, "required", "give the entity as ?" + k + "=... (or ?entity=...)");
                }
                try {
                    Object c = RowValidator.coerce(source.type(k), v);
                    parts.add(c.toString());
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid(k, "schema.type", e.getMessage());
                }
            }
            long from = Fields.timeParam(q, "from", Timestamps.MIN);
            long to = Fields.timeParam(q, "to", Timestamps.MAX);
            int limit = Fields.intParam(q, "limit", 1000, 1, 100_000);
            if (from > to) {
                throw ApiException.invalid("from", "range.order", "from (" + Timestamps.format(from) + ") is after to ("
                    + Timestamps.format(to) + ")");
            }
            String key = EntityKeys.encode(parts);
            var read = events.read(source.name(), List.of(key), from, to).get(key);
            ObjectNode o = JSON.createObjectNode();
            o.put("source", source.name());
            o.put("entity", key);
            ArrayNode arr = o.putArray("events");
            EventBlock b = read == null ? null : read.events();
            int n = 0;
            for (int i = 0; b != null && i < b.size() && n < limit; i++) {
                if (b.ts(i) < from || b.ts(i) > to) {
                    continue;
                }
                ObjectNode e = arr.addObject();
                e.put(source.timestampField(), Timestamps.format(b.ts(i)));
                if (source.createdTimestampField() != null && b.created(i) != EventBlock.NO_CREATED) {
                    e.put(source.createdTimestampField(), Timestamps.format(b.created(i)));
                }
                for (Map.Entry<String, Object> c : b.row(i).entrySet()) {
                    e.set(c.getKey(), JSON.valueToTree(c.getValue()));
                }
                n++;
            }
            o.put("truncated", n == limit);
            return o.toString();
        }, false).onSuccess(s -> ctx.response().putHeader("Content-Type", "application/json").end(s)).onFailure(ctx::fail);
    }

    private void quarantine(RoutingContext ctx) {
        String source = Fields.param(ctx.queryParams(), "source");
        String rule = Fields.param(ctx.queryParams(), "rule");
        int limit = Fields.intParam(ctx.queryParams(), "limit", 100, 1, 10_000);
        vertx.executeBlocking(() -> {
            ObjectNode o = JSON.createObjectNode();
            o.put("count", quarantine.count(source, rule));
            ArrayNode arr = o.putArray("records");
            for (QuarantinedRecord r : quarantine.list(source, rule, limit)) {
                ObjectNode e = arr.addObject();
                e.put("source", r.source());
                e.put("received_at", Timestamps.format(r.receivedAtMillis()));
                e.put("origin", r.origin());
                e.put("index", r.rowIndex());
                e.put("field", r.field());
                e.put("rule", r.rule());
                e.put("message", r.message());
                e.put("raw", r.raw());
            }
            return o.toString();
        }, false).onSuccess(s -> ctx.response().putHeader("Content-Type", "application/json").end(s)).onFailure(ctx::fail);
    }

    @Override
    public void close() {
        training.close();
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Gateway did not stop cleanly: {}", e.toString());
            }
            vertx = null;
        }
        events.close();
        meters.close();
        if (server != null) {
            LOG.info("Hearth gateway on port {} stopped", server.actualPort());
            server = null;
        }
    }
}

package io.hearth.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.console.Console;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Problems;
import io.hearth.ingest.Breakers;
import io.hearth.ingest.Feeds;
import io.hearth.ingest.Ingest;
import io.hearth.gateway.ingest.IngestRoutes;
import io.hearth.gateway.ops.OpsRoutes;
import io.hearth.gateway.sources.SourceRoutes;
import io.hearth.gateway.registry.ModelRoutes;
import io.hearth.gateway.registry.RegistryRoutes;
import io.hearth.gateway.serving.LookupRoutes;
import io.hearth.node.serving.OnlineLookup;
import io.hearth.gateway.catalog.CatalogRoutes;
import io.hearth.gateway.catalog.CatalogSearch;
import io.hearth.gateway.catalog.FeatureUsage;
import io.hearth.gateway.lineage.BackfillRoutes;
import io.hearth.gateway.lineage.LineageRoutes;
import io.hearth.gateway.lineage.OpenLineageEmitter;
import io.hearth.gateway.lineage.RunLineage;
import io.hearth.gateway.training.TrainingJobs;
import io.hearth.gateway.training.TrainingRoutes;
import io.hearth.node.store.EventStore;
import io.hearth.node.store.LineageStore;
import io.hearth.node.store.UsageStore;
import io.hearth.node.store.QuarantineStore;
import io.hearth.node.store.RegistryStore;
import io.hearth.node.training.TrainingSets;
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
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ignite.Ignite;
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
                           Breakers.Settings breakers, OpenLineageEmitter.Settings openLineage, long usageFlushMillis) {
        public static final int DEFAULT_PORT = 6566;
        /** How often a gateway adds the feature usage it counted to the cluster's, by default. */
        public static final long DEFAULT_USAGE_FLUSH_MILLIS = 10_000;

        /** Settings without OpenLineage events, flushing usage every {@value #DEFAULT_USAGE_FLUSH_MILLIS} ms. */
        public Settings(String host, int port, long maxIngestBytes, long maxRequestBytes, Breakers.Settings breakers) {
            this(host, port, maxIngestBytes, maxRequestBytes, breakers, OpenLineageEmitter.Settings.NONE,
                DEFAULT_USAGE_FLUSH_MILLIS);
        }

        public Settings {
            if (openLineage == null) {
                throw new IllegalArgumentException("OpenLineage settings are required (Settings.NONE: no events)");
            }
            if (usageFlushMillis < 0) {
                throw new IllegalArgumentException("usageFlushMillis must be 0 (only on demand) or more, got "
                    + usageFlushMillis);
            }
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
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, breakerSettings, openLineage,
                usageFlushMillis);
        }

        /** Where OpenLineage run events go. */
        public Settings withOpenLineage(OpenLineageEmitter.Settings events) {
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, breakers, events, usageFlushMillis);
        }

        /** How often feature usage counted here goes to the cluster (0: only when a feature's usage is read). */
        public Settings withUsageFlushMillis(long millis) {
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, breakers, openLineage, millis);
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
    private final LineageStore lineage;
    private final OpenLineageEmitter openLineage;
    private final RunLineage runs;
    private final FeatureUsage usage;
    private final CatalogSearch catalog;
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
        this.lineage = new LineageStore(ignite);
        this.openLineage = new OpenLineageEmitter(settings.openLineage(), meters);
        this.runs = new RunLineage(lineage, openLineage);
        this.training = new TrainingJobs(new TrainingSets(ignite, registry), clock, runs);
        this.usage = new FeatureUsage(new UsageStore(ignite), settings.usageFlushMillis());
        this.catalog = new CatalogSearch(registry, lineage, meters);
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
        // the catalog index is built at start (in the background: a first search waits for it if it comes earlier)
        vertx.executeBlocking(() -> {
            catalog.snapshot().close();
            return null;
        }, false).onFailure(e -> LOG.warn("Catalog index not built at start (built on first use): {}", e.toString()));
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
        ModelRoutes models = new ModelRoutes(vertx, registry);
        LookupRoutes lookups = new LookupRoutes(vertx, registry, new OnlineLookup(events), clock, meters, usage);
        CatalogRoutes catalogRoutes = new CatalogRoutes(vertx, catalog, registry, usage, meters);
        LineageRoutes lineageRoutes = new LineageRoutes(vertx, catalog);
        BackfillRoutes backfills = new BackfillRoutes(vertx, registry, runs, clock);
        IngestRoutes ingestRoutes = new IngestRoutes(vertx, ingest.pipeline(), ingest.breakers(), settings.maxIngestBytes());
        SourceRoutes sources = new SourceRoutes(vertx, registry, events, ingest.pipeline(), quarantine, ingest.breakers(),
            () -> feeds);
        TrainingRoutes trainingRoutes = new TrainingRoutes(vertx, training);
        BodyHandler spineBody = BodyHandler.create(false).setBodyLimit(TrainingRoutes.MAX_SPINE_BYTES);

        r.route().handler(HearthGateway::refuseForms);
        new OpsRoutes(vertx, ignite, registry, meters, clock, settings.host(), this::port).mount(r);
        r.get("/v1/registry").handler(reg::get);
        r.put("/v1/registry").handler(body).handler(reg::apply);
        r.post("/v1/registry/plan").handler(body).handler(reg::plan);
        r.get("/v1/registry/versions").handler(reg::versions);
        r.get("/v1/registry/versions/:version").handler(reg::version);
        r.get("/v1/models").handler(models::list);
        r.post("/v1/models").handler(body).handler(models::register);
        r.post("/v1/ingest/:source").handler(ingestRoutes::handle);
        r.post("/get-online-features").handler(body).handler(lookups::feast);
        r.post("/v1/features/online").handler(body).handler(lookups::hearth);
        r.get("/v1/sources").handler(sources::list);
        r.get("/v1/sources/:source").handler(sources::get);
        r.post("/v1/sources/:source/breaker/reset").handler(sources::reset);
        r.get("/v1/sources/:source/events").handler(sources::rawEvents);
        r.get("/v1/quarantine").handler(sources::quarantined);
        r.get("/v1/quarantine/rules").handler(sources::quarantineRules);
        r.post("/v1/training-sets").handler(spineBody).handler(trainingRoutes::create);
        r.get("/v1/training-sets").handler(trainingRoutes::list);
        r.get("/v1/training-sets/:id").handler(trainingRoutes::get);
        r.get("/v1/training-sets/:id/data").handler(trainingRoutes::data);
        r.get("/v1/catalog/search").handler(catalogRoutes::search);
        r.get("/v1/catalog/suggest").handler(catalogRoutes::suggest);
        r.get("/v1/catalog/:kind/:name").handler(catalogRoutes::object);
        r.get("/v1/lineage/:kind/:name").handler(lineageRoutes::get);
        r.post("/v1/backfills").handler(body).handler(backfills::start);
        r.get("/v1/backfills/:id").handler(backfills::get);
        r.post("/v1/backfills/:id/end").handler(body).handler(backfills::end);
        Console.mount(r);

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

    /** This gateway's feature usage counter (tests flush it). */
    public FeatureUsage usage() {
        return usage;
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
        usage.close();
        openLineage.close();
        catalog.close();
        events.close();
        meters.close();
        if (server != null) {
            LOG.info("Hearth gateway on port {} stopped", server.actualPort());
            server = null;
        }
    }
}

package io.hearth.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.feedback.FeatureLogger;
import io.hearth.feedback.Feedback;
import io.hearth.gateway.feedback.FeedbackRoutes;
import io.hearth.gateway.access.AccessHandler;
import io.hearth.console.Console;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.HeadDeadline;
import io.hearth.gateway.ops.AuditRoutes;
import io.hearth.security.access.Exposure;
import io.hearth.security.access.Gatekeeper;
import io.hearth.security.access.RouteRules;
import io.hearth.security.audit.AuditTrail;
import io.hearth.security.audit.GridAuditTrail;
import io.hearth.security.keys.ApiKeys;
import io.hearth.security.limits.Gcra;
import io.hearth.security.limits.InFlight;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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
import io.hearth.node.store.RegistrySnapshot;
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
     * @param host address to listen on; other than loopback only with keys (or insecure)
     * @param port port to listen on (0 = any free port)
     * @param maxIngestBytes largest ingest body; bodies are streamed, so this bounds time, not memory
     * @param maxRequestBytes largest body of every other endpoint (held in memory; spines have their own limit)
     * @param breakers the circuit breakers' settings
     * @param limits HTTP limits against abusive clients
     * @param security who may call the gateway, and HTTPS
     * @param featureLog the feature log writer's queue, batches and flush interval
     * @param openLineage where OpenLineage run events go ({@code OpenLineageEmitter.Settings.NONE}: nowhere)
     * @param usageFlushMillis how often feature usage counted here goes to the cluster (0: only when read)
     */
    public record Settings(String host, int port, long maxIngestBytes, long maxRequestBytes, Breakers.Settings breakers,
                           Limits limits, Security security, FeatureLogger.Settings featureLog,
                           OpenLineageEmitter.Settings openLineage, long usageFlushMillis) {
        public static final int DEFAULT_PORT = 6566;
        /** How often a gateway adds the feature usage it counted to the cluster's, by default. */
        public static final long DEFAULT_USAGE_FLUSH_MILLIS = 10_000;

        /**
         * Settings without keys or HTTPS, with the default limits and feature log, without OpenLineage events,
         * flushing usage every {@value #DEFAULT_USAGE_FLUSH_MILLIS} ms: today's loopback gateway.
         */
        public Settings(String host, int port, long maxIngestBytes, long maxRequestBytes, Breakers.Settings breakers) {
            this(host, port, maxIngestBytes, maxRequestBytes, breakers, Limits.defaults(), Security.NONE,
                FeatureLogger.Settings.defaults(), OpenLineageEmitter.Settings.NONE, DEFAULT_USAGE_FLUSH_MILLIS);
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
            if (breakers == null || limits == null || security == null || featureLog == null) {
                throw new IllegalArgumentException("breaker settings, limits, security and feature log settings are required");
            }
        }

        public Settings withBreakers(Breakers.Settings b) {
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, b, limits, security, featureLog, openLineage,
                usageFlushMillis);
        }

        public Settings withFeatureLog(FeatureLogger.Settings logSettings) {
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, breakers, limits, security, logSettings,
                openLineage, usageFlushMillis);
        }

        public Settings withPort(int p) {
            return new Settings(host, p, maxIngestBytes, maxRequestBytes, breakers, limits, security, featureLog,
                openLineage, usageFlushMillis);
        }

        public Settings withHost(String address) {
            return new Settings(address, port, maxIngestBytes, maxRequestBytes, breakers, limits, security, featureLog,
                openLineage, usageFlushMillis);
        }

        public Settings withLimits(Limits l) {
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, breakers, l, security, featureLog,
                openLineage, usageFlushMillis);
        }

        public Settings withSecurity(Security sec) {
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, breakers, limits, sec, featureLog,
                openLineage, usageFlushMillis);
        }

        /** Where OpenLineage run events go. */
        public Settings withOpenLineage(OpenLineageEmitter.Settings events) {
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, breakers, limits, security, featureLog,
                events, usageFlushMillis);
        }

        /** How often feature usage counted here goes to the cluster (0: only when a feature's usage is read). */
        public Settings withUsageFlushMillis(long millis) {
            return new Settings(host, port, maxIngestBytes, maxRequestBytes, breakers, limits, security, featureLog,
                openLineage, millis);
        }

        public static Settings defaults(int port) {
            return new Settings("127.0.0.1", port, 4L << 30, 16L << 20, Breakers.Settings.defaults());
        }
    }

    /**
     * Limits against clients that would hold the gateway: headers larger than {@code maxHeaderBytes} answer 431 (a
     * request line longer than that 414); a
     * connection that sends and receives nothing for {@code idleTimeout} is closed; a request head not complete within
     * {@code headTimeout} of its first byte (a new connection's: of its opening) closes the connection (slowloris).
     */
    public record Limits(int maxHeaderBytes, Duration idleTimeout, Duration headTimeout) {
        public Limits {
            if (maxHeaderBytes < 1024 || idleTimeout.toSeconds() < 1 || headTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("limits too small: " + maxHeaderBytes + " header bytes, idle "
                    + idleTimeout + ", head " + headTimeout);
            }
        }

        public static Limits defaults() {
            return new Limits(16 * 1024, Duration.ofSeconds(300), Duration.ofSeconds(15));
        }
    }

    /**
     * Who may call the gateway.
     *
     * @param keys the API keys; empty = no keys, every request passes (loopback only, unless insecure)
     * @param https the certificate and key (PEM) to serve HTTPS with; empty = plain HTTP
     * @param insecure serve without keys on an address other than loopback
     */
    public record Security(Optional<ApiKeys> keys, Optional<Https> https, boolean insecure) {
        public static final Security NONE = new Security(Optional.empty(), Optional.empty(), false);

        public static Security keys(ApiKeys keys) {
            return new Security(Optional.of(keys), Optional.empty(), false);
        }

        public Security withHttps(Https h) {
            return new Security(keys, Optional.of(h), insecure);
        }
    }

    /** A certificate chain and its private key, PEM files (what {@code hearth certs} writes as node.pem, node-key.pem). */
    public record Https(Path certificate, Path key) {
    }

    private final Ignite ignite;
    private final Settings settings;
    private final Clock clock;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RegistryStore registry;
    /** The definitions lookups read: in memory, refreshed on change (no grid read per lookup). */
    private final RegistrySnapshot definitions;
    private final EventStore events;
    private final QuarantineStore quarantine;
    private final Ingest ingest;
    private final TrainingJobs training;
    private final OnlineLookup lookup;
    private final Feedback feedback;
    private final AuditTrail audit;
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
        this.definitions = new RegistrySnapshot(ignite, registry, RegistrySnapshot.DEFAULT_RECHECK);
        this.events = new EventStore(ignite);
        io.micrometer.core.instrument.FunctionCounter.builder("hearth.lookup.block.cache", events.blockCache(),
            c -> c.counts()[0]).tag("result", "hit").description("Event blocks lookups found deserialized in the gateway")
            .register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("hearth.lookup.block.cache", events.blockCache(),
            c -> c.counts()[1]).tag("result", "miss").description("Event blocks lookups read from the grid").register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("hearth.lookup.index.cache", events.blockCache(),
            c -> c.indexCounts()[0]).tag("result", "hit")
            .description("Entity indexes lookups found kept on their partition's primary, still current").register(meters);
        io.micrometer.core.instrument.FunctionCounter.builder("hearth.lookup.index.cache", events.blockCache(),
            c -> c.indexCounts()[1]).tag("result", "miss")
            .description("Entity indexes lookups on a partition's primary read from the grid").register(meters);
        io.micrometer.core.instrument.Gauge.builder("hearth.lookup.index.cache.bytes", events.blockCache(),
            c -> c.indexCounts()[2]).description("Estimated heap of the entity indexes lookups keep").register(meters);
        this.quarantine = new QuarantineStore(ignite);
        this.ingest = Ingest.create(ignite, registry, events, settings.breakers(), clock, meters);
        this.lineage = new LineageStore(ignite);
        this.openLineage = new OpenLineageEmitter(settings.openLineage(), meters);
        this.runs = new RunLineage(lineage, openLineage);
        this.training = new TrainingJobs(new TrainingSets(ignite, registry), clock, runs, ingest.quality());
        this.lookup = new OnlineLookup(events);
        this.feedback = new Feedback(ignite, registry, lookup, clock, meters, settings.featureLog());
        this.audit = new GridAuditTrail(ignite);
        this.usage = new FeatureUsage(new UsageStore(ignite), settings.usageFlushMillis());
        this.catalog = new CatalogSearch(registry, lineage, meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
    }

    public HearthGateway start() {
        Exposure.checkGateway(settings.host(), settings.security().keys().isPresent(), settings.security().insecure());
        definitions.start();
        feedback.start();
        ingest.quality().start();
        vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(32));
        router = router();
        Limits limits = settings.limits();
        // No h2c: HTTP/1.1 only (wrk, curl and the CLI speak it). With h2c on, Vert.x sees a connection only once a
        // first request head is complete, so a connection that never completes one could not be timed (HeadDeadline).
        HttpServerOptions opts = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
            .setHttp2ClearTextEnabled(false)
            .setCompressionSupported(false).setMaxHeaderSize(limits.maxHeaderBytes())
            .setMaxInitialLineLength(limits.maxHeaderBytes())
            .setIdleTimeout((int) limits.idleTimeout().toSeconds());
        settings.security().https().ifPresent(h -> opts.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(h.certificate().toString()).setKeyPath(h.key().toString())));
        HeadDeadline heads = new HeadDeadline(vertx, limits.headTimeout().toMillis());
        try {
            server = vertx.createHttpServer(opts).connectionHandler(heads::opened).requestHandler(req -> {
                heads.headReceived(req);
                router.handle(req);
            }).invalidRequestHandler(Problems::undecodable).listen().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the gateway", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        LOG.info("Hearth gateway listening on {}://{}:{} ({})", scheme(), settings.host(), server.actualPort(),
            settings.security().keys().isPresent() ? "API keys required" : "no API keys: loopback only"
                + (settings.security().insecure() ? " unless --insecure" : ""));
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

    /** {@code https} with a certificate, else {@code http}. */
    public String scheme() {
        return settings.security().https().isPresent() ? "https" : "http";
    }

    /** The audit trail this gateway appends to. */
    public AuditTrail audit() {
        return audit;
    }

    public RegistryStore registry() {
        return registry;
    }

    /** The ingest side this gateway serves (and connectors beside it feed): pipeline, breakers, ingest state. */
    public Ingest ingest() {
        return ingest;
    }

    /** The feedback loop this gateway's lookups feed (the Kafka bridge gives it outcomes; lineage reads its facts). */
    public Feedback feedback() {
        return feedback;
    }

    Router routes() {
        return router;
    }

    private Router router() {
        Router r = Router.router(vertx);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.maxRequestBytes());
        RegistryRoutes reg = new RegistryRoutes(vertx, registry);
        ModelRoutes models = new ModelRoutes(vertx, registry);
        LookupRoutes lookups = new LookupRoutes(vertx, definitions, lookup, feedback, clock, meters, usage);
        FeedbackRoutes feedbackRoutes = new FeedbackRoutes(vertx, feedback);
        CatalogRoutes catalogRoutes = new CatalogRoutes(vertx, catalog, registry, usage, meters);
        LineageRoutes lineageRoutes = new LineageRoutes(vertx, catalog,
            g -> g.with(feedback.facts().lineageNodes(), feedback.facts().lineageEdges()));
        BackfillRoutes backfills = new BackfillRoutes(vertx, registry, runs, clock);
        IngestRoutes ingestRoutes = new IngestRoutes(vertx, ingest.pipeline(), ingest.breakers(), settings.maxIngestBytes());
        SourceRoutes sources = new SourceRoutes(vertx, ignite, registry, events, ingest.pipeline(), quarantine,
            ingest.breakers(), () -> feeds);
        sources.gaugeFoldLag(meters, 2000);
        TrainingRoutes trainingRoutes = new TrainingRoutes(vertx, training);
        BodyHandler spineBody = BodyHandler.create(false).setBodyLimit(TrainingRoutes.MAX_SPINE_BYTES);

        Optional<Gatekeeper> gate = settings.security().keys().map(k -> new Gatekeeper(RouteRules.hearth(), k,
            new Gcra(clock), new InFlight()));
        r.route().handler(new AccessHandler(gate, RouteRules.hearth(), audit, vertx, clock, ignite.name()));
        r.route().handler(HearthGateway::refuseForms);
        new OpsRoutes(vertx, ignite, registry, meters, clock, settings.host(), this::port).mount(r);
        r.get("/v1/audit").handler(new AuditRoutes(vertx, audit)::read);
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
        // Feedback: the literal paths first, so that they are not read as request ids.
        r.post("/v1/outcomes").handler(body).handler(feedbackRoutes::outcomes);
        r.get("/v1/feature-log").handler(feedbackRoutes::export);
        r.post("/v1/feature-log/skew").handler(body).handler(feedbackRoutes::skew);
        r.post("/v1/feature-log/training-sets").handler(body).handler(feedbackRoutes::createTrainingSet);
        r.get("/v1/feature-log/training-sets/:id").handler(feedbackRoutes::trainingSet);
        r.get("/v1/feature-log/training-sets/:id/data").handler(feedbackRoutes::trainingSetData);
        r.get("/v1/feature-log/:request_id").handler(feedbackRoutes::log);
        r.get("/v1/feature-log/:request_id/reproduce").handler(feedbackRoutes::reproduce);
        r.get("/v1/catalog/search").handler(catalogRoutes::search);
        r.get("/v1/catalog/suggest").handler(catalogRoutes::suggest);
        r.get("/v1/catalog/:kind/:name").handler(catalogRoutes::object);
        r.get("/v1/lineage/:kind/:name").handler(lineageRoutes::get);
        io.hearth.gateway.quality.QualityRoutes quality = new io.hearth.gateway.quality.QualityRoutes(vertx, ignite, registry,
            ingest.quality(), clock);
        r.get("/v1/quality/results").handler(quality::results);
        r.get("/v1/quality/profiles").handler(quality::profiles);
        r.post("/v1/quality/references").handler(body).handler(quality::createReference);
        r.get("/v1/quality/references").handler(quality::references);
        r.get("/v1/quality/references/:name").handler(quality::reference);
        r.post("/v1/backfills").handler(body).handler(backfills::start);
        r.get("/v1/backfills/:id").handler(backfills::get);
        r.post("/v1/backfills/:id/end").handler(body).handler(backfills::end);
        Console.mount(r);

        r.route().failureHandler(Problems::handle);
        r.errorHandler(404, Problems::handle);
        r.errorHandler(405, Problems::handle);
        r.errorHandler(413, Problems::handle);
        r.errorHandler(414, Problems::handle);
        r.errorHandler(431, Problems::handle);
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

    /** This gateway's quality service (tests flush its profiles). */
    public io.hearth.quality.Quality quality() {
        return ingest.quality();
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
        definitions.close();
        feedback.close(); // after the server stopped: what lookups queued is written
        ingest.quality().close();
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

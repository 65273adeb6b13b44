package io.hearth.gateway.sources;

import io.hearth.ingest.Breakers;
import io.hearth.ingest.Feeds;
import io.hearth.ingest.IngestPipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.Source;
import java.util.List;
import java.util.ArrayList;
import io.hearth.node.store.EventStore;
import io.hearth.node.fold.LogFolder;
import io.hearth.compute.events.LogMaintenance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.ignite.Ignite;
import io.hearth.gateway.http.Fields;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.compute.ingest.QuarantinedRecord;
import io.hearth.compute.ingest.EntityKeys;
import io.hearth.compute.events.EventBlock;
import io.hearth.catalog.Entity;
import io.hearth.compute.ingest.BreakerState;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.http.ApiException;
import io.hearth.node.store.QuarantineStore;
import io.hearth.node.store.RegistryStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /v1/sources}, {@code GET /v1/sources/{name}} (definition summary, breaker, ingest rate, Kafka lag) and
 * {@code POST /v1/sources/{name}/breaker/reset}.
 */
public final class SourceRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final RegistryStore registry;
    private final EventStore events;
    private final IngestPipeline pipeline;
    private final QuarantineStore quarantine;
    private final Breakers breakers;
    private final Supplier<Feeds> feeds;
    private final Ignite ignite;
    private final Map<String, double[]> lag = new java.util.concurrent.ConcurrentHashMap<>();

    public SourceRoutes(Vertx vertx, Ignite ignite, RegistryStore registry, EventStore events, IngestPipeline pipeline,
                        QuarantineStore quarantine, Breakers breakers, Supplier<Feeds> feeds) {
        this.vertx = vertx;
        this.ignite = ignite;
        this.registry = registry;
        this.events = events;
        this.pipeline = pipeline;
        this.quarantine = quarantine;
        this.breakers = breakers;
        this.feeds = feeds;
    }

    public void list(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            ObjectNode o = JSON.createObjectNode();
            ArrayNode arr = o.putArray("sources");
            for (Source s : registry.definitions().sources()) {
                ObjectNode e = arr.addObject();
                e.put("name", s.name());
                e.put("entity", s.entity());
                e.put("kafka_topic", s.kafkaTopic());
                e.put("breaker", breakers.current(s.name()).state().name());
            }
            return o.toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    public void get(RoutingContext ctx) {
        String name = ctx.pathParam("source");
        vertx.executeBlocking(() -> describe(source(name)).toString(), false)
            .onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    public void reset(RoutingContext ctx) {
        String name = ctx.pathParam("source");
        vertx.executeBlocking(() -> {
            Source s = source(name);
            breakers.reset(s.name());
            return describe(s).toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    private Source source(String name) {
        var d = registry.definitions();
        return d.source(name).orElseThrow(() -> ApiException.notFound("source", "ref.source",
            io.hearth.catalog.Definitions.unknown("source", name, d.sourceNames())));
    }

    private ObjectNode describe(Source s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", s.name());
        o.put("entity", s.entity());
        o.put("id_field", s.idField());
        o.put("quarantine_threshold", s.quarantineThreshold());
        BreakerState b = breakers.current(s.name());
        ObjectNode br = o.putObject("breaker");
        br.put("state", b.state().name());
        if (b.sinceMillis() > 0) {
            br.put("since", Timestamps.format(b.sinceMillis()));
        }
        if (b.isOpen()) {
            br.put("reject_rate", b.rejectRate());
            br.put("probe_at", Timestamps.format(b.probeAtMillis()));
        }
        br.put("reason", b.reason());
        br.put("trips", b.trips());
        br.put("window_records", breakers.settings().window());
        br.put("min_records", breakers.settings().minRecords());
        ObjectNode in = o.putObject("ingest");
        long[] t = pipeline.totals(s.name());
        in.put("accepted", t[0]);
        in.put("rejected", t[1]);
        in.put("events_per_s", Math.round(pipeline.eventsPerSecond(s.name()) * 10) / 10.0);
        in.put("quarantined", quarantine.count(s.name()));
        in.put("scope", "accepted, rejected and events_per_s count this gateway; quarantined counts the cluster");
        Feeds f = feeds.get();
        if (s.kafkaTopic() != null) {
            ObjectNode ko = o.putObject("kafka");
            ko.put("topic", s.kafkaTopic());
            Feeds.Consumer c = f.consumer(s.name()).orElse(null);
            if (c == null) {
                ko.put("status", f.running() ? "starting" : "not consuming: this gateway runs without --kafka");
            } else {
                ko.put("group", c.group());
                ko.put("status", c.status());
                if (c.lastError() != null) {
                    ko.put("last_error", c.lastError());
                }
                ArrayNode parts = ko.putArray("partitions");
                long total = 0;
                for (Map.Entry<Integer, long[]> e : c.partitions().entrySet()) {
                    ObjectNode p = parts.addObject();
                    p.put("partition", e.getKey());
                    if (e.getValue()[0] >= 0) {
                        p.put("next_offset", e.getValue()[0]);
                    }
                    p.put("lag", e.getValue()[1]);
                    total += e.getValue()[1];
                }
                ko.put("lag", total);
            }
        }
        LogMaintenance.Backlog log = LogFolder.clusterBacklog(ignite, s.name());
        ObjectNode lo = o.putObject("log");
        lo.put("unfolded_events", log.events());
        lo.put("fresh_deltas", log.fresh());
        lo.put("runs", log.runs());
        lo.put("fold_lag_s", foldLagSeconds(log));
        lo.put("scope", "the cluster: events acknowledged and readable, not yet folded into their entities' blocks");
        return o;
    }

    /** Seconds since the oldest unfolded delta was published; 0 when everything is folded. */
    private static double foldLagSeconds(LogMaintenance.Backlog b) {
        return b.oldestBorn() == Long.MAX_VALUE ? 0
            : Math.max(0, System.currentTimeMillis() - b.oldestBorn()) / 1000.0;
    }

    /**
     * Registers the fold lag of every source in {@code meters} ({@code hearth_log_unfolded_events},
     * {@code hearth_log_fold_lag_seconds}), refreshed off the event loop every {@code everyMillis}: a scrape reads
     * the last figures and never waits on the grid.
     */
    public void gaugeFoldLag(MeterRegistry meters, long everyMillis) {
        vertx.setPeriodic(everyMillis, id -> vertx.executeBlocking(() -> {
            for (Source s : registry.definitions().sources()) {
                LogMaintenance.Backlog b = LogFolder.clusterBacklog(ignite, s.name());
                double[] v = lag.computeIfAbsent(s.name(), name -> {
                    double[] cell = new double[2];
                    Gauge.builder("hearth.log.unfolded.events", cell, c -> c[0]).tag("source", name)
                        .description("Events acknowledged and readable but not yet folded into their entities' blocks")
                        .register(meters);
                    Gauge.builder("hearth.log.fold.lag.seconds", cell, c -> c[1]).tag("source", name)
                        .description("Age of the oldest delta of the source's log not yet folded").register(meters);
                    return cell;
                });
                v[0] = b.events();
                v[1] = foldLagSeconds(b);
            }
            return null;
        }, false));
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    /** Raw events of one entity in a time range: for looking at what a feature was computed from. */
    public void rawEvents(RoutingContext ctx) {
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

    public void quarantined(RoutingContext ctx) {
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

    /** How many records of a source (or of all) broke each rule: the quarantine browser's filter. */
    public void quarantineRules(RoutingContext ctx) {
        String source = Fields.param(ctx.queryParams(), "source");
        vertx.executeBlocking(() -> {
            ObjectNode o = JSON.createObjectNode();
            o.put("source", source);
            ObjectNode rules = JSON.createObjectNode();
            long total = 0;
            for (Map.Entry<String, Long> e : quarantine.countByRule(source).entrySet()) {
                rules.put(e.getKey(), e.getValue());
                total += e.getValue();
            }
            o.put("count", total);
            o.set("rules", rules);
            return o.toString();
        }, false).onSuccess(s -> ctx.response().putHeader("Content-Type", "application/json").end(s)).onFailure(ctx::fail);
    }
}

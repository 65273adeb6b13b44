package io.hearth.gateway.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.Deprecation;
import io.hearth.catalog.lineage.BackfillRun;
import io.hearth.catalog.lineage.TrainingRun;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Fields;
import io.hearth.node.store.UsageStore;
import io.hearth.search.CatalogObject;
import io.hearth.search.ObjectKind;
import io.hearth.search.SearchQuery;
import io.hearth.search.SearchResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The catalog over HTTP: {@code GET /v1/catalog/search} (free text, filters, facets, highlights),
 * {@code GET /v1/catalog/suggest} (type-ahead by name) and {@code GET /v1/catalog/{kind}/{name}} (an object's
 * definition, metadata, registry versions with what changed in each, and for a feature its usage). Every answer shows
 * the registry as it is when the request arrives ({@link CatalogSearch}). Unknown query parameters are refused: a
 * misspelt filter would silently filter nothing.
 */
public final class CatalogRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SEARCH_PARAMS = Set.of("q", "kind", "owner", "tag", "entity", "deprecated", "limit",
        "offset");
    private static final Set<String> SUGGEST_PARAMS = Set.of("q", "kind", "limit");
    static final int MAX_SUGGESTIONS = 50;
    /** Runs shown with a training set or a source. */
    private static final int RUNS_SHOWN = 20;

    private final Vertx vertx;
    private final CatalogSearch search;
    private final ObjectHistory history;
    private final FeatureUsage usage;
    private final Timer latency;

    public CatalogRoutes(Vertx vertx, CatalogSearch search, io.hearth.node.store.RegistryStore registry,
                         FeatureUsage usage, MeterRegistry meters) {
        this.vertx = vertx;
        this.search = search;
        this.history = new ObjectHistory(registry);
        this.usage = usage;
        this.latency = Timer.builder("hearth.catalog.search.latency").description("Catalog searches, request to answer")
            .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
            .maximumExpectedValue(java.time.Duration.ofSeconds(5)).register(meters);
    }

    public void search(RoutingContext ctx) {
        long t0 = System.nanoTime();
        var p = ctx.queryParams();
        Fields.onlyParams(p, SEARCH_PARAMS);
        String kind = Fields.param(p, "kind");
        SearchQuery q = new SearchQuery(Fields.param(p, "q"), kind == null || kind.isEmpty() ? null
            : ObjectKind.parse("kind", kind), Fields.param(p, "owner"), Fields.param(p, "tag"), Fields.param(p, "entity"),
            deprecated(p), Fields.intParam(p, "limit", SearchQuery.DEFAULT_LIMIT, 1, SearchQuery.MAX_LIMIT),
            Fields.intParam(p, "offset", 0, 0, SearchQuery.MAX_OFFSET));
        vertx.executeBlocking(() -> {
            try (CatalogSearch.Snapshot s = search.snapshot()) {
                return result(s.registryVersion(), s.index().search(q)).toString();
            }
        }, false).onSuccess(body -> {
            json(ctx, body);
            latency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }).onFailure(ctx::fail);
    }

    private static Boolean deprecated(io.vertx.core.MultiMap p) {
        String v = Fields.param(p, "deprecated");
        return v == null || v.isEmpty() ? null : Fields.boolParam(p, "deprecated", false);
    }

    public void suggest(RoutingContext ctx) {
        var p = ctx.queryParams();
        Fields.onlyParams(p, SUGGEST_PARAMS);
        String q = Fields.param(p, "q");
        if (q != null && q.length() > SearchQuery.MAX_Q) {
            throw ApiException.invalid("q", "length", "q must be at most " + SearchQuery.MAX_Q + " characters, got "
                + q.length());
        }
        String kindText = Fields.param(p, "kind");
        ObjectKind kind = kindText == null || kindText.isEmpty() ? null : ObjectKind.parse("kind", kindText);
        int limit = Fields.intParam(p, "limit", 10, 1, MAX_SUGGESTIONS);
        vertx.executeBlocking(() -> {
            try (CatalogSearch.Snapshot s = search.snapshot()) {
                ObjectNode o = JSON.createObjectNode();
                ArrayNode a = o.putArray("suggestions");
                for (SearchResult.Suggestion x : s.index().suggest(q, kind, limit)) {
                    a.addObject().put("kind", x.kind().spelling()).put("name", x.name()).put("id", x.id());
                }
                return o.toString();
            }
        }, false).onSuccess(body -> json(ctx, body)).onFailure(ctx::fail);
    }

    public void object(RoutingContext ctx) {
        ObjectKind kind = ObjectKind.parse("kind", ctx.pathParam("kind"));
        String name = ctx.pathParam("name");
        Fields.onlyParams(ctx.queryParams(), Set.of());
        vertx.executeBlocking(() -> {
            try (CatalogSearch.Snapshot s = search.snapshot()) {
                CatalogObject o = s.catalog().object(kind, name).orElseThrow(() -> ApiException.notFound("name",
                    "ref." + kind.spelling(), Definitions.unknown(kind.spelling().replace('_', ' '), name,
                        s.catalog().names(kind))));
                return describe(s, o).toString();
            }
        }, false).onSuccess(body -> json(ctx, body)).onFailure(ctx::fail);
    }

    private ObjectNode describe(CatalogSearch.Snapshot s, CatalogObject o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", o.kind().spelling());
        n.put("name", o.name());
        n.put("id", o.id());
        n.put("registry_version", s.registryVersion());
        n.set("definition", JSON.valueToTree(s.catalog().definition(o.kind(), o.name()).orElse(null)));
        ObjectNode m = n.putObject("metadata");
        m.put("description", o.description());
        m.put("owner", o.owner());
        m.put("owner_inherited", o.owner() != null && o.meta().owner() == null);
        strings(m.putArray("tags"), o.tags());
        Deprecation d = o.deprecation();
        if (d == null) {
            m.putNull("deprecated");
        } else {
            ObjectNode dm = m.putObject("deprecated");
            dm.put("since", d.since().toString());
            dm.put("reason", d.reason());
            dm.put("replacement", d.replacement());
            dm.put("sunset", d.sunset() == null ? null : d.sunset().toString());
            dm.put("inherited", !d.equals(o.meta().deprecated()));
        }
        strings(n.putArray("entities"), o.entities());
        ArrayNode versions = n.putArray("versions");
        for (ObjectHistory.Entry e : history.of(o.kind(), o.name())) {
            ObjectNode v = versions.addObject();
            v.put("version", e.version());
            v.put("applied_at", Timestamps.format(e.appliedAt()));
            v.put("action", e.action());
            v.set("definition", JSON.valueToTree(e.definition()));
            strings(v.putArray("changes"), e.changes());
            strings(v.putArray("breaking"), e.breaking());
        }
        if (o.kind() == ObjectKind.FEATURE) {
            UsageStore.Usage u = usage.of(o.name());
            ObjectNode un = n.putObject("usage");
            if (u.lastServed() > 0) {
                un.put("last_served", Timestamps.format(u.lastServed()));
            } else {
                un.putNull("last_served");
            }
            ObjectNode lookups = un.putObject("lookups");
            u.lookups().forEach(lookups::put);
        }
        if (o.kind() == ObjectKind.TRAINING_SET) {
            ArrayNode runs = n.putArray("runs");
            s.catalog().runs().trainingRuns(o.name()).stream().limit(RUNS_SHOWN).forEach(r -> run(runs.addObject(), r));
        }
        if (o.kind() == ObjectKind.SOURCE) {
            ArrayNode runs = n.putArray("backfills");
            s.catalog().runs().backfillsOf(o.name()).stream().limit(RUNS_SHOWN)
                .forEach(r -> backfill(runs.addObject(), r));
        }
        n.put("lineage", "/v1/lineage/" + o.kind().spelling() + "/" + o.name());
        return n;
    }

    /** A training run as the catalog shows it. */
    static void run(ObjectNode n, TrainingRun r) {
        n.put("run_id", r.runId());
        n.put("name", r.name());
        n.put("status", r.status());
        n.put("feature_service", r.service());
        strings(n.putArray("features"), r.features());
        n.put("spine", r.spine());
        n.put("rows", r.rows());
        n.put("started_at", Timestamps.format(r.startedAt()));
        n.put("finished_at", r.finishedAt() > 0 ? Timestamps.format(r.finishedAt()) : null);
        n.put("output", r.output());
        n.put("error", r.error());
        n.put("by", r.by());
    }

    /** A back-fill run as the catalog and {@code /v1/backfills} show it. */
    public static ObjectNode backfill(ObjectNode n, BackfillRun r) {
        n.put("run_id", r.runId());
        n.put("source", r.source());
        n.put("status", r.status());
        ArrayNode files = n.putArray("files");
        for (BackfillRun.BackfillFile f : r.files()) {
            files.addObject().put("name", f.name()).put("hash", f.hash()).put("rows", f.rows());
        }
        n.put("started_at", Timestamps.format(r.startedAt()));
        n.put("finished_at", r.finishedAt() > 0 ? Timestamps.format(r.finishedAt()) : null);
        n.put("stored", r.stored());
        n.put("already_stored", r.alreadyStored());
        n.put("rejected", r.rejected());
        n.put("error", r.error());
        n.put("by", r.by());
        return n;
    }

    static ObjectNode result(long version, SearchResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("total", r.total());
        o.put("registry_version", version);
        ArrayNode hits = o.putArray("hits");
        for (SearchResult.Hit h : r.hits()) {
            ObjectNode n = hits.addObject();
            n.put("kind", h.kind().spelling());
            n.put("name", h.name());
            n.put("id", h.id());
            n.put("description", h.description());
            n.put("owner", h.owner());
            strings(n.putArray("tags"), h.tags());
            n.put("deprecated", h.deprecated());
            n.put("score", h.score());
            ObjectNode hl = n.putObject("highlights");
            h.highlights().forEach(hl::put);
        }
        ObjectNode facets = o.putObject("facets");
        for (Map.Entry<String, Map<String, Long>> f : r.facets().entrySet()) {
            ObjectNode fo = facets.putObject(f.getKey());
            f.getValue().forEach(fo::put);
        }
        return o;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static void json(RoutingContext ctx, String body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body);
    }
}

package io.hearth.gateway.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.Source;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Bodies;
import io.hearth.gateway.http.Fields;
import io.hearth.node.store.RegistryStore;
import io.hearth.quality.ColumnProfile;
import io.hearth.quality.Quality;
import io.hearth.quality.QualityResult;
import io.hearth.quality.QualityStore;
import io.hearth.quality.Reference;
import io.hearth.quality.ReferenceValues;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Set;
import org.apache.ignite.Ignite;

/**
 * Data quality over HTTP, routes only (the work is {@link Quality}'s):
 * <ul>
 *   <li>{@code GET /v1/quality/results?source=&column=&feature=&expect=&success=&from=&to=}: judged windows in window
 *       order (the rows of {@code HEARTH.QUALITY});</li>
 *   <li>{@code POST /v1/quality/references}: stores a reference distribution, of a source column over a time range
 *       or of a training set's feature;</li>
 *   <li>{@code GET /v1/quality/profiles?source=&from=&to=}: the source's column profiles over the hours of arrival
 *       time overlapping the range (default: the last 24 hours), every gateway's merged;</li>
 *   <li>{@code GET /v1/quality/references} and {@code GET /v1/quality/references/{name}}: what is stored.</li>
 * </ul>
 */
public final class QualityRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESULT_PARAMS = Set.of("source", "column", "feature", "expect", "success", "from",
        "to");
    private static final Set<String> REFERENCE_KEYS = Set.of("name", "source", "column", "feature", "training_set", "from",
        "to");

    private final Vertx vertx;
    private final Ignite ignite;
    private final RegistryStore registry;
    private final Quality quality;
    private final Clock clock;

    public QualityRoutes(Vertx vertx, Ignite ignite, RegistryStore registry, Quality quality, Clock clock) {
        this.vertx = vertx;
        this.ignite = ignite;
        this.registry = registry;
        this.quality = quality;
        this.clock = clock;
    }

    public void results(RoutingContext ctx) {
        var q = ctx.queryParams();
        Fields.onlyParams(q, RESULT_PARAMS);
        long from = Fields.timeParam(q, "from", Long.MIN_VALUE);
        long to = Fields.timeParam(q, "to", Long.MIN_VALUE);
        if (from != Long.MIN_VALUE && to != Long.MIN_VALUE && from >= to) {
            throw ApiException.invalid("to", "range.order", "to must be after from");
        }
        String success = Fields.param(q, "success");
        Boolean ok = null;
        if (success != null) {
            ok = Fields.boolParam(q, "success", true);
        }
        QualityStore.Query query = new QualityStore.Query(blankToNull(Fields.param(q, "source")),
            blankToNull(Fields.param(q, "column")), blankToNull(Fields.param(q, "feature")),
            blankToNull(Fields.param(q, "expect")), from == Long.MIN_VALUE ? null : from, to == Long.MIN_VALUE ? null : to, ok);
        vertx.executeBlocking(() -> {
            ObjectNode o = JSON.createObjectNode();
            ArrayNode a = o.putArray("results");
            for (QualityResult r : quality.store().results(query)) {
                a.add(json(r));
            }
            o.put("truncated", a.size() >= QualityStore.MAX_RESULTS);
            return o.toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** One result as the API and the console show it. */
    public static ObjectNode json(QualityResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("source", r.source());
        o.put("column", r.column());
        o.put("feature", r.feature());
        o.put("expect", r.expect());
        o.put("window_start", Timestamps.format(r.windowStart()));
        o.put("window_end", Timestamps.format(r.windowEnd()));
        o.put("element_count", r.elementCount());
        o.put("unexpected_count", r.unexpectedCount());
        if (Double.isNaN(r.observed())) {
            o.putNull("observed");
        } else {
            o.put("observed", r.observed());
        }
        o.put("success", r.success());
        o.put("severity", r.severity().spelling());
        o.put("detail", r.detail());
        o.put("origin", r.origin());
        return o;
    }

    public void profiles(RoutingContext ctx) {
        var q = ctx.queryParams();
        Fields.onlyParams(q, Set.of("source", "from", "to"));
        String sourceName = blankToNull(Fields.param(q, "source"));
        if (sourceName == null) {
            throw ApiException.invalid("source", "required", "name the source whose profile to show: ?source=");
        }
        long now = clock.millis();
        long to = Fields.timeParam(q, "to", now + 1);
        long from = Fields.timeParam(q, "from", to - 86_400_000L);
        if (from >= to) {
            throw ApiException.invalid("to", "range.order", "to must be after from");
        }
        vertx.executeBlocking(() -> {
            Definitions d = registry.definitions();
            Source s = d.source(sourceName).orElseThrow(() -> ApiException.notFound("source", "ref.source",
                Definitions.unknown("source", sourceName, d.sourceNames())));
            var parts = quality.store().profiles(sourceName, from, to);
            ObjectNode o = JSON.createObjectNode();
            o.put("source", sourceName);
            o.put("from", Timestamps.format(from));
            o.put("to", Timestamps.format(to));
            ArrayNode cols = o.putArray("columns");
            for (var e : s.schema().entrySet()) {
                ColumnProfile.Merged m = ColumnProfile.merge(parts.getOrDefault(e.getKey(), java.util.List.of()));
                ObjectNode c = cols.addObject();
                c.put("column", e.getKey());
                c.put("type", e.getValue().spelling());
                c.put("count", m.count());
                c.put("nulls", m.nulls());
                number(c, "null_rate", m.count() == 0 ? Double.NaN : (double) m.nulls() / m.count());
                number(c, "min", m.min());
                number(c, "max", m.max());
                number(c, "mean", m.mean());
                number(c, "stddev", m.stddev());
                number(c, "distinct", m.count() == m.nulls() ? 0 : Math.round(m.distinct()));
                ArrayNode b = c.putArray("distinct_bounds");
                b.add(Math.round(m.distinctLow()));
                b.add(Math.round(m.distinctHigh()));
                ObjectNode qs = c.putObject("quantiles");
                if (m.quantiles() != null) {
                    for (int i = 0; i < ColumnProfile.RANKS.length; i++) {
                        qs.put(String.format(java.util.Locale.ROOT, "p%02d", Math.round(ColumnProfile.RANKS[i] * 100)),
                            m.quantiles()[i]);
                    }
                }
            }
            return o.toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    private static void number(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    public void createReference(RoutingContext ctx) {
        JsonNode b = Fields.object(Bodies.json(ctx), REFERENCE_KEYS);
        String name = Fields.text(b, "name");
        if (name == null) {
            throw ApiException.invalid("name", "required", "a reference needs a name");
        }
        if (!DefinitionsParser.NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "name.pattern", "reference name '" + Fields.shorten(name) + "' must match "
                + DefinitionsParser.NAME.pattern());
        }
        String source = Fields.text(b, "source");
        String column = Fields.text(b, "column");
        String feature = Fields.text(b, "feature");
        String set = Fields.text(b, "training_set");
        Long from = Fields.timestamp(b, "from");
        Long to = Fields.timestamp(b, "to");
        if ((source == null) == (set == null)) {
            throw ApiException.invalid(source == null ? "source" : "training_set", "reference.of",
                "a reference is of a source (with column, from and to) or of a training_set (with feature), one of them");
        }
        if (set != null) {
            if (feature == null || column != null) {
                throw ApiException.invalid("feature", "required", "a training set's reference needs feature "
                    + "(view:feature), and no column");
            }
            if (from != null || to != null) {
                throw ApiException.invalid(from != null ? "from" : "to", "reference.of", "a training set's reference "
                    + "takes all its rows: no from or to");
            }
        } else {
            if ((column == null) == (feature == null)) {
                throw ApiException.invalid("column", column == null ? "required" : "reference.of", "a source's reference "
                    + "is of a column or of a feature (view:feature) computed over the source's events, one of them");
            }
            if (from == null || to == null) {
                throw ApiException.invalid(from == null ? "from" : "to", "required", "a source's reference needs from and "
                    + "to (event times; from inclusive, to exclusive)");
            }
            if (from >= to) {
                throw ApiException.invalid("to", "range.order", "to must be after from");
            }
        }
        vertx.executeBlocking(() -> {
            Reference r = set != null ? ofTrainingSet(name, set, feature) : column != null
                ? ofSource(name, source, column, from, to) : ofFeature(name, source, feature, from, to);
            quality.store().putReference(r);
            quality.referenceChanged(name);
            return r.toJson(false).toString();
        }, false).onSuccess(s -> json(ctx, 201, s)).onFailure(ctx::fail);
    }

    private Reference ofSource(String name, String sourceName, String column, long from, long to) {
        Definitions d = registry.definitions();
        Source s = d.source(sourceName).orElseThrow(() -> ApiException.notFound("source", "ref.source",
            Definitions.unknown("source", sourceName, d.sourceNames())));
        ColumnType type = s.schema().get(column);
        if (type == null) {
            throw ApiException.invalid("column", "ref.column", "column '" + Fields.shorten(column) + "' is not in the schema "
                + "of source '" + sourceName + "'");
        }
        if (!type.isNumeric() && type != ColumnType.TIMESTAMP) {
            throw ApiException.invalid("column", "reference.numeric", "a reference distribution needs a numeric column, '"
                + column + "' is " + type.spelling());
        }
        ReferenceValues.Values v = ReferenceValues.ofSource(ignite, s, column, from, to);
        if (v.values().length == 0) {
            throw ApiException.invalid("from", "reference.empty", "source '" + sourceName + "' has no non-null values of '"
                + column + "' with event times in [" + Timestamps.format(from) + ", " + Timestamps.format(to) + ")");
        }
        return Reference.of(name, sourceName, column, null, null, from, to, v.values(), v.nulls(), clock.millis());
    }

    /**
     * A feature's values as of every event of its view's source with event times in {@code [from, to)}: the rows a
     * training set of those events would hold, computed by the training-set join itself.
     */
    private Reference ofFeature(String name, String sourceName, String feature, long from, long to) {
        FeatureRef ref = FeatureRef.parse(feature);
        if (ref == null) {
            throw ApiException.invalid("feature", "feature.syntax", "feature must be view:feature, got '"
                + Fields.shorten(feature) + "'");
        }
        Definitions d = registry.definitions();
        io.hearth.catalog.FeatureView view = d.featureView(ref.view()).orElseThrow(() -> ApiException.invalid("feature",
            "ref.feature_view", Definitions.unknown("feature view", ref.view(), d.viewNames())));
        if (!view.source().equals(sourceName)) {
            throw ApiException.invalid("source", "reference.source", "feature view '" + view.name() + "' reads source '"
                + view.source() + "', not '" + sourceName + "'");
        }
        io.hearth.node.training.TrainingSets sets = new io.hearth.node.training.TrainingSets(ignite, registry);
        io.hearth.node.training.TrainingSets.Checked checked = sets.check("reference_" + name, java.util.List.of(ref));
        if (!checked.features().get(0).outputType().isNumeric()) {
            throw ApiException.invalid("feature", "reference.numeric", "a reference distribution needs a numeric feature, '"
                + feature + "' is " + checked.features().get(0).outputType().spelling());
        }
        Source s = d.source(sourceName).orElseThrow();
        ReferenceValues.Events ev = ReferenceValues.eventsOf(ignite, s, from, to);
        if (ev.entities().length == 0) {
            throw ApiException.invalid("from", "reference.empty", "source '" + sourceName + "' has no events with event "
                + "times in [" + Timestamps.format(from) + ", " + Timestamps.format(to) + ")");
        }
        io.hearth.compute.training.Spine spine = new io.hearth.compute.training.Spine(java.util.List.of(),
            java.util.List.of(), new Object[ev.entities().length][0], ev.entities(), ev.times(), null);
        io.hearth.compute.training.ValueColumn vc = sets.buildValues(checked, spine, null).featureValues()[0];
        double[] values = new double[vc.size()];
        int n = 0;
        long nulls = 0;
        for (int i = 0; i < vc.size(); i++) {
            Object v = vc.get(i);
            if (v instanceof Number num) {
                values[n++] = num.doubleValue();
            } else {
                nulls++;
            }
        }
        if (n == 0) {
            throw ApiException.invalid("feature", "reference.empty", "feature '" + feature + "' has no non-null values as "
                + "of the events in the range");
        }
        return Reference.of(name, sourceName, null, ref.qualified(), null, from, to, java.util.Arrays.copyOf(values, n),
            nulls, clock.millis());
    }

    private Reference ofTrainingSet(String name, String set, String feature) {
        FeatureRef ref = FeatureRef.parse(feature);
        if (ref == null) {
            throw ApiException.invalid("feature", "feature.syntax", "feature must be view:feature, got '"
                + Fields.shorten(feature) + "'");
        }
        ReferenceValues.Values v = ReferenceValues.ofTrainingSet(ignite, set, ref.columnName());
        if (v == null) {
            throw ApiException.notFound("training_set", "ref.training_set", "there is no training set '" + Fields.shorten(set)
                + "'");
        }
        if (v.values().length == 0) {
            throw ApiException.invalid("feature", "reference.empty", "training set '" + set + "' has no non-null numeric "
                + "values of " + ref.columnName());
        }
        return Reference.of(name, null, null, ref.qualified(), set, null, null, v.values(), v.nulls(), clock.millis());
    }

    public void references(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            ObjectNode o = JSON.createObjectNode();
            ArrayNode a = o.putArray("references");
            quality.store().references().values().forEach(r -> a.add(r.toJson(false)));
            return o.toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    public void reference(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        vertx.executeBlocking(() -> {
            Reference r = quality.store().reference(name);
            if (r == null) {
                throw ApiException.notFound("name", "ref.reference", "there is no reference '" + Fields.shorten(name) + "'");
            }
            return r.toJson(false).toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}

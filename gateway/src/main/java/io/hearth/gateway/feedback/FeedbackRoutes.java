package io.hearth.gateway.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Reproduction;
import io.hearth.compute.time.Timestamps;
import io.hearth.feedback.Feedback;
import io.hearth.feedback.LogRecord;
import io.hearth.feedback.LogTrainingJobs;
import io.hearth.feedback.LogTrainingSets;
import io.hearth.feedback.Outcome;
import io.hearth.feedback.Outcomes;
import io.hearth.feedback.Reproducer;
import io.hearth.formats.TrainingFiles;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Bodies;
import io.hearth.gateway.http.Fields;
import io.hearth.node.serving.OnlineLookup;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The feedback loop over HTTP, routes only (the work is {@link Feedback}'s):
 * <ul>
 *   <li>{@code GET /v1/feature-log/{request_id}}: a logged lookup (404 when it was not logged);</li>
 *   <li>{@code GET /v1/feature-log/{request_id}/reproduce}: its features recomputed as of the time they held at, with
 *       the registry version that served them ({@code ?registry_version=N} for another), value by value;</li>
 *   <li>{@code POST /v1/feature-log/skew}: a sample of a service's logs reproduced, the match rate per feature;</li>
 *   <li>{@code POST /v1/outcomes}: outcomes stored once per (request id, label), answering matched and unmatched;</li>
 *   <li>{@code GET /v1/feature-log}: a service's logs over a time range as Parquet or CSV;</li>
 *   <li>{@code POST /v1/feature-log/training-sets} and its job: a training set from what was served.</li>
 * </ul>
 */
public final class FeedbackRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Most outcomes one request may carry. */
    public static final int MAX_OUTCOMES = 10_000;
    public static final int MAX_SAMPLE = 10_000;
    private static final Set<String> SKEW_KEYS = Set.of("service", "from", "to", "sample");
    private static final Set<String> TRAINING_KEYS = Set.of("service", "label", "from", "to", "format");

    private final Vertx vertx;
    private final Feedback feedback;

    public FeedbackRoutes(Vertx vertx, Feedback feedback) {
        this.vertx = vertx;
        this.feedback = feedback;
    }

    // ---- logs

    public void log(RoutingContext ctx) {
        String id = ctx.pathParam("request_id");
        vertx.executeBlocking(() -> {
            LogRecord l = feedback.log().get(id).orElseThrow(() -> notLogged(id));
            return logJson(l).toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    private static ApiException notLogged(String id) {
        return ApiException.notFound("request_id", "ref.request_id", "request '" + Fields.shorten(id) + "' was not "
            + "logged: it was not a lookup of a feature service with logging, its request id was not sampled, its log is "
            + "not written yet (logs are written within a second), or it is past the service's logging retention");
    }

    private ObjectNode logJson(LogRecord l) {
        Optional<Definitions> served = feedback.log().definitions(l.registryVersion());
        ObjectNode o = JSON.createObjectNode();
        o.put("request_id", l.requestId());
        o.put("service", l.service());
        o.put("registry_version", l.registryVersion());
        o.put("model", l.model().orElse(null));
        o.put("model_version", l.modelVersion().orElse(null));
        o.put("as_of", l.asOf().isPresent() ? Timestamps.format(l.asOf().getAsLong()) : null);
        o.put("served_at", Timestamps.format(l.servedAt()));
        ObjectNode entities = o.putObject("entities");
        for (int k = 0; k < l.joinKeys().size(); k++) {
            ArrayNode a = entities.putArray(l.joinKeys().get(k));
            l.keyValues().get(k).forEach(v -> a.add(JSON.valueToTree(v)));
        }
        ObjectNode features = o.putObject("features");
        for (int f = 0; f < l.features().size(); f++) {
            FeatureRef r = l.features().get(f);
            ColumnType type = served.flatMap(d -> typeOf(d, r)).orElse(null);
            ObjectNode x = features.putObject(r.columnName());
            ArrayNode vs = x.putArray("values");
            ArrayNode st = x.putArray("statuses");
            ArrayNode ts = x.putArray("event_ts");
            for (FeatureValue v : l.values()[f]) {
                vs.add(value(v.value(), type));
                st.add(v.status().name());
                ts.add(v.hasTime() ? JSON.getNodeFactory().textNode(Timestamps.format(v.eventTs()))
                    : JSON.getNodeFactory().nullNode());
            }
        }
        return o;
    }

    private static Optional<ColumnType> typeOf(Definitions d, FeatureRef r) {
        return d.featureView(r.view()).flatMap(v -> v.feature(r.feature())).isPresent()
            ? Optional.of(OnlineLookup.outputType(d, r)) : Optional.empty();
    }

    /** A value as lookups write it: timestamps ISO-8601, non-finite doubles as text. */
    private static JsonNode value(Object v, ColumnType type) {
        var f = JSON.getNodeFactory();
        if (v == null) {
            return f.nullNode();
        }
        if (type == ColumnType.TIMESTAMP && v instanceof Long l) {
            return f.textNode(Timestamps.format(l));
        }
        if (v instanceof Double d && !Double.isFinite(d)) {
            return f.textNode(d.toString());
        }
        return JSON.valueToTree(v);
    }

    // ---- reproduce and skew

    public void reproduce(RoutingContext ctx) {
        String id = ctx.pathParam("request_id");
        String v = Fields.param(ctx.queryParams(), "registry_version");
        OptionalLong version = OptionalLong.empty();
        if (v != null && !v.isEmpty()) {
            try {
                version = OptionalLong.of(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                throw ApiException.invalid("registry_version", "range", "registry_version must be a whole number, got '"
                    + Fields.shorten(v) + "'");
            }
            if (version.getAsLong() < 1) {
                throw ApiException.invalid("registry_version", "range", "registry_version must be 1 or more, got "
                    + version.getAsLong());
            }
        }
        OptionalLong chosen = version;
        vertx.executeBlocking(() -> {
            Reproducer.Reproduced r = feedback.reproducer().reproduce(id, chosen).orElseThrow(() -> notLogged(id));
            return reproducedJson(r).toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    private ObjectNode reproducedJson(Reproducer.Reproduced r) {
        LogRecord l = r.log();
        Optional<Definitions> used = feedback.log().definitions(r.registryVersion());
        ObjectNode o = JSON.createObjectNode();
        o.put("request_id", l.requestId());
        o.put("service", l.service());
        o.put("match", r.match());
        o.put("registry_version", r.registryVersion());
        o.put("logged_registry_version", l.registryVersion());
        o.put("as_of", Timestamps.format(r.at()));
        o.put("served_at", Timestamps.format(l.servedAt()));
        ArrayNode diffs = o.putArray("diffs");
        for (Reproduction.Diff d : r.diffs()) {
            FeatureRef f = l.features().get(d.feature());
            ColumnType type = used.flatMap(x -> typeOf(x, f)).orElse(null);
            ObjectNode x = diffs.addObject();
            x.put("feature", f.columnName());
            x.put("feature_ref", f.qualified());
            ObjectNode entity = x.putObject("entity");
            List<Object> keys = l.entity(d.entity());
            for (int k = 0; k < keys.size(); k++) {
                entity.set(l.joinKeys().get(k), JSON.valueToTree(keys.get(k)));
            }
            x.set("logged", value(d.logged().value(), type));
            x.set("recomputed", value(d.recomputed().value(), type));
            x.put("logged_status", d.logged().status().name());
            x.put("recomputed_status", d.recomputed().status().name());
            x.put("logged_event_ts", d.logged().hasTime() ? Timestamps.format(d.logged().eventTs()) : null);
            x.put("recomputed_event_ts", d.recomputed().hasTime() ? Timestamps.format(d.recomputed().eventTs()) : null);
            x.put("cause", d.cause().spelling());
        }
        return o;
    }

    public void skew(RoutingContext ctx) {
        JsonNode b = Fields.object(Bodies.json(ctx), SKEW_KEYS);
        String service = required(Fields.text(b, "service"), "service");
        Long from = Fields.timestamp(b, "from");
        Long to = Fields.timestamp(b, "to");
        long lo = from == null ? Timestamps.MIN : from;
        long hi = to == null ? Timestamps.MAX : to;
        order(lo, hi);
        int sample = (int) Fields.integer(b, "sample", 100, 1, MAX_SAMPLE);
        vertx.executeBlocking(() -> {
            Reproducer.Skew s = feedback.reproducer().skew(service, lo, hi, sample);
            ObjectNode o = JSON.createObjectNode();
            o.put("service", s.service());
            o.put("from", Timestamps.format(s.from()));
            o.put("to", Timestamps.format(s.to()));
            o.put("sampled", s.sampled());
            o.put("matched", s.matchedRequests());
            o.put("match_rate", s.matchRate());
            ArrayNode fs = o.putArray("features");
            for (Reproducer.FeatureSkew f : s.features()) {
                ObjectNode x = fs.addObject();
                x.put("feature", f.feature().columnName());
                x.put("compared", f.compared());
                x.put("matched", f.matched());
                x.put("match_rate", f.matchRate());
                ObjectNode causes = x.putObject("causes");
                f.causes().forEach((c, n) -> causes.put(c.spelling(), n));
            }
            ArrayNode m = o.putArray("mismatched_requests");
            s.mismatchedRequests().forEach(m::add);
            return o.toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    // ---- outcomes

    public void outcomes(RoutingContext ctx) {
        JsonNode body = Bodies.json(ctx);
        if (!body.isArray()) {
            throw ApiException.invalid("$", "type.list", "send a JSON list of outcomes: [{\"request_id\": ..., \"label\": "
                + "..., \"value\": ..., \"outcome_ts\": ...}, ...]");
        }
        if (body.size() > MAX_OUTCOMES) {
            throw ApiException.invalid("$", "max_outcomes", "at most " + MAX_OUTCOMES + " outcomes per request, got "
                + body.size());
        }
        List<Outcome> list = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            list.add(Outcome.parse(body.get(i), "[" + i + "]."));
        }
        vertx.executeBlocking(() -> {
            Outcomes.Result r = feedback.outcomes().record(list);
            ObjectNode o = JSON.createObjectNode();
            o.put("matched", r.matched());
            o.put("unmatched", r.unmatched());
            o.put("stored", r.stored());
            o.put("already_stored", r.alreadyStored());
            o.put("duplicates", r.duplicates());
            return o.toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    // ---- files: export and training sets

    public void export(RoutingContext ctx) {
        var q = ctx.queryParams();
        String service = required(Fields.param(q, "service"), "service");
        long from = Fields.timeParam(q, "from", Timestamps.MIN);
        long to = Fields.timeParam(q, "to", Timestamps.MAX);
        order(from, to);
        TrainingFiles.Format format = format(Fields.param(q, "format"), "format", TrainingFiles.Format.PARQUET);
        vertx.executeBlocking(() -> {
            Path tmp = Files.createTempFile("hearth-log-export-", extension(format));
            Files.delete(tmp);
            try {
                feedback.export().write(service, from, to, format, tmp);
            } catch (java.io.IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return tmp;
        }, false).onSuccess(tmp -> sendFile(ctx, tmp, service + "-log", format, true)).onFailure(ctx::fail);
    }

    public void createTrainingSet(RoutingContext ctx) {
        JsonNode b = Fields.object(Bodies.json(ctx), TRAINING_KEYS);
        String service = required(Fields.text(b, "service"), "service");
        String label = required(Fields.text(b, "label"), "label");
        Long from = Fields.timestamp(b, "from");
        Long to = Fields.timestamp(b, "to");
        long lo = from == null ? Timestamps.MIN : from;
        long hi = to == null ? Timestamps.MAX : to;
        order(lo, hi);
        TrainingFiles.Format format = format(Fields.text(b, "format"), "format", TrainingFiles.Format.PARQUET);
        vertx.executeBlocking(() -> {
            LogTrainingJobs.Job job = feedback.trainingJobs().submit(new LogTrainingSets.Request(service, label, lo, hi),
                format);
            return jobJson(job).toString();
        }, false).onSuccess(s -> json(ctx, 202, s)).onFailure(ctx::fail);
    }

    public void trainingSet(RoutingContext ctx) {
        json(ctx, 200, jobJson(job(ctx)).toString());
    }

    public void trainingSetData(RoutingContext ctx) {
        LogTrainingJobs.Job job = job(ctx);
        if (job.state() != LogTrainingJobs.State.SUCCEEDED || job.file().isEmpty()) {
            throw new ApiException(ErrorCode.CONFLICT, "id", "job.state", "training set " + job.id + " is "
                + job.state() + "; its file is there once it SUCCEEDED");
        }
        sendFile(ctx, job.file().get(), job.request.service() + "-" + job.request.label(), job.format, false);
    }

    private LogTrainingJobs.Job job(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        return feedback.trainingJobs().get(id).orElseThrow(() -> ApiException.notFound("id", "ref.training_set",
            "no training-set-from-logs job '" + Fields.shorten(id) + "' on this gateway"));
    }

    private static ObjectNode jobJson(LogTrainingJobs.Job job) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", job.id);
        o.put("status", job.state().name());
        o.put("service", job.request.service());
        o.put("label", job.request.label());
        o.put("from", Timestamps.format(job.request.from()));
        o.put("to", Timestamps.format(job.request.to()));
        o.put("format", job.format.name().toLowerCase(Locale.ROOT));
        o.put("submitted_at", Timestamps.format(job.submittedAt));
        o.put("logs_read", job.logsRead.get());
        if (job.finishedAt() > 0) {
            o.put("elapsed_ms", job.finishedAt() - job.submittedAt);
        }
        job.result().ifPresent(r -> {
            o.put("rows", r.rows());
            o.put("requests", r.requests());
            o.put("labeled", r.labeled());
            o.put("leakage", r.leakage());
            o.put("unlabeled", r.unlabeled());
            ArrayNode cols = o.putArray("columns");
            r.columns().forEach(cols::add);
        });
        job.error().ifPresent(e -> o.put("error", e));
        ObjectNode links = o.putObject("links");
        links.put("self", "/v1/feature-log/training-sets/" + job.id);
        links.put("data", "/v1/feature-log/training-sets/" + job.id + "/data");
        return o;
    }

    // ---- helpers

    private static String required(String v, String field) {
        if (v == null || v.isEmpty()) {
            throw ApiException.invalid(field, "required", field + " is required");
        }
        return v;
    }

    private static void order(long from, long to) {
        if (from > to) {
            throw ApiException.invalid("from", "range.order", "from (" + Timestamps.format(from) + ") is after to ("
                + Timestamps.format(to) + ")");
        }
    }

    private static TrainingFiles.Format format(String f, String field, TrainingFiles.Format dflt) {
        if (f == null || f.isEmpty()) {
            return dflt;
        }
        return switch (f.toLowerCase(Locale.ROOT)) {
            case "csv" -> TrainingFiles.Format.CSV;
            case "parquet" -> TrainingFiles.Format.PARQUET;
            default -> throw ApiException.invalid(field, "format.unknown", field + " must be csv or parquet, got '"
                + Fields.shorten(f) + "'");
        };
    }

    private static String extension(TrainingFiles.Format f) {
        return f == TrainingFiles.Format.CSV ? ".csv" : ".parquet";
    }

    private static void sendFile(RoutingContext ctx, Path file, String name, TrainingFiles.Format format, boolean delete) {
        ctx.response().putHeader("Content-Type", format == TrainingFiles.Format.CSV ? "text/csv"
                : "application/vnd.apache.parquet")
            .putHeader("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_")
                + extension(format) + "\"")
            .sendFile(file.toString()).onComplete(v -> {
                if (delete) {
                    file.toFile().delete();
                }
            });
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}

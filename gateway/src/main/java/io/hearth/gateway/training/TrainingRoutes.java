package io.hearth.gateway.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
import io.hearth.catalog.Source;
import io.hearth.compute.time.Timestamps;
import io.hearth.compute.training.Spine;
import io.hearth.compute.training.SpineException;
import io.hearth.formats.Csv;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Bodies;
import io.hearth.catalog.ErrorCode;
import io.hearth.gateway.http.Fields;
import io.hearth.node.training.TrainingSets;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Training sets over HTTP. {@code POST /v1/training-sets} takes a spine as CSV (options in the query) or names
 * a SQL table holding it (JSON body), checks everything it can before any work, and answers 202 with a job;
 * {@code GET /v1/training-sets/{id}} shows progress and, when done, the table and null counts;
 * {@code GET /v1/training-sets/{id}/data?format=csv|parquet} downloads the rows in spine order.
 */
public final class TrainingRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Spines are held in memory while they are joined. */
    public static final long MAX_SPINE_BYTES = 512L << 20;
    private static final java.util.Set<String> JSON_KEYS = java.util.Set.of("name", "features", "feature_service",
        "timestamp_column", "replace", "spine_table", "file", "validate", "strict");

    private final Vertx vertx;
    private final TrainingJobs jobs;

    public TrainingRoutes(Vertx vertx, TrainingJobs jobs) {
        this.vertx = vertx;
        this.jobs = jobs;
    }

    /** Options of a request, from the query (CSV upload) or the JSON body. */
    private record Options(String name, String features, String service, String timestampColumn, boolean replace,
                           String spineTable, TrainingExport.Format file, TrainingJobs.Validation validation) {
    }

    private static TrainingExport.Format fileFormat(String f) {
        if (f == null || f.isEmpty()) {
            return null;
        }
        return switch (f.toLowerCase(Locale.ROOT)) {
            case "csv" -> TrainingExport.Format.CSV;
            case "parquet" -> TrainingExport.Format.PARQUET;
            default -> throw ApiException.invalid("file", "format.unknown", "file must be csv or parquet, got '" + f + "'");
        };
    }

    public void create(RoutingContext ctx) {
        String type = Bodies.mediaType(ctx.request().getHeader("Content-Type"));
        Options o;
        if (type.equals("text/csv")) {
            var q = ctx.queryParams();
            o = new Options(Fields.param(q, "name"), Fields.param(q, "features"), Fields.param(q, "feature_service"),
                Fields.param(q, "timestamp_column"), Fields.boolParam(q, "replace", false), null,
                fileFormat(Fields.param(q, "file")), new TrainingJobs.Validation(Fields.boolParam(q, "validate", false),
                    Fields.boolParam(q, "strict", false)));
        } else if (type.equals("application/json")) {
            JsonNode b = Fields.object(Bodies.json(ctx), JSON_KEYS);
            List<String> fs = Fields.texts(b, "features");
            o = new Options(Fields.text(b, "name"), fs == null ? null : String.join(",", fs), Fields.text(b, "feature_service"),
                Fields.text(b, "timestamp_column"), Fields.bool(b, "replace", false), Fields.text(b, "spine_table"),
                fileFormat(Fields.text(b, "file")), new TrainingJobs.Validation(Fields.bool(b, "validate", false),
                    Fields.bool(b, "strict", false)));
            if (o.spineTable() == null) {
                throw ApiException.invalid("spine_table", "required", "give spine_table (a SQL table), or upload the spine "
                    + "as text/csv");
            }
        } else {
            throw ApiException.unsupportedMediaType(type.isEmpty() ? "(none)" : type,
                "text/csv (the spine, options in the query) or application/json (with spine_table)");
        }
        byte[] csv = type.equals("text/csv") && ctx.body().buffer() != null ? ctx.body().buffer().getBytes() : null;
        String by = io.hearth.gateway.http.Callers.identity(ctx);
        vertx.executeBlocking(() -> {
            TrainingSets sets = jobs.sets();
            List<FeatureRef> refs = features(o, sets);
            TrainingSets.Checked checked = sets.check(o.name(), refs);
            if (o.file() == null && !o.replace() && sets.exists(o.name())) {
                throw new ApiException(ErrorCode.CONFLICT, "name", "name.exists", "training set '" + o.name()
                    + "' exists; choose another name or set replace=true");
            }
            Source keySource = checked.features().get(0).source();
            String ts = o.timestampColumn() == null ? "event_ts" : o.timestampColumn();
            Spine spine = o.spineTable() != null ? sets.spineFromTable(o.spineTable(), checked, ts)
                : fromCsv(csv, checked, keySource, ts);
            TrainingJobs.Job job = jobs.submit(checked, spine, o.replace(), o.file(), csv,
                new TrainingJobs.RunInfo(o.service(), describe(spine, o.spineTable()), by), o.validation());
            return status(job).toString();
        }, false).onSuccess(s -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(s))
            .onFailure(ctx::fail);
    }

    /** The spine as lineage describes it: "CSV upload: 3 rows (customer_id, event_ts, churned)", or its table. */
    static String describe(Spine spine, String table) {
        List<String> cols = spine.columns();
        String shown = cols.size() <= 10 ? String.join(", ", cols)
            : String.join(", ", cols.subList(0, 10)) + ", ... " + (cols.size() - 10) + " more";
        return (table != null ? "SQL table " + table : "CSV upload") + ": " + spine.size()
            + (spine.size() == 1 ? " row" : " rows") + " (" + shown + ")";
    }

    private static List<FeatureRef> features(Options o, TrainingSets sets) {
        if (o.features() != null && o.service() != null) {
            throw ApiException.invalid("feature_service", "exclusive", "give either features or feature_service, not both");
        }
        if (o.service() != null) {
            Definitions d = sets.definitions();
            return d.featureService(o.service()).map(FeatureService::features).orElseThrow(() ->
                ApiException.invalid("feature_service", "ref.feature_service", Definitions.unknown("feature service",
                    o.service(), d.serviceNames())));
        }
        if (o.features() == null || o.features().isBlank()) {
            throw ApiException.invalid("features", "required", "give features=view:feature,... or feature_service");
        }
        List<FeatureRef> refs = new ArrayList<>();
        for (String f : o.features().split(",")) {
            FeatureRef r = FeatureRef.parse(f.trim());
            if (r == null) {
                throw ApiException.invalid("features", "feature_ref.syntax", "expected 'view:feature', got '" + f.trim() + "'");
            }
            refs.add(r);
        }
        return refs;
    }

    private static Spine fromCsv(byte[] csv, TrainingSets.Checked c, Source keySource, String ts) throws IOException {
        if (csv == null || csv.length == 0) {
            throw new SpineException("spine", "spine.empty", "the spine is empty: send a CSV with a header");
        }
        MappingIterator<String[]> it = null;
        try {
            it = Csv.rows(csv);
            List<String> header = Arrays.asList(it.next());
            return Spine.fromText(header, it, c.entity(), keySource, ts);
        } catch (com.fasterxml.jackson.databind.RuntimeJsonMappingException | java.io.UncheckedIOException e) {
            var loc = it == null ? null : it.getCurrentLocation();
            throw new SpineException("spine", "csv.syntax", "the spine is not valid CSV near line "
                + (loc == null ? "1" : loc.getLineNr()) + ": " + Csv.reason(e));
        }
    }

    /** {@code GET /v1/training-sets}: the jobs this gateway runs or ran (kept a day after they end), newest first. */
    public void list(RoutingContext ctx) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode arr = o.putArray("jobs");
        jobs.list().forEach(j -> arr.add(status(j)));
        ctx.response().putHeader("Content-Type", "application/json").end(o.toString());
    }

    public void get(RoutingContext ctx) {
        TrainingJobs.Job job = job(ctx);
        ctx.response().putHeader("Content-Type", "application/json").end(status(job).toString());
    }

    public void data(RoutingContext ctx) {
        TrainingJobs.Job job = job(ctx);
        String f = Fields.param(ctx.queryParams(), "format");
        TrainingExport.Format format;
        if (f == null || f.equalsIgnoreCase("csv")) {
            format = TrainingExport.Format.CSV;
        } else if (f.equalsIgnoreCase("parquet")) {
            format = TrainingExport.Format.PARQUET;
        } else {
            throw ApiException.invalid("format", "format.unknown", "format must be csv or parquet, got '" + f + "'");
        }
        if (job.state() == TrainingJobs.State.SUCCEEDED && job.file() != null) {
            if (job.fileFormat() != format) {
                throw new ApiException(ErrorCode.CONFLICT, "format", "job.format", "this job computed a "
                    + job.fileFormat().name().toLowerCase(Locale.ROOT) + " file only (no table); ask for that format");
            }
            ctx.response().putHeader("Content-Type", format == TrainingExport.Format.CSV ? "text/csv"
                : "application/vnd.apache.parquet")
                .putHeader("Content-Disposition", "attachment; filename=\"" + job.name + "."
                    + format.name().toLowerCase(Locale.ROOT) + "\"")
                .sendFile(job.file().toString()).onFailure(ctx::fail);
            return;
        }
        if (job.state() != TrainingJobs.State.SUCCEEDED) {
            throw new ApiException(ErrorCode.CONFLICT, "id", "job.state", "training set " + job.name + " is "
                + job.state() + "; data is there once it SUCCEEDED");
        }
        vertx.executeBlocking(() -> {
            Path tmp = Files.createTempFile("hearth-" + job.name, format == TrainingExport.Format.CSV ? ".csv" : ".parquet");
            Files.delete(tmp); // writers create the file themselves
            try (var spineText = job.spineFile() == null ? null
                    : Csv.rows(Files.newBufferedReader(job.spineFile(), java.nio.charset.StandardCharsets.UTF_8))) {
                TrainingExport.write(jobs.sets(), job.outcome(), format, tmp, spineText);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return tmp;
        }, false).onSuccess(tmp -> {
            String ext = format == TrainingExport.Format.CSV ? "csv" : "parquet";
            ctx.response().putHeader("Content-Type", format == TrainingExport.Format.CSV ? "text/csv"
                : "application/vnd.apache.parquet")
                .putHeader("Content-Disposition", "attachment; filename=\"" + job.name + "." + ext + "\"")
                .sendFile(tmp.toString()).onComplete(v -> tmp.toFile().delete());
        }).onFailure(ctx::fail);
    }

    private TrainingJobs.Job job(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        return jobs.get(id).orElseThrow(() -> ApiException.notFound("id", "ref.training_set", "no training-set job '" + id
            + "' on this gateway"));
    }

    static ObjectNode status(TrainingJobs.Job job) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", job.id);
        o.put("name", job.name);
        o.put("status", job.state().name());
        o.put("rows", job.rows);
        o.put("rows_done", job.state() == TrainingJobs.State.SUCCEEDED ? job.rows : job.rowsDone.get());
        o.put("submitted_at", Timestamps.format(job.submittedAt));
        if (job.finishedAt() > 0) {
            o.put("elapsed_ms", job.finishedAt() - job.submittedAt);
        }
        TrainingSets.Outcome out = job.outcome();
        if (out != null) {
            if (out.table() != null) {
                o.put("table", out.table());
            }
            ArrayNode cols = o.putArray("columns");
            out.columns().forEach(cols::add);
            ObjectNode nulls = o.putObject("features");
            for (TrainingSets.FeatureStats s : out.features()) {
                nulls.putObject(s.column()).put("present", s.present()).put("null_value", s.nullValue())
                    .put("not_found", s.notFound()).put("outside_max_age", s.outsideMaxAge());
            }
        }
        if (job.error() != null) {
            o.put("error", job.errorText());
        }
        if (job.quality() != null) {
            ObjectNode q = o.putObject("quality");
            q.put("judged", job.quality().size());
            q.put("failed", job.quality().stream().filter(r -> !r.success()).count());
            q.put("blocking", job.quality().stream().filter(io.hearth.quality.QualityResult::blocks).count());
            ArrayNode rs = q.putArray("results");
            job.quality().forEach(r -> rs.add(io.hearth.gateway.quality.QualityRoutes.json(r)));
        }
        ObjectNode links = o.putObject("links");
        links.put("self", "/v1/training-sets/" + job.id);
        links.put("csv", "/v1/training-sets/" + job.id + "/data?format=csv");
        links.put("parquet", "/v1/training-sets/" + job.id + "/data?format=parquet");
        return o;
    }
}

package io.hearth.gateway.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.lineage.BackfillRun;
import io.hearth.gateway.catalog.CatalogRoutes;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Bodies;
import io.hearth.gateway.http.Callers;
import io.hearth.gateway.http.Fields;
import io.hearth.node.store.RegistryStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Back-fill runs: the client that reads files into a source ({@code hearth ingest}) says when it starts
 * ({@code POST /v1/backfills} with the source and the files, answered with a run id) and when it ends
 * ({@code POST /v1/backfills/{id}/end} with the outcome and what the gateway counted); {@code GET /v1/backfills/{id}}
 * shows one. Only the client knows where a back-fill starts and ends: the gateway sees batches of rows under a file's
 * idempotency key, not files. Each start and end is recorded in the cluster (lineage shows the files feeding the
 * source) and sent as an OpenLineage event.
 */
public final class BackfillRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> START = Set.of("source", "files");
    private static final Set<String> END = Set.of("status", "files", "stored", "already_stored", "rejected", "error");
    private static final Set<String> FILE = Set.of("name", "hash", "rows");
    static final int MAX_FILES = 10_000;
    static final int MAX_TEXT = 1_000;

    private final Vertx vertx;
    private final RegistryStore registry;
    private final RunLineage runs;
    private final Clock clock;

    public BackfillRoutes(Vertx vertx, RegistryStore registry, RunLineage runs, Clock clock) {
        this.vertx = vertx;
        this.registry = registry;
        this.runs = runs;
        this.clock = clock;
    }

    public void start(RoutingContext ctx) {
        JsonNode body = Fields.object(Bodies.json(ctx), START);
        String source = Fields.text(body, "source");
        if (source == null || source.isEmpty()) {
            throw ApiException.invalid("source", "required", "source names the source the files go into");
        }
        List<BackfillRun.BackfillFile> files = files(body, true);
        String by = Callers.identity(ctx);
        vertx.executeBlocking(() -> {
            Definitions d = registry.definitions();
            if (d.source(source).isEmpty()) {
                throw ApiException.invalid("source", "ref.source", Definitions.unknown("source", source, d.sourceNames()));
            }
            BackfillRun run = new BackfillRun(UUID.randomUUID().toString(), source, files, clock.millis(), 0,
                BackfillRun.RUNNING, 0, 0, 0, null, by);
            runs.backfillStarted(run, d);
            return CatalogRoutes.backfill(JSON.createObjectNode(), run).toString();
        }, false).onSuccess(s -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(s))
            .onFailure(ctx::fail);
    }

    public void end(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        JsonNode body = Fields.object(Bodies.json(ctx), END);
        String status = Fields.text(body, "status");
        if (!BackfillRun.COMPLETE.equals(status) && !BackfillRun.FAIL.equals(status)) {
            throw ApiException.invalid("status", "enum", "status must be COMPLETE or FAIL, got "
                + (status == null ? "nothing" : "'" + Fields.shorten(status) + "'"));
        }
        List<BackfillRun.BackfillFile> files = body.has("files") && !body.get("files").isNull() ? files(body, false)
            : List.of();
        long stored = Fields.integer(body, "stored", 0, 0, Long.MAX_VALUE);
        long already = Fields.integer(body, "already_stored", 0, 0, Long.MAX_VALUE);
        long rejected = Fields.integer(body, "rejected", 0, 0, Long.MAX_VALUE);
        String error = text(body, "error");
        vertx.executeBlocking(() -> {
            Definitions d = registry.definitions();
            BackfillRun run = runs.backfillEnded(id, r -> {
                if (!r.running()) {
                    throw new ApiException(ErrorCode.CONFLICT, "id", "run.ended", "back-fill run " + id + " already "
                        + "ended " + r.status());
                }
                return r.ended(status, clock.millis(), files, stored, already, rejected, error);
            }, d).orElseThrow(() -> notFound(id));
            return CatalogRoutes.backfill(JSON.createObjectNode(), run).toString();
        }, false).onSuccess(s -> ctx.response().putHeader("Content-Type", "application/json").end(s)).onFailure(ctx::fail);
    }

    public void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        vertx.executeBlocking(() -> CatalogRoutes.backfill(JSON.createObjectNode(), runs.store().backfill(id)
            .orElseThrow(() -> notFound(id))).toString(), false)
            .onSuccess(s -> ctx.response().putHeader("Content-Type", "application/json").end(s)).onFailure(ctx::fail);
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("id", "ref.backfill", "no back-fill run '" + Fields.shorten(id) + "'");
    }

    /** The files of a request: each {name, hash?, rows?}; a name is cut to its last path segment. */
    private static List<BackfillRun.BackfillFile> files(JsonNode body, boolean required) {
        JsonNode a = body.get("files");
        if (a == null || a.isNull() || !a.isArray() || a.isEmpty() && required) {
            throw ApiException.invalid("files", required ? "required" : "type.list", "files must be a non-empty list of "
                + "{\"name\": ..., \"hash\": ..., \"rows\": ...}");
        }
        if (a.size() > MAX_FILES) {
            throw ApiException.invalid("files", "range", "at most " + MAX_FILES + " files per back-fill, got " + a.size());
        }
        List<BackfillRun.BackfillFile> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String field = "files[" + i + "]";
            JsonNode f = a.get(i);
            if (!f.isObject()) {
                throw ApiException.invalid(field, "type.object", field + " must be an object with a name");
            }
            for (var it = f.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!FILE.contains(k)) {
                    throw ApiException.invalid(field + "." + Fields.shorten(k), "key.unknown", "unknown field '"
                        + Fields.shorten(k) + "' in " + field + " (allowed: hash, name, rows)");
                }
            }
            String name = text(f, "name", field + ".name");
            if (name == null || name.isBlank()) {
                throw ApiException.invalid(field + ".name", "required", field + ".name is required");
            }
            String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
            if (base.isBlank()) {
                throw ApiException.invalid(field + ".name", "file.name", field + ".name must end with a file name, got '"
                    + Fields.shorten(name) + "'");
            }
            JsonNode rows = f.get("rows");
            if (rows != null && !rows.isNull() && (!rows.isIntegralNumber() || !rows.canConvertToLong() || rows.asLong() < 0)) {
                throw ApiException.invalid(field + ".rows", "range", field + ".rows must be a whole number from 0");
            }
            out.add(new BackfillRun.BackfillFile(base, text(f, "hash", field + ".hash"),
                rows == null || rows.isNull() ? 0 : rows.asLong()));
        }
        return out;
    }

    private static String text(JsonNode body, String field) {
        return text(body, field, field);
    }

    private static String text(JsonNode obj, String key, String field) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid(field, "type.string", field + " must be a string");
        }
        if (v.asText().length() > MAX_TEXT) {
            throw ApiException.invalid(field, "length", field + " must be at most " + MAX_TEXT + " characters");
        }
        return v.asText();
    }
}

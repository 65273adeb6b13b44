package io.hearth.gateway.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.CanonicalForm;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.compute.time.Timestamps;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Bodies;
import io.hearth.gateway.http.Fields;
import io.hearth.node.store.RegistryStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The registry over HTTP: {@code GET /v1/registry} (current version), {@code PUT /v1/registry} (apply YAML or
 * the JSON that GET returns; a change that breaks a source's schema or contract, or a breaking change reaching a
 * model in use, is a 409 unless {@code force=true}),
 * {@code POST /v1/registry/plan} (the diff and what lies downstream, nothing stored),
 * {@code GET /v1/registry/versions[/{n}]}.
 */
public final class RegistryRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
        "application/json");

    private final Vertx vertx;
    private final RegistryStore registry;

    public RegistryRoutes(Vertx vertx, RegistryStore registry) {
        this.vertx = vertx;
        this.registry = registry;
    }

    public void get(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            ObjectNode o = JSON.createObjectNode();
            var cur = registry.current();
            o.put("version", cur.map(RegistryStore.Version::version).orElse(0L));
            cur.ifPresent(v -> o.put("applied_at", Timestamps.format(v.appliedAtMillis())));
            o.set("definitions", JSON.valueToTree(CanonicalForm.tree(cur.map(RegistryStore.Version::definitions)
                .orElse(Definitions.empty()))));
            return o.toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    public void versions(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            ArrayNode a = JSON.createArrayNode();
            for (long[] v : registry.history()) {
                a.addObject().put("version", v[0]).put("applied_at", Timestamps.format(v[1]));
            }
            return JSON.createObjectNode().set("versions", a).toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    public void version(RoutingContext ctx) {
        long n;
        try {
            n = Long.parseLong(ctx.pathParam("version"));
        } catch (NumberFormatException e) {
            throw ApiException.invalid("version", "type.integer", "version must be a whole number, got '"
                + ctx.pathParam("version") + "'");
        }
        vertx.executeBlocking(() -> {
            RegistryStore.Version v = registry.load(n).orElseThrow(() -> ApiException.notFound("version", "ref.version",
                "registry version " + n + " does not exist"));
            ObjectNode o = JSON.createObjectNode();
            o.put("version", v.version());
            o.put("applied_at", Timestamps.format(v.appliedAtMillis()));
            o.set("definitions", JSON.valueToTree(CanonicalForm.tree(v.definitions())));
            return o.toString();
        }, false).onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    public void apply(RoutingContext ctx) {
        boolean force = Fields.boolParam(ctx.queryParams(), "force", false);
        Definitions next = DefinitionsParser.parse(file(ctx), text(ctx, "definitions"));
        vertx.executeBlocking(() -> applied(registry.apply(next, force)).toString(), false)
            .onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    public void plan(RoutingContext ctx) {
        Definitions next = DefinitionsParser.parse(file(ctx), text(ctx, "definitions"));
        vertx.executeBlocking(() -> PlanJson.of(registry.impact(next)).toString(), false)
            .onSuccess(s -> json(ctx, 200, s)).onFailure(ctx::fail);
    }

    /** The answer to an apply: the version now current, whether it is new, and the plan that led to it. */
    static ObjectNode applied(RegistryStore.ApplyResult r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", r.version().version());
        o.put("changed", r.changed());
        o.set("plan", PlanJson.of(r.impact()));
        return o;
    }

    private static String file(RoutingContext ctx) {
        String file = Fields.param(ctx.queryParams(), "file");
        return file == null ? "request" : file;
    }

    /** The body of a YAML or JSON request, after checking its media type and that it is not empty. */
    static String text(RoutingContext ctx, String what) {
        String type = Bodies.mediaType(ctx.request().getHeader("Content-Type"));
        if (!TYPES.contains(type)) {
            throw ApiException.unsupportedMediaType(type.isEmpty() ? "(none)" : type, "application/yaml or application/json");
        }
        if (ctx.body().buffer() == null || ctx.body().length() == 0) {
            throw ApiException.invalid("$", "required", "request body is empty; send " + what + " as YAML or JSON");
        }
        return ctx.body().buffer().toString(StandardCharsets.UTF_8);
    }

    static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}

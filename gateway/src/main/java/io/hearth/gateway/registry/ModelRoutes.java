package io.hearth.gateway.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.CanonicalForm;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.Model;
import io.hearth.gateway.http.Bodies;
import io.hearth.gateway.http.Fields;
import io.hearth.node.store.RegistryStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * Models over HTTP. {@code POST /v1/models} registers one model (or replaces the model of its name): the current
 * definitions plus that model become the registry's next version, read and stored in one transaction, refused like
 * any apply when a breaking change reaches a model in use (unless {@code force=true}). {@code GET /v1/models} lists
 * the models of the current version. A model is part of the definitions: an apply of files that leave it out removes
 * it (the plan says so).
 */
public final class ModelRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final RegistryStore registry;

    public ModelRoutes(Vertx vertx, RegistryStore registry) {
        this.vertx = vertx;
        this.registry = registry;
    }

    public void list(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            var cur = registry.current();
            ObjectNode o = JSON.createObjectNode();
            o.put("registry_version", cur.map(RegistryStore.Version::version).orElse(0L));
            ArrayNode models = o.putArray("models");
            for (Model m : cur.map(RegistryStore.Version::definitions).orElse(Definitions.empty()).models()) {
                models.add(JSON.valueToTree(CanonicalForm.model(m)));
            }
            return o.toString();
        }, false).onSuccess(s -> RegistryRoutes.json(ctx, 200, s)).onFailure(ctx::fail);
    }

    public void register(RoutingContext ctx) {
        boolean force = Fields.boolParam(ctx.queryParams(), "force", false);
        String text = RegistryRoutes.text(ctx, "the model");
        if (Bodies.mediaType(ctx.request().getHeader("Content-Type")).equals("application/json")) {
            Bodies.parse(text.getBytes(StandardCharsets.UTF_8)); // malformed JSON answers as on every JSON endpoint
        }
        vertx.executeBlocking(() -> {
            Model[] registered = new Model[1];
            RegistryStore.ApplyResult r = registry.update(current -> {
                registered[0] = DefinitionsParser.model(current, "request", text);
                return current.withModel(registered[0]);
            }, force);
            ObjectNode o = RegistryRoutes.applied(r);
            o.set("model", JSON.valueToTree(CanonicalForm.model(registered[0])));
            return o.toString();
        }, false).onSuccess(s -> RegistryRoutes.json(ctx, 200, s)).onFailure(ctx::fail);
    }
}

package io.hearth.gateway.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.lineage.Edge;
import io.hearth.catalog.lineage.LineageGraph;
import io.hearth.catalog.lineage.Node;
import io.hearth.catalog.lineage.NodeId;
import io.hearth.gateway.catalog.CatalogSearch;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.Fields;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/lineage/{kind}/{name}?direction=upstream|downstream|both&depth=N}: the part of the lineage graph
 * (definitions and recorded runs) that feeds an object, that it feeds, or both, up to {@code depth} edges away (all of
 * it when not given). Nodes are {@code {id, kind, name, ...attributes}}, edges {@code {from, to, relation,
 * ...attributes}}, ids {@code kind:name}.
 */
public final class LineageRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The kinds lineage has: the catalog's, topics and files, and the labels the feedback loop saw. */
    static final List<String> KINDS = List.of(NodeId.TOPIC, NodeId.FILE, NodeId.ENTITY, NodeId.SOURCE, NodeId.COLUMN,
        NodeId.VIEW, NodeId.FEATURE, NodeId.SERVICE, NodeId.MODEL, NodeId.TRAINING_SET, "label");
    static final int MAX_DEPTH = 1000;
    private static final Set<String> PARAMS = Set.of("direction", "depth");

    private final Vertx vertx;
    private final CatalogSearch catalog;
    private final java.util.function.UnaryOperator<LineageGraph> runTimeFacts;

    /**
     * @param runTimeFacts adds what was learned while serving to the graph of definitions and recorded runs (the
     *     feedback loop's models seen in lookups and labels of outcomes); read at every request, as the facts change
     *     without a registry version or a recorded run
     */
    public LineageRoutes(Vertx vertx, CatalogSearch catalog, java.util.function.UnaryOperator<LineageGraph> runTimeFacts) {
        this.vertx = vertx;
        this.catalog = catalog;
        this.runTimeFacts = runTimeFacts;
    }

    public void get(RoutingContext ctx) {
        var p = ctx.queryParams();
        Fields.onlyParams(p, PARAMS);
        String kind = ctx.pathParam("kind").toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw ApiException.invalid("kind", "enum", "kind must be one of " + String.join(", ", KINDS) + ", got '"
                + Fields.shorten(ctx.pathParam("kind")) + "'");
        }
        String name = ctx.pathParam("name");
        String d = Fields.param(p, "direction");
        String direction = d == null || d.isEmpty() ? "both" : d.toLowerCase(Locale.ROOT);
        if (!List.of("upstream", "downstream", "both").contains(direction)) {
            throw ApiException.invalid("direction", "enum", "direction must be upstream, downstream or both, got '"
                + Fields.shorten(d) + "'");
        }
        int depth = Fields.intParam(p, "depth", Integer.MAX_VALUE, 0, MAX_DEPTH);
        vertx.executeBlocking(() -> {
            try (CatalogSearch.Snapshot s = catalog.snapshot()) {
                LineageGraph g = runTimeFacts.apply(s.graph());
                String id = NodeId.of(kind, name);
                if (!g.contains(id)) {
                    List<String> known = g.nodes(kind).stream().map(Node::name).toList();
                    throw ApiException.notFound("name", "ref." + kind, Definitions.unknown(kind.replace('_', ' '), name,
                        known));
                }
                LineageGraph part = switch (direction) {
                    case "upstream" -> g.upstream(id, depth);
                    case "downstream" -> g.downstream(id, depth);
                    default -> g.both(id, depth);
                };
                return json(id, direction, depth, s.registryVersion(), part).toString();
            }
        }, false).onSuccess(body -> ctx.response().putHeader("Content-Type", "application/json").end(body))
            .onFailure(ctx::fail);
    }

    static ObjectNode json(String root, String direction, int depth, long version, LineageGraph g) {
        ObjectNode o = JSON.createObjectNode();
        o.put("root", root);
        o.put("direction", direction);
        if (depth == Integer.MAX_VALUE) {
            o.putNull("depth");
        } else {
            o.put("depth", depth);
        }
        o.put("registry_version", version);
        ArrayNode nodes = o.putArray("nodes");
        for (Node n : g.nodes()) {
            ObjectNode x = nodes.addObject().put("id", n.id()).put("kind", n.kind()).put("name", n.name());
            attributes(x, n.attributes());
        }
        ArrayNode edges = o.putArray("edges");
        for (Edge e : g.edges()) {
            ObjectNode x = edges.addObject().put("from", e.from()).put("to", e.to()).put("relation", e.relation());
            attributes(x, e.attributes());
        }
        return o;
    }

    private static void attributes(ObjectNode x, Map<String, Object> attributes) {
        attributes.forEach((k, v) -> {
            if (!x.has(k)) { // an attribute never hides the node's or edge's own fields
                x.set(k, JSON.valueToTree(v));
            }
        });
    }
}

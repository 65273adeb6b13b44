package io.hearth.gateway.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.catalog.Plan;
import io.hearth.catalog.lineage.Downstream;
import io.hearth.catalog.lineage.Impact;
import io.hearth.gateway.http.Problems;
import java.util.List;

/**
 * A plan as the registry endpoints answer it: a summary, every change with its details, breaking reasons, safe marks
 * (schema evolutions that keep stored events readable), whether applying it needs force, and what lies downstream;
 * the breaking changes that reach models in use; and the text a terminal shows.
 */
final class PlanJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanJson() {
    }

    static ObjectNode of(Impact impact) {
        Plan plan = impact.plan();
        ObjectNode o = JSON.createObjectNode();
        ObjectNode summary = o.putObject("summary");
        summary.put("add", plan.count(Plan.Action.ADD));
        summary.put("change", plan.count(Plan.Action.CHANGE));
        summary.put("remove", plan.count(Plan.Action.REMOVE));
        summary.put("breaking", plan.breakingCount());
        summary.put("breaking_in_use", impact.inUse().size());
        summary.put("safe", plan.changes().stream().filter(Plan.Change::isSafe).count());
        summary.put("needs_force", plan.changes().stream().filter(Plan.Change::needsForce).count());
        ArrayNode changes = o.putArray("changes");
        for (Plan.Change c : plan.changes()) {
            ObjectNode n = changes.addObject();
            n.put("kind", c.kind());
            n.put("name", c.name());
            n.put("action", c.action().name().toLowerCase(java.util.Locale.ROOT));
            n.put("breaking", c.isBreaking());
            n.put("safe", c.isSafe());
            n.put("needs_force", c.needsForce());
            strings(n.putArray("details"), c.details());
            strings(n.putArray("breaking_reasons"), c.breaking());
            strings(n.putArray("safe_reasons"), c.safe());
            Downstream d = impact.downstream(c);
            ObjectNode down = n.putObject("downstream");
            strings(down.putArray("features"), d.features());
            strings(down.putArray("services"), d.services());
            strings(down.putArray("models"), d.models());
            strings(down.putArray("training_sets"), d.trainingSets());
        }
        Problems.inUse(o.putArray("in_use"), impact.inUse());
        o.put("text", impact.render());
        return o;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}

package io.hearth.catalog.lineage;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Model;
import io.hearth.catalog.Plan;
import io.hearth.catalog.Plan.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plan read through the lineage of the definitions it changes: for every object changed or removed, what lies
 * downstream of it (features, services, models, training sets), and which breaking changes reach a feature service
 * that a registered model uses ({@link #inUse}), which applying refuses unless forced. Downstream is walked in the
 * current definitions' graph: it is what exists now that the change affects.
 */
public record Impact(Plan plan, Map<Change, Downstream> downstream, List<InUse> inUse) {

    public Impact {
        downstream = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(downstream));
        inUse = List.copyOf(inUse);
    }

    public static Impact none() {
        return new Impact(new Plan(List.of()), Map.of(), List.of());
    }

    /** The impact of going from {@code current} to {@code next}. */
    public static Impact of(Definitions current, Definitions next) {
        return of(current, next, LineageGraph.of(current));
    }

    /** As {@link #of(Definitions, Definitions)}, over a graph of {@code current} that may hold run-time facts. */
    public static Impact of(Definitions current, Definitions next, LineageGraph graph) {
        Plan plan = Plan.between(current, next);
        Map<Change, Downstream> downstream = new LinkedHashMap<>();
        Set<InUse> inUse = new LinkedHashSet<>();
        for (Change c : plan.changes()) {
            String id = nodeId(c.kind(), c.name());
            if (id == null || c.action() == Plan.Action.ADD) {
                continue;
            }
            downstream.put(c, downstreamOf(graph.downstream(id, Integer.MAX_VALUE), id, current));
            for (Plan.Break b : c.breaks()) {
                for (String root : roots(c, b, id)) {
                    for (Node s : graph.downstream(root, Integer.MAX_VALUE).nodes(NodeId.SERVICE)) {
                        for (Model m : current.models()) {
                            if (m.featureService().equals(s.name())) {
                                inUse.add(new InUse(m.name(), s.name(), c.kind(), c.name(), b.reason()));
                            }
                        }
                    }
                }
            }
        }
        return new Impact(plan, downstream, new ArrayList<>(inUse));
    }

    /** What lies downstream of a change; {@link Downstream#NONE} for additions and the project. */
    public Downstream downstream(Change c) {
        return downstream.getOrDefault(c, Downstream.NONE);
    }

    /** The plan as a terminal shows it, with what lies downstream of each change and the breaking changes in use. */
    public String render() {
        String text = plan.render(c -> {
            Downstream d = downstream(c);
            return d.isEmpty() ? List.of() : List.of(d.line());
        });
        if (!inUse.isEmpty()) {
            text += BreakingInUseException.describe(inUse) + "\nApplying refuses this unless forced (--force, force=true).\n";
        }
        return text;
    }

    /** The lineage id of an object a plan names, or null for the project. */
    static String nodeId(String planKind, String name) {
        return switch (planKind) {
            case "entity" -> NodeId.entity(name);
            case "source" -> NodeId.source(name);
            case "feature_view" -> NodeId.view(name);
            case "feature_service" -> NodeId.service(name);
            case "model" -> NodeId.model(name);
            default -> null;
        };
    }

    /** The nodes a breaking reason starts from: the parts it names (columns, features), else the object itself. */
    private static List<String> roots(Change c, Plan.Break b, String id) {
        if (b.parts().isEmpty()) {
            return List.of(id);
        }
        return switch (c.kind()) {
            case "source" -> b.parts().stream().map(p -> NodeId.column(c.name(), p)).toList();
            case "feature_view" -> b.parts().stream().map(p -> NodeId.feature(c.name(), p)).toList();
            default -> List.of(id);
        };
    }

    private static Downstream downstreamOf(LineageGraph below, String start, Definitions current) {
        List<String> features = new ArrayList<>();
        List<String> services = new ArrayList<>();
        List<String> models = new ArrayList<>();
        Set<String> sets = new LinkedHashSet<>();
        for (Node n : below.nodes()) {
            if (n.id().equals(start)) {
                continue;
            }
            switch (n.kind()) {
                case NodeId.FEATURE -> features.add(n.name());
                case NodeId.SERVICE -> services.add(n.name());
                case NodeId.MODEL -> {
                    models.add(n.name());
                    current.model(n.name()).ifPresent(m -> sets.addAll(m.trainingSets()));
                }
                case NodeId.TRAINING_SET -> sets.add(n.name());
                default -> {
                }
            }
        }
        return new Downstream(features, services, models, new ArrayList<>(sets));
    }
}

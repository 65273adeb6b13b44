package io.hearth.gateway.catalog;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Model;
import io.hearth.catalog.Plan;
import io.hearth.catalog.Source;
import io.hearth.node.store.RegistryStore;
import io.hearth.search.Catalog;
import io.hearth.search.ObjectKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry versions of one object: every version in which it was added, changed or removed, with its definition
 * then and what changed from the version before, in the plan's words (the plan's field diff, and its breaking reasons
 * that reach the object). Stored versions are parsed once and kept (the last {@value #KEPT}; they never change).
 */
final class ObjectHistory {
    private static final int KEPT = 16;

    /** One version of an object; {@code definition} is null when it was removed. */
    record Entry(long version, long appliedAt, String action, Map<String, Object> definition, List<String> changes,
                 List<String> breaking) {
    }

    private final RegistryStore registry;
    private final Map<Long, Definitions> parsed = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Definitions> eldest) {
            return size() > KEPT;
        }
    };

    ObjectHistory(RegistryStore registry) {
        this.registry = registry;
    }

    /** The versions of {@code kind} {@code name}, oldest first; empty for training sets (not in the registry). */
    List<Entry> of(ObjectKind kind, String name) {
        List<Entry> out = new ArrayList<>();
        if (kind == ObjectKind.TRAINING_SET) {
            return out;
        }
        Map<String, Object> before = null;
        Definitions beforeDefs = null;
        for (long[] v : registry.history()) {
            Definitions d = load(v[0]);
            if (d == null) {
                continue;
            }
            Map<String, Object> now = Catalog.definition(d, kind, name).orElse(null);
            if (now != null && before == null) {
                out.add(new Entry(v[0], v[1], "added", now, List.of(), List.of()));
            } else if (now != null && !now.equals(before)) {
                out.add(new Entry(v[0], v[1], "changed", now, Plan.changes(before, now),
                    breaking(kind, name, beforeDefs, d)));
            } else if (now == null && before != null) {
                out.add(new Entry(v[0], v[1], "removed", null, List.of(), List.of()));
            }
            before = now;
            beforeDefs = d;
        }
        return out;
    }

    private Definitions load(long version) {
        synchronized (parsed) {
            Definitions d = parsed.get(version);
            if (d != null) {
                return d;
            }
        }
        Optional<RegistryStore.Version> v = registry.current().filter(c -> c.version() == version)
            .or(() -> registry.load(version));
        if (v.isEmpty()) {
            return null;
        }
        synchronized (parsed) {
            parsed.put(version, v.get().definitions());
        }
        return v.get().definitions();
    }

    /**
     * The plan's breaking reasons for the object between two versions: the plan of its owning object alone (the
     * source of a column, the view of a feature), keeping the reasons that reach the whole of it or name the part.
     */
    static List<String> breaking(ObjectKind kind, String name, Definitions a, Definitions b) {
        String owner = name;
        String part = null;
        if (kind == ObjectKind.FEATURE) {
            FeatureRef r = FeatureRef.parse(name);
            owner = r.view();
            part = r.feature();
        } else if (kind == ObjectKind.COLUMN) {
            owner = name.substring(0, name.indexOf('.'));
            part = name.substring(name.indexOf('.') + 1);
        }
        Plan plan = Plan.between(alone(kind, owner, a), alone(kind, owner, b));
        List<String> out = new ArrayList<>();
        for (Plan.Change c : plan.changes()) {
            for (Plan.Break br : c.breaks()) {
                if (part == null || br.parts().isEmpty() || br.parts().contains(part)) {
                    out.add(br.reason());
                }
            }
        }
        return out;
    }

    /** Definitions holding only the object that owns a catalog object (empty when absent). */
    private static Definitions alone(ObjectKind kind, String owner, Definitions d) {
        List<Entity> e = List.of();
        List<Source> s = List.of();
        List<FeatureView> v = List.of();
        List<FeatureService> fs = List.of();
        List<Model> m = List.of();
        switch (kind) {
            case ENTITY -> e = d.entity(owner).map(List::of).orElse(List.of());
            case SOURCE, COLUMN -> s = d.source(owner).map(List::of).orElse(List.of());
            case VIEW, FEATURE -> v = d.featureView(owner).map(List::of).orElse(List.of());
            case SERVICE -> fs = d.featureService(owner).map(List::of).orElse(List.of());
            case MODEL -> m = d.model(owner).map(List::of).orElse(List.of());
            default -> {
            }
        }
        return new Definitions(null, e, s, v, fs, m);
    }
}

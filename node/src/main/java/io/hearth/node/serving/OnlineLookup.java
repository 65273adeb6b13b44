package io.hearth.node.serving;


import io.hearth.catalog.Definitions;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Source;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.FeatureEvaluator;
import io.hearth.compute.events.EventReads;
import io.hearth.node.store.EventStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Computes online feature values: per view, one read of the entities' indexes and of the blocks the features need,
 * then the same {@link FeatureEvaluator} a training row uses. Windows with a summary form read only the blocks at
 * their two ends and take the blocks between from the summaries in the index (the same bits as a scan); the others
 * read every block their window reaches. Both reads are two {@code getAll} calls per view whatever the number of
 * entities, and Ignite sends each {@code getAll} as one request per owning node. Results are column-major:
 * {@code values[f][e]} for feature f (request order) and entity e (request order).
 */
public final class OnlineLookup {
    private final EventStore events;

    public OnlineLookup(EventStore events) {
        this.events = events;
    }

    /**
     * The type of a feature's values as lookups answer them: its column's type, or its aggregation's result type
     * ({@code count} is a long whatever it counts).
     */
    public static io.hearth.catalog.ColumnType outputType(Definitions defs, FeatureRef r) {
        FeatureView view = defs.featureView(r.view()).orElseThrow();
        Feature f = view.feature(r.feature()).orElseThrow();
        io.hearth.catalog.ColumnType col = f.column() == null ? io.hearth.catalog.ColumnType.LONG
            : defs.source(view.source()).orElseThrow().type(f.column());
        return f.isWindowed() ? io.hearth.compute.semantics.Windows.resultType(f.aggregation(), col) : col;
    }

    /**
     * The part of a lookup that depends only on the definitions and the features asked, worked out once per registry
     * version and request shape: the features grouped by view (first appearance order), each view's source and
     * resolved features, and where each view's columns go in the answer.
     */
    public static final class Plan {
        private final List<ViewPlan> views;
        private final int size;

        private Plan(List<ViewPlan> views, int size) {
            this.views = views;
            this.size = size;
        }
    }

    /** One view of a plan: {@code features.get(k)} answers column {@code positions[k]}. */
    private record ViewPlan(FeatureView view, Source source, List<Feature> features, int[] positions) {
    }

    /** The plan of looking up {@code refs} (request order) in {@code defs}; every ref must name a feature there. */
    public static Plan plan(Definitions defs, List<FeatureRef> refs) {
        Map<FeatureRef, Integer> position = new HashMap<>();
        Map<String, List<FeatureRef>> byView = new java.util.LinkedHashMap<>();
        for (int i = 0; i < refs.size(); i++) {
            position.putIfAbsent(refs.get(i), i);
            byView.computeIfAbsent(refs.get(i).view(), k -> new ArrayList<>()).add(refs.get(i));
        }
        List<ViewPlan> views = new ArrayList<>(byView.size());
        for (Map.Entry<String, List<FeatureRef>> e : byView.entrySet()) {
            FeatureView view = defs.featureView(e.getKey()).orElseThrow();
            Source source = defs.source(view.source()).orElseThrow();
            List<Feature> features = e.getValue().stream().map(r -> view.feature(r.feature()).orElseThrow()).toList();
            int[] positions = new int[features.size()];
            for (int k = 0; k < positions.length; k++) {
                positions[k] = position.get(e.getValue().get(k));
            }
            views.add(new ViewPlan(view, source, features, positions));
        }
        return new Plan(List.copyOf(views), refs.size());
    }

    /** Whether this node holds the primary copy of every one of {@code entityKeys} in every source the plan reads. */
    public boolean primaryHere(Plan plan, List<String> entityKeys) {
        for (int i = 0; i < plan.views.size(); i++) {
            String source = plan.views.get(i).source().name();
            boolean seen = false; // views of one source share its partitions: ask once
            for (int j = 0; j < i && !seen; j++) {
                seen = plan.views.get(j).source().name().equals(source);
            }
            if (!seen && !events.primaryHere(source, entityKeys)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The values of {@code refs} for each of {@code entityKeys} (storage form, request order, repeats allowed) at
     * time {@code t}: {@code values[f][e]}.
     */
    public FeatureValue[][] lookup(Definitions defs, List<FeatureRef> refs, List<String> entityKeys, long t) {
        return lookup(plan(defs, refs), entityKeys, t);
    }

    /** The values of a plan's features for each of {@code entityKeys} at time {@code t}: {@code values[f][e]}. */
    public FeatureValue[][] lookup(Plan plan, List<String> entityKeys, long t) {
        FeatureValue[][] out = new FeatureValue[plan.size][];
        List<String> distinct = new ArrayList<>(new HashSet<>(entityKeys));
        int n = entityKeys.size();
        for (ViewPlan vp : plan.views) {
            FeatureView view = vp.view();
            Source source = vp.source();
            List<Feature> features = vp.features();
            java.util.Optional<long[]> points = FeatureEvaluator.summaryPoints(view, features, source, t);
            long lo = FeatureEvaluator.earliestNeeded(view, features, t);
            Map<String, EventReads.EntityEvents> read = points.isPresent()
                ? events.readBlocksAt(source.name(), source.schema(), distinct, points.get(), lo, t)
                : events.read(source.name(), source.schema(), distinct, lo, t);
            FeatureValue[][] values = new FeatureValue[features.size()][n];
            Map<String, FeatureValue[]> done = new HashMap<>(); // per distinct entity: its values, feature order
            List<String> again = new ArrayList<>();
            for (String entity : distinct) {
                java.util.Optional<FeatureValue[]> v = evaluate(view, source, features, read.get(entity), t);
                if (v.isEmpty()) {
                    again.add(entity);
                } else {
                    done.put(entity, v.get());
                }
            }
            if (!again.isEmpty()) {
                // A block inside a window had no usable summary (written before summaries, or holding infinities),
                // or the entity has events not yet folded: read those entities' whole range and scan.
                Map<String, EventReads.EntityEvents> full = events.read(source.name(), source.schema(), again,
                    FeatureEvaluator.earliestNeeded(view, features, t), t);
                for (String entity : again) {
                    done.put(entity, evaluate(view, source, features, full.get(entity), t).orElseThrow());
                }
            }
            for (int i = 0; i < n; i++) {
                FeatureValue[] v = done.get(entityKeys.get(i));
                for (int k = 0; k < features.size(); k++) {
                    values[k][i] = v[k];
                }
            }
            for (int k = 0; k < features.size(); k++) {
                out[vp.positions()[k]] = values[k];
            }
        }
        return out;
    }

    /** One entity's values of the view's features; empty when summaries could not serve a window. */
    private static java.util.Optional<FeatureValue[]> evaluate(FeatureView view, Source source, List<Feature> features,
                                           EventReads.EntityEvents ev, long t) {
        FeatureValue[] out = new FeatureValue[features.size()];
        for (int k = 0; k < features.size(); k++) {
            Feature f = features.get(k);
            if (ev == null) {
                out[k] = FeatureEvaluator.evaluate(view, f, source, null, false, t);
            } else if (ev.needsRange()) {
                return java.util.Optional.empty(); // events in the log, which summaries do not cover
            } else if (ev.positions() == null) {
                out[k] = FeatureEvaluator.evaluate(view, f, source, ev.events(), ev.anyAtOrBefore(t), t);
            } else {
                java.util.Optional<FeatureValue> v = FeatureEvaluator.evaluateWithSummaries(view, f, source, ev.index(),
                    ev.positions(), ev.blocks(), ev.anyAtOrBefore(t), t);
                if (v.isEmpty()) {
                    return java.util.Optional.empty();
                }
                out[k] = v.get();
            }
        }
        return java.util.Optional.of(out);
    }
}

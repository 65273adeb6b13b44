package io.hearth.gateway.serving;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Source;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.serving.FeatureEvaluator;
import io.hearth.compute.events.EventReads;
import io.hearth.node.EventStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Computes online feature values: per view, one read of the entities' indexes and of the blocks the features'
 * ttl and windows reach, then the same {@link FeatureEvaluator} a training row uses. Results are column-major:
 * {@code values[f][e]} for feature f (request order) and entity e (request order).
 */
public final class OnlineLookup {
    private final EventStore events;

    public OnlineLookup(EventStore events) {
        this.events = events;
    }

    public FeatureValue[][] lookup(Definitions defs, LookupRequest req, long t) {
        List<FeatureRef> refs = req.features();
        FeatureValue[][] out = new FeatureValue[refs.size()][];
        List<String> distinct = new ArrayList<>(new HashSet<>(req.entityKeys()));
        for (Map.Entry<String, List<FeatureRef>> e : req.byView().entrySet()) {
            FeatureView view = defs.featureView(e.getKey()).orElseThrow();
            Source source = defs.source(view.source()).orElseThrow();
            List<Feature> features = e.getValue().stream().map(r -> view.feature(r.feature()).orElseThrow()).toList();
            long lo = FeatureEvaluator.earliestNeeded(view, features, t);
            Map<String, EventReads.EntityEvents> read = events.read(source.name(), distinct, lo, t);
            EventReads.EntityEvents[] byRow = new EventReads.EntityEvents[req.size()];
            for (int i = 0; i < req.size(); i++) {
                byRow[i] = read.get(req.entityKeys().get(i));
            }
            for (int k = 0; k < features.size(); k++) {
                Feature f = features.get(k);
                FeatureValue[] col = new FeatureValue[req.size()];
                for (int i = 0; i < req.size(); i++) {
                    EventReads.EntityEvents ev = byRow[i];
                    col[i] = ev == null ? FeatureEvaluator.evaluate(view, f, source, null, false, t)
                        : FeatureEvaluator.evaluate(view, f, source, ev.events(), ev.anyAtOrBefore(t), t);
                }
                out[refs.indexOf(e.getValue().get(k))] = col;
            }
        }
        return out;
    }
}

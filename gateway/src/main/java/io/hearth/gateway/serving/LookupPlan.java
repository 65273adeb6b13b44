package io.hearth.gateway.serving;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.Source;
import io.hearth.node.serving.OnlineLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a lookup of one request shape (a feature service, or a list of features) needs from one registry version,
 * resolved once: the features and the service they came from, their entity, the types of its join keys, the
 * evaluation plan (views, sources, resolved features, answer positions), each feature's output type, its name
 * pre-encoded for JSON in both spellings ({@code full_feature_names} picks one per request), and the views in
 * answer order with the source each reads. A request then only turns keys into values and values into bytes.
 * Built only for a shape that passed {@link LookupRequest}'s checks, so a cached plan never hides an error.
 */
final class LookupPlan {
    final Definitions defs;
    final List<FeatureRef> features;
    /** The feature service asked, or null for a list of features. */
    final String service;
    /** Null only for a feature service without features (the request then fails as it always did). */
    final Entity entity;
    /** The type of each of the entity's join keys in the first view's source; null with {@link #entity}. */
    final ColumnType[] keyTypes;
    final OnlineLookup.Plan evaluation;
    final ColumnType[] outputTypes;
    final SerializableString[] fullNames;
    final SerializableString[] shortNames;
    final SerializableString[] joinKeyNames;
    /** The views read, in first appearance order (the compact format's {@code views}), and each one's source. */
    final List<String> views;
    final Source[] viewSources;
    /** For each feature, its view's index in {@link #views}. */
    final int[] viewOf;

    private LookupPlan(Definitions defs, List<FeatureRef> features, String service, Entity entity) {
        this.defs = defs;
        this.features = List.copyOf(features);
        this.service = service;
        this.entity = entity;
        if (entity == null || features.isEmpty()) {
            keyTypes = null;
            joinKeyNames = new SerializableString[0];
        } else {
            Source keySource = defs.source(defs.featureView(features.get(0).view()).orElseThrow().source()).orElseThrow();
            keyTypes = new ColumnType[entity.joinKeys().size()];
            joinKeyNames = new SerializableString[keyTypes.length];
            for (int i = 0; i < keyTypes.length; i++) {
                keyTypes[i] = keySource.type(entity.joinKeys().get(i));
                joinKeyNames[i] = new SerializedString(entity.joinKeys().get(i));
            }
        }
        evaluation = OnlineLookup.plan(defs, this.features);
        int n = features.size();
        outputTypes = new ColumnType[n];
        fullNames = new SerializableString[n];
        shortNames = new SerializableString[n];
        viewOf = new int[n];
        List<String> vs = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            FeatureRef r = features.get(f);
            outputTypes[f] = OnlineLookup.outputType(defs, r);
            fullNames[f] = new SerializedString(r.columnName());
            shortNames[f] = new SerializedString(r.feature());
            int v = vs.indexOf(r.view());
            if (v < 0) {
                v = vs.size();
                vs.add(r.view());
            }
            viewOf[f] = v;
        }
        views = List.copyOf(vs);
        viewSources = new Source[vs.size()];
        for (int v = 0; v < viewSources.length; v++) {
            viewSources[v] = defs.source(defs.featureView(vs.get(v)).orElseThrow().source()).orElseThrow();
        }
    }

    /** The plan of checked features (request order) of {@code entity}, asked by {@code service} or by list (null). */
    static LookupPlan of(Definitions defs, List<FeatureRef> features, String service, Entity entity) {
        return new LookupPlan(defs, features, service, entity);
    }

    /** The features' names as a request asked them. */
    SerializableString[] names(boolean fullFeatureNames) {
        return fullFeatureNames ? fullNames : shortNames;
    }

    /**
     * Plans of the registry version in force, by request shape: a feature service's name (a {@link String}) or the
     * list of feature texts as the request gave them (a {@code List<String>}). Starts over when the version changes,
     * and past {@value #MAX_SHAPES} shapes (clients asking arbitrary lists).
     */
    static final class Cache {
        static final int MAX_SHAPES = 4096;

        private record ForVersion(Definitions defs, Map<Object, LookupPlan> byShape) {
        }

        private volatile ForVersion current = new ForVersion(Definitions.empty(), new ConcurrentHashMap<>());

        /** The plans of {@code defs} (compared by identity: one instance per registry version). */
        Map<Object, LookupPlan> of(Definitions defs) {
            ForVersion v = current;
            if (v.defs() != defs) {
                v = new ForVersion(defs, new ConcurrentHashMap<>());
                current = v;
            }
            if (v.byShape().size() >= MAX_SHAPES) {
                v.byShape().clear();
            }
            return v.byShape();
        }
    }
}

package io.hearth.feedback;

import io.hearth.catalog.FeatureRef;
import io.hearth.compute.ingest.EntityKeys;
import io.hearth.compute.semantics.FeatureValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One logged lookup: who asked ({@code model}, {@code modelVersion}, empty when the request did not say), what was
 * asked (the service, at the registry version that served it, for the entities {@code keyValues}: per join key, its
 * values in request order), when ({@code servedAt}, the gateway's clock when the lookup ran; {@code asOf} when the
 * request read the past) and what was answered: {@code values[f][e]} for feature f of {@code features} and entity e.
 */
public record LogRecord(String requestId, String service, long registryVersion, Optional<String> model,
                        Optional<String> modelVersion, OptionalLong asOf, long servedAt, List<String> joinKeys,
                        List<List<Object>> keyValues, List<FeatureRef> features, FeatureValue[][] values) {

    public LogRecord {
        joinKeys = List.copyOf(joinKeys);
        keyValues = List.copyOf(keyValues);
        features = List.copyOf(features);
        if (values.length != features.size()) {
            throw new IllegalArgumentException(values.length + " value columns for " + features.size() + " features");
        }
    }

    /** The time the values hold at: {@code as_of} when the request gave one, else the time it was served. */
    public long valuesAt() {
        return asOf.orElse(servedAt);
    }

    public int entityCount() {
        return keyValues.isEmpty() ? 0 : keyValues.get(0).size();
    }

    /** Entity e's join key values, in join key order. */
    public List<Object> entity(int e) {
        List<Object> out = new ArrayList<>(keyValues.size());
        for (List<Object> col : keyValues) {
            out.add(col.get(e));
        }
        return out;
    }

    /** The storage form of each entity's key, in request order: what a lookup reads. */
    public List<String> entityKeys() {
        List<String> out = new ArrayList<>(entityCount());
        for (int e = 0; e < entityCount(); e++) {
            out.add(EntityKeys.of(entity(e)));
        }
        return out;
    }
}

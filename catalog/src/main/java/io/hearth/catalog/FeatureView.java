package io.hearth.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to compute from one source for one entity. {@code ttlMillis} 0 means no ttl; {@code hopMillis} 0
 * means exact windows. {@code expectations}: per feature, what its values in a training set must look like.
 */
public record FeatureView(String name, String entity, String source, boolean online, long ttlMillis, long hopMillis,
                          List<Feature> features, Meta meta, Map<String, List<Expectation>> expectations) {
    public FeatureView {
        features = List.copyOf(features);
        meta = meta == null ? Meta.NONE : meta;
        java.util.LinkedHashMap<String, List<Expectation>> ex = new java.util.LinkedHashMap<>();
        if (expectations != null) {
            expectations.forEach((f, l) -> ex.put(f, List.copyOf(l)));
        }
        expectations = java.util.Collections.unmodifiableMap(ex);
    }

    /** A view without expectations. */
    public FeatureView(String name, String entity, String source, boolean online, long ttlMillis, long hopMillis,
                       List<Feature> features, Meta meta) {
        this(name, entity, source, online, ttlMillis, hopMillis, features, meta, Map.of());
    }

    /** A view in the older shape: owner, tags as a map, description. */
    public FeatureView(String name, String entity, String source, boolean online, long ttlMillis, long hopMillis,
                       List<Feature> features, String owner, Map<String, String> tags, String description) {
        this(name, entity, source, online, ttlMillis, hopMillis, features, Meta.of(description, owner, tags));
    }

    public Optional<Feature> feature(String featureName) {
        for (Feature f : features) {
            if (f.name().equals(featureName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The longest window of the view's aggregates, 0 when it has none. */
    public long longestWindowMillis() {
        return features.stream().mapToLong(Feature::windowMillis).max().orElse(0);
    }

    public String owner() {
        return meta.owner();
    }

    public String description() {
        return meta.description();
    }
}

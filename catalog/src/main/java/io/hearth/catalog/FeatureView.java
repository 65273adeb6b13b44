package io.hearth.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to compute from one source for one entity. {@code ttlMillis} 0 means no ttl; {@code hopMillis} 0
 * means exact windows.
 */
public record FeatureView(String name, String entity, String source, boolean online, long ttlMillis, long hopMillis,
                          List<Feature> features, Meta meta) {
    public FeatureView {
        features = List.copyOf(features);
        meta = meta == null ? Meta.NONE : meta;
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

package io.hearth.catalog;

import java.util.List;

/** A named group of features a model consumes. */
public record FeatureService(String name, List<FeatureRef> features, String description) {
    public FeatureService {
        features = List.copyOf(features);
    }
}

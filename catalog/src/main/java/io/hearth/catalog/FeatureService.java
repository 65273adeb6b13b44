package io.hearth.catalog;

import java.util.List;

/** A named group of features a model consumes. */
public record FeatureService(String name, List<FeatureRef> features, Meta meta) {
    public FeatureService {
        features = List.copyOf(features);
        meta = meta == null ? Meta.NONE : meta;
    }

    public String description() {
        return meta.description();
    }
}

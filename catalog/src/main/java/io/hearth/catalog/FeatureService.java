package io.hearth.catalog;

import java.util.List;

/**
 * A named group of features a model consumes, and whether its lookups are logged ({@link FeatureLogging#NONE} when
 * the definition has no {@code logging:}).
 */
public record FeatureService(String name, List<FeatureRef> features, Meta meta, FeatureLogging logging) {
    public FeatureService {
        features = List.copyOf(features);
        meta = meta == null ? Meta.NONE : meta;
        logging = logging == null ? FeatureLogging.NONE : logging;
    }

    /** A service whose lookups are not logged. */
    public FeatureService(String name, List<FeatureRef> features, Meta meta) {
        this(name, features, meta, FeatureLogging.NONE);
    }

    public String description() {
        return meta.description();
    }
}

package io.hearth.catalog.lineage;

import java.util.ArrayList;
import java.util.List;

/**
 * What lies downstream of a changed object: the features computed from it ({@code view:feature}), the feature
 * services serving them, the models using those, and the training sets those models were trained on (or that were
 * built from any of it).
 */
public record Downstream(List<String> features, List<String> services, List<String> models, List<String> trainingSets) {
    public static final Downstream NONE = new Downstream(List.of(), List.of(), List.of(), List.of());
    private static final int SHOWN = 5;

    public Downstream {
        features = List.copyOf(features);
        services = List.copyOf(services);
        models = List.copyOf(models);
        trainingSets = List.copyOf(trainingSets);
    }

    public boolean isEmpty() {
        return features.isEmpty() && services.isEmpty() && models.isEmpty() && trainingSets.isEmpty();
    }

    /** One line for a terminal: "> downstream: 3 features (a, b, c), 1 service (s), 1 model (m)". */
    public String line() {
        List<String> parts = new ArrayList<>();
        part(parts, features, "feature", "features");
        part(parts, services, "service", "services");
        part(parts, models, "model", "models");
        part(parts, trainingSets, "training set", "training sets");
        return "> downstream: " + String.join(", ", parts);
    }

    private static void part(List<String> parts, List<String> names, String one, String many) {
        if (names.isEmpty()) {
            return;
        }
        List<String> shown = names.size() <= SHOWN ? names : names.subList(0, SHOWN);
        parts.add(names.size() + " " + (names.size() == 1 ? one : many) + " (" + String.join(", ", shown)
            + (names.size() > SHOWN ? ", ... " + (names.size() - SHOWN) + " more" : "") + ")");
    }
}

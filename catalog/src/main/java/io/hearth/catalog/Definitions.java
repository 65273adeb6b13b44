package io.hearth.catalog;

import java.util.List;
import java.util.Optional;

/** A complete, validated set of definitions: what the registry holds at one version. */
public record Definitions(String project, List<Entity> entities, List<Source> sources, List<FeatureView> featureViews,
                          List<FeatureService> featureServices) {

    public Definitions {
        entities = List.copyOf(entities);
        sources = List.copyOf(sources);
        featureViews = List.copyOf(featureViews);
        featureServices = List.copyOf(featureServices);
    }

    public static Definitions empty() {
        return new Definitions(null, List.of(), List.of(), List.of(), List.of());
    }

    public Optional<Entity> entity(String name) {
        return entities.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public Optional<Source> source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<FeatureView> featureView(String name) {
        return featureViews.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public Optional<FeatureService> featureService(String name) {
        return featureServices.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}

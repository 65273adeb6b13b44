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
        for (Entity x : entities) { // a loop, not a stream: every lookup request asks several times
            if (x.name().equals(name)) {
                return Optional.of(x);
            }
        }
        return Optional.empty();
    }

    public Optional<Source> source(String name) {
        for (Source x : sources) { // a loop, not a stream: every lookup request asks several times
            if (x.name().equals(name)) {
                return Optional.of(x);
            }
        }
        return Optional.empty();
    }

    public Optional<FeatureView> featureView(String name) {
        for (FeatureView x : featureViews) { // a loop, not a stream: every lookup request asks several times
            if (x.name().equals(name)) {
                return Optional.of(x);
            }
        }
        return Optional.empty();
    }

    public Optional<FeatureService> featureService(String name) {
        for (FeatureService x : featureServices) { // a loop, not a stream: every lookup request asks several times
            if (x.name().equals(name)) {
                return Optional.of(x);
            }
        }
        return Optional.empty();
    }
}

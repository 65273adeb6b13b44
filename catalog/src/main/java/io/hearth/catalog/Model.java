package io.hearth.catalog;

import java.util.List;

/**
 * A model that consumes a feature service, registered so that a change reaching its features can be seen (plan)
 * and refused (apply) before it lands. Its identity is its name; {@code version} is text as given ("3", "2026.1").
 * {@code trainingSets} names the training sets it was trained on (names only: they are not looked up in the grid).
 */
public record Model(String name, String version, String featureService, List<String> trainingSets, Meta meta) {

    public Model {
        trainingSets = trainingSets == null ? List.of() : List.copyOf(trainingSets);
        meta = meta == null ? Meta.NONE : meta;
    }

    public String description() {
        return meta.description();
    }

    public String owner() {
        return meta.owner();
    }
}

package io.hearth.catalog;

import java.util.List;
import java.util.Optional;

/** A complete, validated set of definitions: what the registry holds at one version. */
public record Definitions(String project, List<Entity> entities, List<Source> sources, List<FeatureView> featureViews,
                          List<FeatureService> featureServices, List<Model> models) {

    public Definitions {
        entities = List.copyOf(entities);
        sources = List.copyOf(sources);
        featureViews = List.copyOf(featureViews);
        featureServices = List.copyOf(featureServices);
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** Definitions without models. */
    public Definitions(String project, List<Entity> entities, List<Source> sources, List<FeatureView> featureViews,
                       List<FeatureService> featureServices) {
        this(project, entities, sources, featureViews, featureServices, List.of());
    }

    public static Definitions empty() {
        return new Definitions(null, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** These definitions with {@code model} added, or in place of the model of the same name. Not validated. */
    public Definitions withModel(Model model) {
        List<Model> out = new java.util.ArrayList<>(models);
        int i = out.stream().map(Model::name).toList().indexOf(model.name());
        if (i >= 0) {
            out.set(i, model);
        } else {
            out.add(model);
        }
        return new Definitions(project, entities, sources, featureViews, featureServices, out);
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

    public Optional<Model> model(String name) {
        for (Model x : models) {
            if (x.name().equals(name)) {
                return Optional.of(x);
            }
        }
        return Optional.empty();
    }

    /** Every feature as {@code view:feature}, for naming the closest ones when a reference is unknown. */
    public List<String> featureRefs() {
        List<String> out = new java.util.ArrayList<>();
        for (FeatureView v : featureViews) {
            for (Feature f : v.features()) {
                out.add(v.name() + ":" + f.name());
            }
        }
        return out;
    }

    public List<String> sourceNames() {
        return sources.stream().map(Source::name).toList();
    }

    public List<String> viewNames() {
        return featureViews.stream().map(FeatureView::name).toList();
    }

    public List<String> serviceNames() {
        return featureServices.stream().map(FeatureService::name).toList();
    }

    public List<String> modelNames() {
        return models.stream().map(Model::name).toList();
    }

    /** "unknown source 'x'; did you mean 'y'?" and the like, for any kind of object. */
    public static String unknown(String kind, String name, List<String> known) {
        String shown = name.length() > 80 ? name.substring(0, 77) + "..." : name;
        String hint = Suggest.hint(name, known);
        return "unknown " + kind + " '" + shown + "'" + (hint.isEmpty() ? known.isEmpty() ? " (there are none)"
            : known.size() <= 8 ? " (known: " + String.join(", ", known) + ")" : "" : hint);
    }
}

package io.hearth.search;

import io.hearth.catalog.CanonicalForm;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Meta;
import io.hearth.catalog.Model;
import io.hearth.catalog.Source;
import io.hearth.catalog.Tag;
import io.hearth.catalog.lineage.Runs;
import io.hearth.catalog.lineage.TrainingRun;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every object of one registry version, and the training sets that models name or recorded runs built, as
 * {@link CatalogObject}s in listing order (by kind, then as the definitions list them); looked up by kind and name.
 * Immutable.
 */
public final class Catalog {
    private final Definitions definitions;
    private final Runs runs;
    private final List<CatalogObject> objects;
    private final Map<String, CatalogObject> byId;

    private Catalog(Definitions definitions, Runs runs, List<CatalogObject> objects) {
        this.definitions = definitions;
        this.runs = runs;
        this.objects = List.copyOf(objects);
        Map<String, CatalogObject> m = new LinkedHashMap<>();
        for (CatalogObject o : this.objects) {
            m.put(o.id(), o);
        }
        this.byId = Collections.unmodifiableMap(m);
    }

    public static Catalog of(Definitions d, Runs runs) {
        List<CatalogObject> out = new ArrayList<>();
        for (Entity e : d.entities()) {
            out.add(new CatalogObject(ObjectKind.ENTITY, e.name(), null, e.description(), e.meta(), e.meta().owner(),
                tags(e.meta()), e.meta().deprecated(), List.of(e.name()), e.joinKeys()));
        }
        for (Source s : d.sources()) {
            List<String> words = new ArrayList<>();
            if (s.kafkaTopic() != null) {
                words.add(s.kafkaTopic());
            }
            out.add(new CatalogObject(ObjectKind.SOURCE, s.name(), null, s.description(), s.meta(), s.meta().owner(),
                tags(s.meta()), s.meta().deprecated(), List.of(s.entity()), words));
        }
        for (Source s : d.sources()) {
            for (String c : s.schema().keySet()) {
                Meta m = s.column(c);
                out.add(new CatalogObject(ObjectKind.COLUMN, s.name() + "." + c, s.name(), m.description(), m,
                    first(m.owner(), s.meta().owner()), tags(m), first(m.deprecated(), s.meta().deprecated()),
                    List.of(s.entity()), List.of(s.type(c).spelling())));
            }
        }
        for (FeatureView v : d.featureViews()) {
            out.add(new CatalogObject(ObjectKind.VIEW, v.name(), null, v.description(), v.meta(), v.owner(),
                tags(v.meta()), v.meta().deprecated(), List.of(v.entity()), List.of(v.source())));
        }
        for (FeatureView v : d.featureViews()) {
            for (Feature f : v.features()) {
                List<String> words = new ArrayList<>();
                if (f.column() != null) {
                    words.add(f.column());
                }
                if (f.isWindowed()) {
                    words.add(f.aggregation().spelling());
                    words.add(io.hearth.catalog.Durations.format(f.windowMillis()));
                }
                out.add(new CatalogObject(ObjectKind.FEATURE, v.name() + ":" + f.name(), v.name(), f.description(),
                    f.meta(), first(f.meta().owner(), v.owner()), tags(f.meta()),
                    first(f.meta().deprecated(), v.meta().deprecated()), List.of(v.entity()), words));
            }
        }
        for (FeatureService s : d.featureServices()) {
            out.add(new CatalogObject(ObjectKind.SERVICE, s.name(), null, s.description(), s.meta(), s.meta().owner(),
                tags(s.meta()), s.meta().deprecated(), entitiesOf(d, s.features()), List.of()));
        }
        for (Model m : d.models()) {
            List<String> entities = d.featureService(m.featureService()).map(s -> entitiesOf(d, s.features()))
                .orElse(List.of());
            out.add(new CatalogObject(ObjectKind.MODEL, m.name(), null, m.description(), m.meta(), m.owner(),
                tags(m.meta()), m.meta().deprecated(), entities, List.of(m.featureService(), "v" + m.version())));
        }
        out.addAll(trainingSets(d, runs));
        return new Catalog(d, runs, out);
    }

    /**
     * Training sets: those models name (owned by the model's owner), then those only runs built; described by the
     * latest completed run. Names are case-insensitive: a run's set takes a model's spelling of it.
     */
    private static List<CatalogObject> trainingSets(Definitions d, Runs runs) {
        Map<String, String> spelling = new LinkedHashMap<>();
        Map<String, Model> namedBy = new LinkedHashMap<>();
        for (Model m : d.models()) {
            for (String t : m.trainingSets()) {
                spelling.putIfAbsent(t.toLowerCase(Locale.ROOT), t);
                namedBy.putIfAbsent(t.toLowerCase(Locale.ROOT), m);
            }
        }
        for (TrainingRun r : runs.training()) {
            if (r.complete()) {
                spelling.putIfAbsent(r.name().toLowerCase(Locale.ROOT), r.name());
            }
        }
        List<CatalogObject> out = new ArrayList<>();
        for (Map.Entry<String, String> e : spelling.entrySet()) {
            TrainingRun latest = runs.training().stream().filter(r -> r.complete()
                && r.name().equalsIgnoreCase(e.getKey())).findFirst().orElse(null);
            Model model = namedBy.get(e.getKey());
            List<String> words = new ArrayList<>();
            Set<String> entities = new LinkedHashSet<>();
            StringBuilder description = new StringBuilder();
            if (model != null) {
                description.append("Trains model ").append(model.name()).append('.');
                d.featureService(model.featureService()).ifPresent(s -> entities.addAll(entitiesOf(d, s.features())));
                words.add(model.name());
            }
            if (latest != null) {
                if (description.length() > 0) {
                    description.append(' ');
                }
                description.append("Built ").append(latest.service() != null ? "for service " + latest.service()
                    : "from " + latest.features().size() + " features").append(", ").append(latest.rows())
                    .append(latest.rows() == 1 ? " row" : " rows");
                if (latest.spine() != null) {
                    description.append(", from ").append(latest.spine());
                }
                description.append('.');
                if (latest.service() != null) {
                    words.add(latest.service());
                }
                List<FeatureRef> refs = latest.features().stream().map(FeatureRef::parse)
                    .filter(java.util.Objects::nonNull).toList();
                entities.addAll(entitiesOf(d, refs));
            }
            out.add(new CatalogObject(ObjectKind.TRAINING_SET, e.getValue(), null, description.toString(),
                Meta.NONE, model == null ? null : model.owner(), List.of(), null, new ArrayList<>(entities), words));
        }
        return out;
    }

    private static List<String> entitiesOf(Definitions d, List<FeatureRef> refs) {
        Set<String> out = new LinkedHashSet<>();
        for (FeatureRef r : refs) {
            d.featureView(r.view()).ifPresent(v -> out.add(v.entity()));
        }
        return new ArrayList<>(out);
    }

    private static List<String> tags(Meta m) {
        return m.tags().stream().map(Catalog::tag).toList();
    }

    /** A tag as the catalog writes it: {@code pii}, {@code domain:commerce}. */
    static String tag(Tag t) {
        return t.isWord() ? t.key() : t.key() + ":" + t.value();
    }

    private static <T> T first(T own, T inherited) {
        return own != null ? own : inherited;
    }

    public Definitions definitions() {
        return definitions;
    }

    public Runs runs() {
        return runs;
    }

    /** Every object, in listing order. */
    public List<CatalogObject> objects() {
        return objects;
    }

    public Optional<CatalogObject> object(ObjectKind kind, String name) {
        return Optional.ofNullable(byId.get(kind.spelling() + ":" + name));
    }

    /** The names of every object of a kind, for naming the closest ones when a name is unknown. */
    public List<String> names(ObjectKind kind) {
        return objects.stream().filter(o -> o.kind() == kind).map(CatalogObject::name).toList();
    }

    /**
     * An object's definition as the registry writes it (canonical form): an entity, source, view, service or model
     * as in {@code GET /v1/registry}; a feature as in its view's {@code features} list; a column as
     * {@code {name, type, ...metadata, contract}}; a training set as the models that name it and, from the latest
     * completed run, what it was built from. Empty when the definitions hold no such object.
     */
    public static Optional<Map<String, Object>> definition(Definitions d, ObjectKind kind, String name) {
        return switch (kind) {
            case ENTITY -> d.entity(name).map(CanonicalForm::entity);
            case SOURCE -> d.source(name).map(CanonicalForm::source);
            case VIEW -> d.featureView(name).map(CanonicalForm::view);
            case SERVICE -> d.featureService(name).map(CanonicalForm::service);
            case MODEL -> d.model(name).map(CanonicalForm::model);
            case FEATURE -> {
                FeatureRef r = FeatureRef.parse(name);
                yield r == null ? Optional.empty()
                    : d.featureView(r.view()).flatMap(v -> v.feature(r.feature())).map(CanonicalForm::feature);
            }
            case COLUMN -> column(d, name);
            case TRAINING_SET -> Optional.empty();
        };
    }

    /** This catalog's definition of an object; for a training set, what models and runs say of it. */
    public Optional<Map<String, Object>> definition(ObjectKind kind, String name) {
        if (kind != ObjectKind.TRAINING_SET) {
            return definition(definitions, kind, name);
        }
        if (object(kind, name).isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("models", definitions.models().stream().filter(x -> x.trainingSets().stream()
            .anyMatch(t -> t.equalsIgnoreCase(name))).map(Model::name).toList());
        runs.training().stream().filter(r -> r.complete() && r.name().equalsIgnoreCase(name)).findFirst().ifPresent(r -> {
            if (r.service() != null) {
                m.put("feature_service", r.service());
            }
            m.put("features", r.features());
        });
        return Optional.of(m);
    }

    /** A column as its source's canonical form writes it ({@code type} and metadata), with its name and contract. */
    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> column(Definitions d, String name) {
        int dot = name.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String column = name.substring(dot + 1);
        return d.source(name.substring(0, dot)).filter(s -> s.schema().containsKey(column)).map(s -> {
            Map<String, Object> source = CanonicalForm.source(s);
            Object entry = ((Map<String, Object>) source.get("schema")).get(column);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", column);
            if (entry instanceof Map<?, ?> long_) {
                m.putAll((Map<String, Object>) long_);
            } else {
                m.put("type", entry);
            }
            Object contract = source.get("contract") instanceof Map<?, ?> c ? c.get(column) : null;
            if (contract != null) {
                m.put("contract", contract);
            }
            return m;
        });
    }
}

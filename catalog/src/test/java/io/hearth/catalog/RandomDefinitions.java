package io.hearth.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random definitions that satisfy every rule of {@link DefinitionsParser}, with awkward text (control characters,
 * YAML indicators, line separators, astral characters) wherever the format allows free text, metadata (owners, tags,
 * deprecations naming real replacements) on every kind of object, and models.
 */
final class RandomDefinitions {
    private static final String[] SPECIAL_NAMES = {"null", "true", "yes", "on", "no", "y", "_", "NaN", "inf", "e1"};
    private static final String[] AWKWARD = {"\n", "\t", "\r", "\u0000", "\u0085", "\u007F", "\u0090", "\u009F",
        "\u2028", "\u2029", "\uFFFE", "\uFFFF", "\uFEFF", "\"", "\\", "#", ": ", " ", "'", "&", "*", "!", "|", ">", "%",
        "@", "`", "- ", "---", "...", "{", "}", "[", "]", ",", "?", "é", "中", "\uD83D\uDE00", "~", "<<"};
    private static final long[] UNITS = {1L, 1_000L, 60_000L, 3_600_000L, 86_400_000L};
    private static final ColumnType[] TYPES = ColumnType.values();
    private static final Aggregation[] AGGS = Aggregation.values();

    private final Random rnd;

    RandomDefinitions(Random rnd) {
        this.rnd = rnd;
    }

    Definitions next() {
        Set<String> taken = new LinkedHashSet<>();
        List<Entity> entities = new ArrayList<>();
        for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) {
            Set<String> keys = new LinkedHashSet<>();
            for (int k = 0, nk = 1 + rnd.nextInt(2); k < nk; k++) {
                keys.add(name());
            }
            entities.add(new Entity(uniqueName(taken), List.copyOf(keys), null));
        }
        taken.clear();
        List<Source> sources = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
            sources.add(source(uniqueName(taken), pick(entities)));
        }
        taken.clear();
        List<FeatureView> views = new ArrayList<>();
        for (int i = 0, n = sources.isEmpty() ? 0 : rnd.nextInt(4); i < n; i++) {
            views.add(view(uniqueName(taken), pick(sources)));
        }
        taken.clear();
        List<FeatureService> services = new ArrayList<>();
        List<FeatureRef> all = new ArrayList<>();
        views.forEach(v -> v.features().forEach(f -> all.add(new FeatureRef(v.name(), f.name()))));
        for (int i = 0, n = all.isEmpty() ? 0 : rnd.nextInt(3); i < n; i++) {
            List<FeatureRef> refs = new ArrayList<>(all);
            Collections.shuffle(refs, rnd);
            services.add(new FeatureService(uniqueName(taken), refs.subList(0, 1 + rnd.nextInt(refs.size())), null,
                logging()));
        }
        taken.clear();
        List<Model> models = new ArrayList<>();
        for (int i = 0, n = services.isEmpty() ? 0 : rnd.nextInt(3); i < n; i++) {
            Set<String> sets = new LinkedHashSet<>();
            for (int k = 0, nk = rnd.nextInt(3); k < nk; k++) {
                sets.add(name());
            }
            models.add(new Model(uniqueName(taken), version(), pick(services).name(), List.copyOf(sets), null));
        }
        String project = switch (rnd.nextInt(3)) {
            case 0 -> null;
            case 1 -> name();
            default -> text();
        };
        return withMeta(new Definitions(project, entities, sources, views, services, models));
    }

    /** No logging, or a random policy (rates with few and many digits, both overload modes, a topic or none). */
    private FeatureLogging logging() {
        if (rnd.nextBoolean()) {
            return FeatureLogging.NONE;
        }
        double rate = switch (rnd.nextInt(4)) {
            case 0 -> 0.0;
            case 1 -> 1.0;
            case 2 -> rnd.nextInt(100) / 100.0;
            default -> rnd.nextDouble();
        };
        return new FeatureLogging(rate, rnd.nextBoolean() ? FeatureLogging.Overload.DROP : FeatureLogging.Overload.BLOCK,
            (1 + rnd.nextInt(400)) * 86_400_000L, rnd.nextBoolean() ? null : "outcomes." + name());
    }

    /** The same objects, each with random metadata; a deprecation's replacement names another object of its kind. */
    private Definitions withMeta(Definitions d) {
        List<String> entityNames = d.entities().stream().map(Entity::name).toList();
        List<Entity> entities = d.entities().stream()
            .map(e -> new Entity(e.name(), e.joinKeys(), meta(others(entityNames, e.name())))).toList();
        List<Source> sources = new ArrayList<>();
        for (Source s : d.sources()) {
            List<String> columns = List.copyOf(s.schema().keySet());
            Map<String, Meta> columnMeta = new LinkedHashMap<>();
            for (String c : columns) {
                if (rnd.nextInt(3) == 0) {
                    columnMeta.put(c, meta(others(columns, c)));
                }
            }
            sources.add(new Source(s.name(), s.entity(), s.timestampField(), s.createdTimestampField(), s.idField(),
                s.schema(), s.contract(), s.quarantineThreshold(), s.kafkaTopic(), s.retentionMillis(), columnMeta,
                meta(others(d.sourceNames(), s.name()))));
        }
        List<String> featureRefs = d.featureRefs();
        List<FeatureView> views = new ArrayList<>();
        for (FeatureView v : d.featureViews()) {
            List<Feature> features = v.features().stream().map(f -> new Feature(f.name(), f.column(), f.aggregation(),
                f.windowMillis(), meta(others(featureRefs, v.name() + ":" + f.name())))).toList();
            views.add(new FeatureView(v.name(), v.entity(), v.source(), v.online(), v.ttlMillis(), v.hopMillis(), features,
                meta(others(d.viewNames(), v.name()))));
        }
        List<FeatureService> services = d.featureServices().stream().map(s -> new FeatureService(s.name(), s.features(),
            meta(others(d.serviceNames(), s.name())), s.logging())).toList();
        List<Model> models = d.models().stream().map(m -> new Model(m.name(), m.version(), m.featureService(),
            m.trainingSets(), meta(others(d.modelNames(), m.name())))).toList();
        return new Definitions(d.project(), entities, sources, views, services, models);
    }

    private static List<String> others(List<String> names, String self) {
        return names.stream().filter(n -> !n.equals(self)).toList();
    }

    /** Nothing, or any mix of description, owner, tags (words and pairs, keys unique) and a deprecation. */
    Meta meta(List<String> replacements) {
        if (rnd.nextInt(3) == 0) {
            return Meta.NONE;
        }
        List<Tag> tags = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
            String key = nonBlank();
            if (keys.add(key)) {
                tags.add(rnd.nextBoolean() ? Tag.word(key) : new Tag(key, text()));
            }
        }
        Deprecation deprecated = null;
        if (rnd.nextInt(4) == 0) {
            java.time.LocalDate since = java.time.LocalDate.ofEpochDay(rnd.nextInt(80_000));
            deprecated = new Deprecation(since, nonBlank(),
                replacements.isEmpty() || rnd.nextBoolean() ? null : pick(replacements),
                rnd.nextBoolean() ? null : since.plusDays(rnd.nextInt(1000)));
        }
        return new Meta(maybeText(), rnd.nextBoolean() ? null : text(), tags, deprecated);
    }

    /** A model version: a number as YAML would read one, or any text. */
    private String version() {
        return switch (rnd.nextInt(4)) {
            case 0 -> Integer.toString(rnd.nextInt(100));
            case 1 -> rnd.nextInt(10) + "." + rnd.nextInt(20);
            case 2 -> "1.10";
            default -> nonBlank();
        };
    }

    private String nonBlank() {
        String t = text();
        return t.isBlank() ? "x" + t : t;
    }

    private Source source(String name, Entity entity) {
        Map<String, ColumnType> schema = new LinkedHashMap<>();
        for (String k : entity.joinKeys()) {
            schema.put(k, rnd.nextBoolean() ? ColumnType.STRING : ColumnType.LONG);
        }
        for (int i = 0, n = rnd.nextInt(6); i < n; i++) {
            schema.putIfAbsent(name(), TYPES[rnd.nextInt(TYPES.length)]);
        }
        String ts = newColumn(schema, ColumnType.TIMESTAMP);
        String created = rnd.nextBoolean() ? newColumn(schema, ColumnType.TIMESTAMP) : null;
        List<String> columns = new ArrayList<>(schema.keySet());
        Collections.shuffle(columns, rnd);
        String id = rnd.nextBoolean() ? columns.get(0) : null;
        Map<String, ColumnContract> contract = new LinkedHashMap<>();
        for (String c : columns.subList(0, rnd.nextInt(columns.size() + 1))) {
            ColumnType t = schema.get(c);
            Double min = null;
            Double max = null;
            List<String> allowed = null;
            if (t.isNumeric()) {
                min = rnd.nextBoolean() ? number() : null;
                max = rnd.nextBoolean() ? number() : null;
                if (min != null && max != null && min > max) {
                    Double x = min;
                    min = max;
                    max = x;
                }
            } else if (t == ColumnType.STRING && rnd.nextBoolean()) {
                allowed = new ArrayList<>();
                for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) {
                    allowed.add(text());
                }
            }
            contract.put(c, new ColumnContract(rnd.nextBoolean(), min, max, allowed));
        }
        double threshold = switch (rnd.nextInt(4)) {
            case 0 -> 0.0;
            case 1 -> 1.0;
            default -> rnd.nextDouble();
        };
        return new Source(name, entity.name(), ts, created, id, schema, contract, threshold,
            rnd.nextBoolean() ? text() : null, null);
    }

    private FeatureView view(String name, Source source) {
        long hop = rnd.nextInt(3) == 0 ? duration(100) : 0;
        List<String> columns = new ArrayList<>(source.schema().keySet());
        List<String> numeric = columns.stream().filter(c -> source.type(c).isNumeric()).toList();
        Set<String> names = new LinkedHashSet<>();
        List<Feature> features = new ArrayList<>();
        for (int i = 0, n = 1 + rnd.nextInt(5); i < n; i++) {
            String fname = uniqueName(names);
            if (rnd.nextInt(3) == 0) {
                features.add(new Feature(fname, pick(columns), null, 0, null));
                continue;
            }
            Aggregation agg = AGGS[rnd.nextInt(AGGS.length)];
            while (agg.needsNumeric() && numeric.isEmpty()) {
                agg = AGGS[rnd.nextInt(AGGS.length)];
            }
            String column = agg.needsNumeric() ? pick(numeric)
                : agg.columnOptional() && rnd.nextBoolean() ? null : pick(columns);
            long window = hop > 0 ? hop * (1 + rnd.nextInt(50)) : duration(10_000);
            features.add(new Feature(fname, column, agg, window, null));
        }
        return new FeatureView(name, source.entity(), source.name(), rnd.nextBoolean(),
            rnd.nextBoolean() ? duration(1_000_000) : 0, hop, features, null);
    }

    private String newColumn(Map<String, ColumnType> schema, ColumnType type) {
        String c;
        do {
            c = name();
        } while (schema.containsKey(c));
        schema.put(c, type);
        return c;
    }

    private long duration(int maxCount) {
        return UNITS[rnd.nextInt(UNITS.length)] * (1 + rnd.nextInt(maxCount));
    }

    private Double number() {
        return switch (rnd.nextInt(6)) {
            case 0 -> (double) (rnd.nextInt(2001) - 1000);
            case 1 -> -0.0;
            case 2 -> rnd.nextBoolean() ? 1e300 : -Double.MAX_VALUE;
            case 3 -> Double.MIN_VALUE;
            default -> rnd.nextGaussian() * 1e6;
        };
    }

    private String uniqueName(Set<String> taken) {
        String n;
        do {
            n = name();
        } while (!taken.add(n));
        return n;
    }

    String name() {
        if (rnd.nextInt(10) == 0) {
            return SPECIAL_NAMES[rnd.nextInt(SPECIAL_NAMES.length)];
        }
        String first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
        String rest = first + "0123456789";
        StringBuilder sb = new StringBuilder().append(first.charAt(rnd.nextInt(first.length())));
        for (int i = 0, n = rnd.nextInt(rnd.nextInt(10) == 0 ? 64 : 12); i < n; i++) {
            sb.append(rest.charAt(rnd.nextInt(rest.length())));
        }
        return sb.toString();
    }

    private String maybeText() {
        return rnd.nextInt(3) == 0 ? null : text();
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = rnd.nextInt(12); i < n; i++) {
            sb.append(rnd.nextInt(3) == 0 ? AWKWARD[rnd.nextInt(AWKWARD.length)] : (char) (' ' + rnd.nextInt(95)));
        }
        return sb.toString();
    }

    private <T> T pick(List<T> items) {
        return items.get(rnd.nextInt(items.size()));
    }
}

package io.hearth.catalog;

import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads definitions in the shape of {@code shared/examples/definitions.yaml} (YAML, or the same tree as JSON)
 * and validates them as a whole. Every problem is reported with its file, line, key path and rule; parsing
 * never stops at the first one. Several files (a directory) are merged into one set before cross-checks.
 */
public final class DefinitionsParser {

    /** One input document and the name to report it under. */
    public record Input(String file, String text) {
    }

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private static final Set<String> ROOT_KEYS = Set.of("project", "entities", "sources", "feature_views", "feature_services");
    private static final Set<String> ENTITY_KEYS = Set.of("name", "join_keys", "description");
    private static final Set<String> SOURCE_KEYS = Set.of("name", "entity", "timestamp_field", "created_timestamp_field",
        "id_field", "schema", "contract", "quarantine_threshold", "streams", "description", "retention");
    private static final Set<String> CONTRACT_KEYS = Set.of("required", "min", "max", "allowed");
    private static final Set<String> STREAM_KEYS = Set.of("kafka");
    private static final Set<String> KAFKA_KEYS = Set.of("topic");
    private static final Set<String> VIEW_KEYS = Set.of("name", "entity", "source", "online", "ttl", "hop", "features",
        "owner", "tags", "description");
    private static final Set<String> FEATURE_KEYS = Set.of("name", "column", "aggregation", "window", "description");
    private static final Set<String> SERVICE_KEYS = Set.of("name", "features", "description");

    private final List<DefinitionProblem> problems = new ArrayList<>();
    private String file;

    // Drafts: parsed structure plus where each piece came from, for the cross-checks.
    private record Loc(String file, int line, String path) {
    }

    private record Draft<T>(T value, Loc loc, Map<String, Loc> fields) {
        Loc at(String key) {
            return fields.getOrDefault(key, loc);
        }
    }

    private String project;
    private final List<Draft<Entity>> entities = new ArrayList<>();
    private final List<Draft<Source>> sources = new ArrayList<>();
    private final List<Draft<FeatureView>> views = new ArrayList<>();
    private final List<Draft<FeatureService>> services = new ArrayList<>();

    private DefinitionsParser() {
    }

    /** Parses one document. */
    public static Definitions parse(String file, String text) {
        return parse(List.of(new Input(file, text)));
    }

    /** Parses and merges several documents; throws {@link DefinitionException} listing every problem. */
    public static Definitions parse(List<Input> inputs) {
        DefinitionsParser p = new DefinitionsParser();
        for (Input in : inputs) {
            p.file = in.file();
            p.readDocument(new StringReader(in.text()));
        }
        p.file = null;
        p.crossCheck();
        if (!p.problems.isEmpty()) {
            throw new DefinitionException(p.problems);
        }
        return new Definitions(p.project,
            p.entities.stream().map(Draft::value).toList(),
            p.sources.stream().map(Draft::value).toList(),
            p.views.stream().map(Draft::value).toList(),
            p.services.stream().map(Draft::value).toList());
    }

    // ---------------------------------------------------------------- structure

    private void readDocument(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by us, with the line
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(16 * 1024 * 1024);
        Node root;
        try {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            problems.add(new DefinitionProblem(file, line, "$", "yaml.syntax",
                "not valid YAML: " + e.getProblem()));
            return;
        } catch (YAMLException e) {
            problems.add(new DefinitionProblem(file, 0, "$", "yaml.syntax", "not valid YAML: " + e.getMessage()));
            return;
        }
        if (root == null || root instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) { // nothing, "---" or "~"
            problems.add(new DefinitionProblem(file, 1, "$", "document.empty", "the document is empty"));
            return;
        }
        Map<String, Node> top = mapping(root, "$", ROOT_KEYS);
        if (top == null) {
            return;
        }
        if (top.containsKey("project")) {
            String p = scalar(top.get("project"), "project");
            if (p != null) {
                if (project != null && !project.equals(p)) {
                    problem(top.get("project"), "project", "project.conflict",
                        "project '" + p + "' differs from '" + project + "' given in another file");
                }
                project = p;
            }
        }
        forEach(top.get("entities"), "entities", this::readEntity);
        forEach(top.get("sources"), "sources", this::readSource);
        forEach(top.get("feature_views"), "feature_views", this::readView);
        forEach(top.get("feature_services"), "feature_services", this::readService);
    }

    private interface ItemReader {
        void read(Node node, String path);
    }

    private void forEach(Node node, String path, ItemReader reader) {
        if (node == null) {
            return;
        }
        if (!(node instanceof SequenceNode seq)) {
            problem(node, path, "type.list", "expected a list");
            return;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            reader.read(seq.getValue().get(i), path + "[" + i + "]");
        }
    }

    private void readEntity(Node node, String path) {
        Map<String, Node> m = mapping(node, path, ENTITY_KEYS);
        if (m == null) {
            return;
        }
        Map<String, Loc> locs = locs(m, path);
        String name = name(node, m, path, "entity");
        List<String> keys = stringList(m.get("join_keys"), path + ".join_keys");
        if (m.get("join_keys") == null) {
            problem(node, path + ".join_keys", "required", "join_keys is required");
        } else if (keys != null && ((SequenceNode) m.get("join_keys")).getValue().isEmpty()) {
            problem(m.get("join_keys"), path + ".join_keys", "join_keys.empty", "an entity needs at least one join key");
        } else if (keys != null) {
            checkNames(keys, m.get("join_keys"), path + ".join_keys", "join key");
            if (new HashSet<>(keys).size() < keys.size()) {
                problem(m.get("join_keys"), path + ".join_keys", "name.duplicate", "a join key is listed twice: " + keys);
            }
        }
        if (name != null && keys != null) {
            entities.add(new Draft<>(new Entity(name, keys, optString(m, "description", path)), loc(node, path), locs));
        }
    }

    private void readSource(Node node, String path) {
        Map<String, Node> m = mapping(node, path, SOURCE_KEYS);
        if (m == null) {
            return;
        }
        Map<String, Loc> locs = locs(m, path);
        String name = name(node, m, path, "source");
        String entity = reqString(m, "entity", path, node);
        String ts = reqString(m, "timestamp_field", path, node);
        String created = optString(m, "created_timestamp_field", path);
        String id = optString(m, "id_field", path);
        Map<String, ColumnType> schema = new LinkedHashMap<>();
        Node schemaNode = m.get("schema");
        if (schemaNode == null) {
            problem(node, path + ".schema", "required", "schema is required");
        } else {
            Map<String, Node> cols = mapping(schemaNode, path + ".schema", null);
            if (cols != null) {
                if (cols.isEmpty()) {
                    problem(schemaNode, path + ".schema", "schema.empty", "a schema needs at least one column");
                }
                for (Map.Entry<String, Node> c : cols.entrySet()) {
                    String cpath = path + ".schema." + c.getKey();
                    if (!NAME.matcher(c.getKey()).matches()) {
                        problem(c.getValue(), cpath, "name.pattern", "column name '" + c.getKey()
                            + "' must match " + NAME.pattern());
                    }
                    String t = scalar(c.getValue(), cpath);
                    ColumnType type = ColumnType.parse(t);
                    if (t != null && type == null) {
                        problem(c.getValue(), cpath, "type.unknown", "unknown column type '" + t
                            + "' (expected one of string, int, long, float, double, bool, timestamp)");
                    }
                    if (type != null) {
                        schema.put(c.getKey(), type);
                    }
                    locs.put("schema." + c.getKey(), loc(c.getValue(), cpath));
                }
            }
        }
        Map<String, ColumnContract> contract = new LinkedHashMap<>();
        Node contractNode = m.get("contract");
        if (contractNode != null) {
            Map<String, Node> cols = mapping(contractNode, path + ".contract", null);
            if (cols != null) {
                for (Map.Entry<String, Node> c : cols.entrySet()) {
                    String cpath = path + ".contract." + c.getKey();
                    locs.put("contract." + c.getKey(), loc(c.getValue(), cpath));
                    ColumnContract cc = readContract(c.getValue(), cpath, locs, "contract." + c.getKey());
                    if (cc != null) {
                        contract.put(c.getKey(), cc);
                    }
                }
            }
        }
        double threshold = Source.DEFAULT_QUARANTINE_THRESHOLD;
        if (m.containsKey("quarantine_threshold")) {
            Double t = number(m.get("quarantine_threshold"), path + ".quarantine_threshold");
            if (t != null && (t < 0 || t > 1)) {
                problem(m.get("quarantine_threshold"), path + ".quarantine_threshold", "range",
                    "quarantine_threshold must be between 0 and 1, got " + t);
            } else if (t != null) {
                threshold = t;
            }
        }
        String topic = null;
        if (m.containsKey("streams")) {
            Map<String, Node> streams = mapping(m.get("streams"), path + ".streams", STREAM_KEYS);
            if (streams != null && streams.containsKey("kafka")) {
                Map<String, Node> kafka = mapping(streams.get("kafka"), path + ".streams.kafka", KAFKA_KEYS);
                if (kafka != null) {
                    topic = reqString(kafka, "topic", path + ".streams.kafka", streams.get("kafka"));
                }
            }
        }
        long retention = duration(m.get("retention"), path + ".retention");
        if (name != null && entity != null && ts != null) {
            sources.add(new Draft<>(new Source(name, entity, ts, created, id, schema, contract, threshold, topic,
                optString(m, "description", path), Math.max(0, retention)), loc(node, path), locs));
        }
    }

    private ColumnContract readContract(Node node, String path, Map<String, Loc> locs, String key) {
        Map<String, Node> m = mapping(node, path, CONTRACT_KEYS);
        if (m == null) {
            return null;
        }
        boolean required = false;
        if (m.containsKey("required")) {
            Boolean b = bool(m.get("required"), path + ".required");
            required = b != null && b;
        }
        Double min = m.containsKey("min") ? number(m.get("min"), path + ".min") : null;
        Double max = m.containsKey("max") ? number(m.get("max"), path + ".max") : null;
        if (min != null && max != null && min > max) {
            problem(node, path, "contract.range", "min " + min + " is greater than max " + max);
        }
        List<String> allowed = m.containsKey("allowed") ? stringList(m.get("allowed"), path + ".allowed") : null;
        if (allowed != null && ((SequenceNode) m.get("allowed")).getValue().isEmpty()) {
            problem(m.get("allowed"), path + ".allowed", "contract.allowed_empty", "allowed needs at least one value");
        }
        if (m.containsKey("min")) {
            locs.put(key + ".min", loc(m.get("min"), path + ".min"));
        }
        if (m.containsKey("max")) {
            locs.put(key + ".max", loc(m.get("max"), path + ".max"));
        }
        if (m.containsKey("allowed")) {
            locs.put(key + ".allowed", loc(m.get("allowed"), path + ".allowed"));
        }
        return new ColumnContract(required, min, max, allowed);
    }

    private void readView(Node node, String path) {
        Map<String, Node> m = mapping(node, path, VIEW_KEYS);
        if (m == null) {
            return;
        }
        Map<String, Loc> locs = locs(m, path);
        String name = name(node, m, path, "feature view");
        String entity = reqString(m, "entity", path, node);
        String source = reqString(m, "source", path, node);
        boolean online = true;
        if (m.containsKey("online")) {
            Boolean b = bool(m.get("online"), path + ".online");
            online = b == null || b;
        }
        long ttl = duration(m.get("ttl"), path + ".ttl");
        long hop = duration(m.get("hop"), path + ".hop");
        List<Feature> features = new ArrayList<>();
        Node fnode = m.get("features");
        if (fnode == null) {
            problem(node, path + ".features", "required", "features is required");
        } else {
            forEach(fnode, path + ".features", (n, p) -> {
                Feature f = readFeature(n, p);
                if (f != null) {
                    locs.put("features." + f.name(), loc(n, p));
                    features.add(f);
                }
            });
            if (fnode instanceof SequenceNode s && s.getValue().isEmpty()) {
                problem(fnode, path + ".features", "features.empty", "a feature view needs at least one feature");
            }
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (m.containsKey("tags")) {
            Map<String, Node> t = mapping(m.get("tags"), path + ".tags", null);
            if (t != null) {
                t.forEach((k, v) -> {
                    String s = scalar(v, path + ".tags." + k);
                    if (s != null) {
                        tags.put(k, s);
                    }
                });
            }
        }
        if (name != null && entity != null && source != null) {
            views.add(new Draft<>(new FeatureView(name, entity, source, online, Math.max(ttl, 0), Math.max(hop, 0),
                features, optString(m, "owner", path), tags, optString(m, "description", path)), loc(node, path), locs));
        }
    }

    private Feature readFeature(Node node, String path) {
        Map<String, Node> m = mapping(node, path, FEATURE_KEYS);
        if (m == null) {
            return null;
        }
        String name = name(node, m, path, "feature");
        String column = optString(m, "column", path);
        String aggText = optString(m, "aggregation", path);
        Aggregation agg = null;
        if (aggText != null) {
            agg = Aggregation.parse(aggText);
            if (agg == null) {
                problem(m.get("aggregation"), path + ".aggregation", "aggregation.unknown", "unknown aggregation '"
                    + aggText + "' (expected one of count, count_distinct, sum, avg, min, max, stddev, first, last)");
                return null;
            }
        }
        long window = duration(m.get("window"), path + ".window");
        if (agg != null && m.get("window") == null) {
            problem(node, path + ".window", "window.required", "aggregation '" + agg.spelling() + "' needs a window");
        }
        if (agg == null && m.get("window") != null) {
            problem(m.get("window"), path + ".window", "window.without_aggregation",
                "a window is only meaningful with an aggregation");
        }
        if (column == null && (agg == null || !agg.columnOptional())) {
            problem(node, path + ".column", "required", agg == null
                ? "a plain feature needs a column" : "aggregation '" + agg.spelling() + "' needs a column");
        }
        if (name == null) {
            return null;
        }
        return new Feature(name, column, agg, agg == null ? 0 : Math.max(window, 0), optString(m, "description", path));
    }

    private void readService(Node node, String path) {
        Map<String, Node> m = mapping(node, path, SERVICE_KEYS);
        if (m == null) {
            return;
        }
        Map<String, Loc> locs = locs(m, path);
        String name = name(node, m, path, "feature service");
        List<FeatureRef> refs = new ArrayList<>();
        Node fnode = m.get("features");
        if (fnode == null) {
            problem(node, path + ".features", "required", "features is required");
        } else if (!(fnode instanceof SequenceNode seq)) {
            problem(fnode, path + ".features", "type.list", "expected a list");
        } else {
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String ipath = path + ".features[" + i + "]";
                if (item instanceof ScalarNode s) {
                    FeatureRef r = FeatureRef.parse(s.getValue());
                    if (r == null) {
                        problem(item, ipath, "feature_ref.syntax", "expected 'view:feature', got '" + s.getValue() + "'");
                    } else {
                        locs.put("ref." + refs.size(), loc(item, ipath));
                        refs.add(r);
                    }
                } else {
                    Map<String, Node> one = mapping(item, ipath, null);
                    if (one == null) {
                        continue;
                    }
                    for (Map.Entry<String, Node> e : one.entrySet()) {
                        List<String> fs = stringList(e.getValue(), ipath + "." + e.getKey());
                        if (fs != null) {
                            for (String f : fs) {
                                locs.put("ref." + refs.size(), loc(e.getValue(), ipath + "." + e.getKey()));
                                refs.add(new FeatureRef(e.getKey(), f));
                            }
                        }
                    }
                }
            }
            if (seq.getValue().isEmpty()) {
                problem(fnode, path + ".features", "features.empty", "a feature service needs at least one feature");
            }
        }
        if (name != null) {
            services.add(new Draft<>(new FeatureService(name, refs, optString(m, "description", path)), loc(node, path), locs));
        }
    }

    // ---------------------------------------------------------------- cross-checks

    private void crossCheck() {
        Map<String, Draft<Entity>> entityByName = unique(entities, Entity::name, "entity");
        Map<String, Draft<Source>> sourceByName = unique(sources, Source::name, "source");
        Map<String, Draft<FeatureView>> viewByName = unique(views, FeatureView::name, "feature view");
        unique(services, FeatureService::name, "feature service");

        for (Draft<Source> d : sources) {
            Source s = d.value();
            Draft<Entity> e = entityByName.get(s.entity());
            if (e == null) {
                report(d.at("entity"), null, "ref.entity", "unknown entity '" + s.entity() + "'");
            } else {
                for (String k : e.value().joinKeys()) {
                    if (!s.schema().containsKey(k)) {
                        report(d.at("schema"), null, "schema.join_key",
                            "join key '" + k + "' of entity '" + e.value().name() + "' is not a column of the schema");
                    }
                }
            }
            checkTimestampField(d, "timestamp_field", s.timestampField());
            if (s.createdTimestampField() != null) {
                checkTimestampField(d, "created_timestamp_field", s.createdTimestampField());
            }
            if (s.idField() != null && !s.schema().containsKey(s.idField())) {
                report(d.at("id_field"), null, "ref.column", "id_field '" + s.idField() + "' is not a column of the schema");
            }
            for (Map.Entry<String, ColumnContract> c : s.contract().entrySet()) {
                ColumnType type = s.schema().get(c.getKey());
                String key = "contract." + c.getKey();
                if (type == null) {
                    report(d.at(key), null, "ref.column", "contract names column '" + c.getKey() + "' that is not in the schema");
                    continue;
                }
                if ((c.getValue().min() != null || c.getValue().max() != null) && !type.isNumeric()) {
                    report(d.at(key + (c.getValue().min() != null ? ".min" : ".max")), null, "contract.min_max_numeric",
                        "min/max need a numeric column, '" + c.getKey() + "' is " + type.spelling());
                }
                if (c.getValue().allowed() != null && type != ColumnType.STRING) {
                    report(d.at(key + ".allowed"), null, "contract.allowed_string",
                        "allowed needs a string column, '" + c.getKey() + "' is " + type.spelling());
                }
            }
        }

        for (Draft<FeatureView> d : views) {
            FeatureView v = d.value();
            if (!entityByName.containsKey(v.entity())) {
                report(d.at("entity"), null, "ref.entity", "unknown entity '" + v.entity() + "'");
            }
            Draft<Source> sd = sourceByName.get(v.source());
            if (sd == null) {
                report(d.at("source"), null, "ref.source", "unknown source '" + v.source() + "'");
            } else if (!sd.value().entity().equals(v.entity())) {
                report(d.at("source"), null, "ref.entity_mismatch", "source '" + v.source() + "' describes entity '"
                    + sd.value().entity() + "', not '" + v.entity() + "'");
            }
            if (v.hopMillis() > 0) {
                for (Feature f : v.features()) {
                    if (f.isWindowed() && f.windowMillis() % v.hopMillis() != 0) {
                        report(d.at("hop"), null, "hop.divides_window", "hop " + Durations.format(v.hopMillis())
                            + " must divide window " + Durations.format(f.windowMillis()) + " of feature '" + f.name() + "'");
                    }
                }
            }
            Set<String> seen = new HashSet<>();
            for (Feature f : v.features()) {
                Loc at = d.at("features." + f.name());
                if (!seen.add(f.name())) {
                    report(at, null, "name.duplicate", "feature '" + f.name() + "' is defined twice in view '"
                        + v.name() + "'");
                }
                if (sd == null || f.column() == null) {
                    continue;
                }
                ColumnType type = sd.value().schema().get(f.column());
                if (type == null) {
                    report(at, ".column", "ref.column", "column '" + f.column()
                        + "' is not in the schema of source '" + v.source() + "'");
                } else if (f.aggregation() != null && f.aggregation().needsNumeric() && !type.isNumeric()) {
                    report(at, ".aggregation", "aggregation.numeric", "aggregation '"
                        + f.aggregation().spelling() + "' needs a numeric column, '" + f.column() + "' is " + type.spelling());
                }
            }
        }

        for (Draft<FeatureService> d : services) {
            List<FeatureRef> refs = d.value().features();
            Set<FeatureRef> seen = new HashSet<>();
            for (int i = 0; i < refs.size(); i++) {
                FeatureRef r = refs.get(i);
                Loc at = d.at("ref." + i);
                Draft<FeatureView> vd = viewByName.get(r.view());
                if (vd == null) {
                    report(at, null, "ref.feature_view", "unknown feature view '" + r.view() + "'");
                } else if (vd.value().feature(r.feature()).isEmpty()) {
                    report(at, null, "ref.feature", "feature view '" + r.view() + "' has no feature '" + r.feature() + "'");
                } else if (!seen.add(r)) {
                    report(at, null, "name.duplicate", "feature '" + r.qualified() + "' is listed twice");
                }
            }
        }
    }

    private void checkTimestampField(Draft<Source> d, String key, String column) {
        ColumnType t = d.value().schema().get(column);
        if (t == null) {
            report(d.at(key), null, "ref.column", key + " '" + column + "' is not a column of the schema");
        } else if (t != ColumnType.TIMESTAMP) {
            report(d.at(key), null, "type.timestamp", key + " '" + column + "' must have type timestamp, not " + t.spelling());
        }
    }

    private <T> Map<String, Draft<T>> unique(List<Draft<T>> drafts, java.util.function.Function<T, String> name, String what) {
        Map<String, Draft<T>> byName = new HashMap<>();
        for (Draft<T> d : drafts) {
            String n = name.apply(d.value());
            Draft<T> prev = byName.putIfAbsent(n, d);
            if (prev != null) {
                report(d.at("name"), null, "name.duplicate", what + " '" + n + "' is defined twice (first at "
                    + prev.loc().file() + ":" + prev.loc().line() + ")");
            }
        }
        return byName;
    }

    /** Reports at a located node; {@code suffix} (may be null) names a member below it, e.g. ".column". */
    private void report(Loc at, String suffix, String rule, String message) {
        problems.add(new DefinitionProblem(at.file(), at.line(), suffix == null ? at.path() : at.path() + suffix, rule, message));
    }

    // ---------------------------------------------------------------- node helpers

    private Loc loc(Node n, String path) {
        return new Loc(file, n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1, path);
    }

    private Map<String, Loc> locs(Map<String, Node> m, String path) {
        Map<String, Loc> locs = new HashMap<>();
        m.forEach((k, v) -> locs.put(k, loc(v, path + "." + k)));
        return locs;
    }

    private void problem(Node n, String path, String rule, String message) {
        problems.add(new DefinitionProblem(file, n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1,
            path, rule, message));
    }

    /** A mapping's entries in order; unknown keys (when {@code allowed} is given) and duplicates reported. */
    private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode mn)) {
            problem(node, path, "type.mapping", "expected a mapping of keys to values");
            return null;
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : mn.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(t.getKeyNode(), path, "key.scalar", "keys must be plain names");
                continue;
            }
            String key = k.getValue();
            if (allowed != null && !allowed.contains(key)) {
                problem(k, path + "." + key, "key.unknown", "unknown key '" + key + "' (allowed: "
                    + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                continue;
            }
            if (out.containsKey(key)) {
                problem(k, path + "." + key, "key.duplicate", "key '" + key + "' appears twice");
                continue;
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    private String scalar(Node node, String path) {
        if (!(node instanceof ScalarNode s)) {
            problem(node, path, "type.scalar", "expected a single value");
            return null;
        }
        return s.getValue();
    }

    private String name(Node parent, Map<String, Node> m, String path, String what) {
        Node n = m.get("name");
        if (n == null) {
            problem(parent, path + ".name", "required", what + " needs a name");
            return null;
        }
        String s = scalar(n, path + ".name");
        if (s != null && !NAME.matcher(s).matches()) {
            problem(n, path + ".name", "name.pattern", what + " name '" + s + "' must match " + NAME.pattern());
            return null;
        }
        return s;
    }

    private void checkNames(List<String> names, Node node, String path, String what) {
        for (String s : names) {
            if (!NAME.matcher(s).matches()) {
                problem(node, path, "name.pattern", what + " '" + s + "' must match " + NAME.pattern());
            }
        }
    }

    private String reqString(Map<String, Node> m, String key, String path, Node parent) {
        Node n = m.get(key);
        if (n == null) {
            problem(parent, path + "." + key, "required", key + " is required");
            return null;
        }
        return scalar(n, path + "." + key);
    }

    private String optString(Map<String, Node> m, String key, String path) {
        Node n = m.get(key);
        return n == null ? null : scalar(n, path + "." + key);
    }

    private List<String> stringList(Node node, String path) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof SequenceNode seq)) {
            problem(node, path, "type.list", "expected a list");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node n : seq.getValue()) {
            String s = scalar(n, path);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private Double number(Node node, String path) {
        String s = scalar(node, path);
        if (s == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(s.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            problem(node, path, "type.number", "expected a number, got '" + s + "'");
            return null;
        }
    }

    private Boolean bool(Node node, String path) {
        String s = scalar(node, path);
        if (s == null) {
            return null;
        }
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(node, path, "type.bool", "expected true or false, got '" + s + "'");
                yield null;
            }
        };
    }

    /** Milliseconds, 0 when absent, -1 after reporting a bad duration. */
    private long duration(Node node, String path) {
        if (node == null) {
            return 0;
        }
        String s = scalar(node, path);
        if (s == null) {
            return -1;
        }
        long ms = Durations.parseMillis(s);
        if (ms < 0) {
            problem(node, path, "duration.syntax", "'" + s + "' is not a duration (write e.g. 90s, 15m, 1h, 7d)");
        }
        return ms;
    }
}

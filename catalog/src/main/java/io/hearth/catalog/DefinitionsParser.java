package io.hearth.catalog;

import io.hearth.catalog.Nodes.Loc;
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

    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private static final Set<String> ROOT_KEYS = Set.of("project", "entities", "sources", "feature_views", "feature_services",
        "models");
    private static final Set<String> ENTITY_KEYS = MetaReader.with("name", "join_keys");
    private static final Set<String> SOURCE_KEYS = MetaReader.with("name", "entity", "timestamp_field",
        "created_timestamp_field", "id_field", "schema", "contract", "quarantine_threshold", "streams", "retention", "expectations");
    private static final Set<String> COLUMN_KEYS = MetaReader.with("type");
    private static final Set<String> CONTRACT_KEYS = Set.of("required", "min", "max", "allowed");
    private static final Set<String> STREAM_KEYS = Set.of("kafka");
    private static final Set<String> KAFKA_KEYS = Set.of("topic");
    private static final Set<String> VIEW_KEYS = MetaReader.with("name", "entity", "source", "online", "ttl", "hop",
        "features", "expectations");
    private static final Set<String> FEATURE_KEYS = MetaReader.with("name", "column", "aggregation", "window");
    private static final Set<String> SERVICE_KEYS = MetaReader.with("name", "features", "logging");
    private static final Set<String> LOGGING_KEYS = Set.of("sample_rate", "on_overload", "retention", "outcomes");
    private static final Set<String> OUTCOMES_KEYS = Set.of("kafka");
    /** Kafka's own rule for topic names. */
    static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Set<String> MODEL_KEYS = MetaReader.with("name", "version", "feature_service", "training_sets");

    private final Nodes n = new Nodes();
    private final MetaReader meta = new MetaReader(n);
    private final ExpectationReader expectations = new ExpectationReader(n);

    private record Draft<T>(T value, Loc loc, Map<String, Loc> fields) {
        Loc at(String key) {
            return fields.getOrDefault(key, loc);
        }
    }

    /**
     * A deprecation's replacement, checked once every object is known: it must name another object of
     * {@code kind} ({@code scope}: the source whose columns a column's replacement is one of).
     */
    private record Replacement(String kind, String self, String ref, String scope, Loc at) {
    }

    private String project;
    private final List<Draft<Entity>> entities = new ArrayList<>();
    private final List<Draft<Source>> sources = new ArrayList<>();
    private final List<Draft<FeatureView>> views = new ArrayList<>();
    private final List<Draft<FeatureService>> services = new ArrayList<>();
    private final List<Draft<Model>> models = new ArrayList<>();
    private final List<Replacement> replacements = new ArrayList<>();

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
            p.n.file = in.file();
            Node root = p.compose(new StringReader(in.text()));
            if (root != null) {
                p.readDocument(root);
            }
        }
        p.n.file = null;
        return p.finish();
    }

    /**
     * {@code current} with one model (a document that is the model's mapping: {@code name}, {@code version},
     * {@code feature_service}, ...) added, or in place of the model of the same name. See {@link #model}.
     */
    public static Definitions withModel(Definitions current, String file, String text) {
        return current.withModel(model(current, file, text));
    }

    /**
     * One model, read from a document that is its mapping and checked against {@code current} as if it were written
     * in the same file (its feature service, its replacement); problems name its keys without a prefix
     * ({@code feature_service}), as a request body's fields.
     */
    public static Model model(Definitions current, String file, String text) {
        DefinitionsParser p = new DefinitionsParser();
        p.n.file = file;
        Node root = p.compose(new StringReader(text));
        Draft<Model> added = null;
        if (root != null) {
            p.readModel(root, "");
            added = p.models.isEmpty() ? null : p.models.get(0);
        }
        if (added == null) {
            throw new DefinitionException(p.n.problems);
        }
        p.models.clear();
        p.load(current, added);
        p.n.file = null;
        p.finish();
        return added.value();
    }

    private Definitions finish() {
        crossCheck();
        if (!n.problems.isEmpty()) {
            throw new DefinitionException(n.problems);
        }
        return new Definitions(project,
            entities.stream().map(Draft::value).toList(),
            sources.stream().map(Draft::value).toList(),
            views.stream().map(Draft::value).toList(),
            services.stream().map(Draft::value).toList(),
            models.stream().map(Draft::value).toList());
    }

    /**
     * Takes valid definitions as drafts (without locations: nothing will be reported about them), with {@code model}
     * in place of the model of its name, or last.
     */
    private void load(Definitions d, Draft<Model> model) {
        project = d.project();
        Loc none = new Loc("registry", 0, "$");
        d.entities().forEach(x -> entities.add(new Draft<>(x, none, Map.of())));
        d.sources().forEach(x -> sources.add(new Draft<>(x, none, Map.of())));
        d.featureViews().forEach(x -> views.add(new Draft<>(x, none, Map.of())));
        d.featureServices().forEach(x -> services.add(new Draft<>(x, none, Map.of())));
        boolean replaced = false;
        for (Model x : d.models()) {
            boolean same = x.name().equals(model.value().name());
            models.add(same ? model : new Draft<>(x, none, Map.of()));
            replaced |= same;
        }
        if (!replaced) {
            models.add(model);
        }
    }

    // ---------------------------------------------------------------- structure

    /** The document's root node, or null after reporting why there is none. */
    private Node compose(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by us, with the line
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(16 * 1024 * 1024);
        Node root;
        try {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            n.problems.add(new DefinitionProblem(n.file, line, "$", "yaml.syntax", "not valid YAML: " + e.getProblem()));
            return null;
        } catch (YAMLException e) {
            n.problems.add(new DefinitionProblem(n.file, 0, "$", "yaml.syntax", "not valid YAML: " + e.getMessage()));
            return null;
        }
        if (root == null || root instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) { // nothing, "---" or "~"
            n.problems.add(new DefinitionProblem(n.file, 1, "$", "document.empty", "the document is empty"));
            return null;
        }
        return root;
    }

    private void readDocument(Node root) {
        Map<String, Node> top = n.mapping(root, "$", ROOT_KEYS);
        if (top == null) {
            return;
        }
        if (top.containsKey("project")) {
            String p = n.scalar(top.get("project"), "project");
            if (p != null) {
                if (project != null && !project.equals(p)) {
                    n.problem(top.get("project"), "project", "project.conflict",
                        "project '" + p + "' differs from '" + project + "' given in another file");
                }
                project = p;
            }
        }
        forEach(top.get("entities"), "entities", this::readEntity);
        forEach(top.get("sources"), "sources", this::readSource);
        forEach(top.get("feature_views"), "feature_views", this::readView);
        forEach(top.get("feature_services"), "feature_services", this::readService);
        forEach(top.get("models"), "models", this::readModel);
    }

    private interface ItemReader {
        void read(Node node, String path);
    }

    private void forEach(Node node, String path, ItemReader reader) {
        if (node == null) {
            return;
        }
        if (!(node instanceof SequenceNode seq)) {
            n.problem(node, path, "type.list", "expected a list");
            return;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            reader.read(seq.getValue().get(i), path + "[" + i + "]");
        }
    }

    /** The object's metadata; a replacement it names is remembered for the cross-checks. */
    private Meta meta(Map<String, Node> m, String path, String kind, String self, String scope) {
        MetaReader.Read r = meta.read(m, path);
        if (r.replacementAt() != null && self != null) {
            replacements.add(new Replacement(kind, self, r.meta().deprecated().replacement(), scope, r.replacementAt()));
        }
        return r.meta();
    }

    private void readEntity(Node node, String path) {
        Map<String, Node> m = n.mapping(node, path, ENTITY_KEYS);
        if (m == null) {
            return;
        }
        Map<String, Loc> locs = n.locs(m, path);
        String name = n.name(node, m, path, "entity");
        List<String> keys = n.stringList(m.get("join_keys"), path + ".join_keys");
        if (m.get("join_keys") == null) {
            n.problem(node, path + ".join_keys", "required", "join_keys is required");
        } else if (keys != null && ((SequenceNode) m.get("join_keys")).getValue().isEmpty()) {
            n.problem(m.get("join_keys"), path + ".join_keys", "join_keys.empty", "an entity needs at least one join key");
        } else if (keys != null) {
            n.checkNames(keys, m.get("join_keys"), path + ".join_keys", "join key");
            if (new HashSet<>(keys).size() < keys.size()) {
                n.problem(m.get("join_keys"), path + ".join_keys", "name.duplicate", "a join key is listed twice: " + keys);
            }
        }
        Meta md = meta(m, path, "entity", name, null);
        if (name != null && keys != null) {
            entities.add(new Draft<>(new Entity(name, keys, md), n.loc(node, path), locs));
        }
    }

    private void readSource(Node node, String path) {
        Map<String, Node> m = n.mapping(node, path, SOURCE_KEYS);
        if (m == null) {
            return;
        }
        Map<String, Loc> locs = n.locs(m, path);
        String name = n.name(node, m, path, "source");
        String entity = n.reqString(m, "entity", path, node);
        String ts = n.reqString(m, "timestamp_field", path, node);
        String created = n.optString(m, "created_timestamp_field", path);
        String id = n.optString(m, "id_field", path);
        Map<String, ColumnType> schema = new LinkedHashMap<>();
        Map<String, Meta> columnMeta = new LinkedHashMap<>();
        Node schemaNode = m.get("schema");
        if (schemaNode == null) {
            n.problem(node, path + ".schema", "required", "schema is required");
        } else {
            Map<String, Node> cols = n.mapping(schemaNode, path + ".schema", null);
            if (cols != null) {
                if (cols.isEmpty()) {
                    n.problem(schemaNode, path + ".schema", "schema.empty", "a schema needs at least one column");
                }
                for (Map.Entry<String, Node> c : cols.entrySet()) {
                    String cpath = path + ".schema." + c.getKey();
                    if (!NAME.matcher(c.getKey()).matches()) {
                        n.problem(c.getValue(), cpath, "name.pattern", "column name '" + c.getKey()
                            + "' must match " + NAME.pattern());
                    }
                    ColumnType type = readColumn(c.getValue(), cpath, c.getKey(), name, columnMeta);
                    if (type != null) {
                        schema.put(c.getKey(), type);
                    }
                    locs.put("schema." + c.getKey(), n.loc(c.getValue(), cpath));
                }
            }
        }
        Map<String, ColumnContract> contract = new LinkedHashMap<>();
        Node contractNode = m.get("contract");
        if (contractNode != null) {
            Map<String, Node> cols = n.mapping(contractNode, path + ".contract", null);
            if (cols != null) {
                for (Map.Entry<String, Node> c : cols.entrySet()) {
                    String cpath = path + ".contract." + c.getKey();
                    locs.put("contract." + c.getKey(), n.loc(c.getValue(), cpath));
                    ColumnContract cc = readContract(c.getValue(), cpath, locs, "contract." + c.getKey());
                    if (cc != null) {
                        contract.put(c.getKey(), cc);
                    }
                }
            }
        }
        double threshold = Source.DEFAULT_QUARANTINE_THRESHOLD;
        if (m.containsKey("quarantine_threshold")) {
            Double t = n.number(m.get("quarantine_threshold"), path + ".quarantine_threshold");
            if (t != null && (t < 0 || t > 1)) {
                n.problem(m.get("quarantine_threshold"), path + ".quarantine_threshold", "range",
                    "quarantine_threshold must be between 0 and 1, got " + t);
            } else if (t != null) {
                threshold = t;
            }
        }
        String topic = null;
        if (m.containsKey("streams")) {
            Map<String, Node> streams = n.mapping(m.get("streams"), path + ".streams", STREAM_KEYS);
            if (streams != null && streams.containsKey("kafka")) {
                Map<String, Node> kafka = n.mapping(streams.get("kafka"), path + ".streams.kafka", KAFKA_KEYS);
                if (kafka != null) {
                    topic = n.reqString(kafka, "topic", path + ".streams.kafka", streams.get("kafka"));
                }
            }
        }
        long retention = n.duration(m.get("retention"), path + ".retention");
        SourceExpectations ex = m.containsKey("expectations")
            ? expectations.source(m.get("expectations"), path + ".expectations", locs) : SourceExpectations.NONE;
        Meta md = meta(m, path, "source", name, null);
        if (name != null && entity != null && ts != null) {
            sources.add(new Draft<>(new Source(name, entity, ts, created, id, schema, contract, threshold, topic,
                Math.max(0, retention), columnMeta, md, ex), n.loc(node, path), locs));
        }
    }

    /** A schema entry: {@code amount: double}, or the long form {@code amount: {type: double, description: ...}}. */
    private ColumnType readColumn(Node node, String path, String column, String source, Map<String, Meta> columnMeta) {
        Node typeNode = node;
        String typePath = path;
        if (node instanceof MappingNode) {
            Map<String, Node> m = n.mapping(node, path, COLUMN_KEYS);
            typeNode = m.get("type");
            typePath = path + ".type";
            if (typeNode == null) {
                n.problem(node, typePath, "required", "the long form of a column needs its type");
            }
            columnMeta.put(column, meta(m, path, "column", source == null ? null : column, source));
            if (typeNode == null) {
                return null;
            }
        }
        String t = n.scalar(typeNode, typePath);
        ColumnType type = ColumnType.parse(t);
        if (t != null && type == null) {
            n.problem(typeNode, typePath, "type.unknown", "unknown column type '" + t
                + "' (expected one of string, int, long, float, double, bool, timestamp)");
        }
        return type;
    }

    private ColumnContract readContract(Node node, String path, Map<String, Loc> locs, String key) {
        Map<String, Node> m = n.mapping(node, path, CONTRACT_KEYS);
        if (m == null) {
            return null;
        }
        boolean required = false;
        if (m.containsKey("required")) {
            Boolean b = n.bool(m.get("required"), path + ".required");
            required = b != null && b;
        }
        Double min = m.containsKey("min") ? n.number(m.get("min"), path + ".min") : null;
        Double max = m.containsKey("max") ? n.number(m.get("max"), path + ".max") : null;
        if (min != null && max != null && min > max) {
            n.problem(node, path, "contract.range", "min " + min + " is greater than max " + max);
        }
        List<String> allowed = m.containsKey("allowed") ? n.stringList(m.get("allowed"), path + ".allowed") : null;
        if (allowed != null && ((SequenceNode) m.get("allowed")).getValue().isEmpty()) {
            n.problem(m.get("allowed"), path + ".allowed", "contract.allowed_empty", "allowed needs at least one value");
        }
        if (m.containsKey("min")) {
            locs.put(key + ".min", n.loc(m.get("min"), path + ".min"));
        }
        if (m.containsKey("max")) {
            locs.put(key + ".max", n.loc(m.get("max"), path + ".max"));
        }
        if (m.containsKey("allowed")) {
            locs.put(key + ".allowed", n.loc(m.get("allowed"), path + ".allowed"));
        }
        return new ColumnContract(required, min, max, allowed);
    }

    private void readView(Node node, String path) {
        Map<String, Node> m = n.mapping(node, path, VIEW_KEYS);
        if (m == null) {
            return;
        }
        Map<String, Loc> locs = n.locs(m, path);
        String name = n.name(node, m, path, "feature view");
        String entity = n.reqString(m, "entity", path, node);
        String source = n.reqString(m, "source", path, node);
        boolean online = true;
        if (m.containsKey("online")) {
            Boolean b = n.bool(m.get("online"), path + ".online");
            online = b == null || b;
        }
        long ttl = n.duration(m.get("ttl"), path + ".ttl");
        long hop = n.duration(m.get("hop"), path + ".hop");
        List<Feature> features = new ArrayList<>();
        Node fnode = m.get("features");
        if (fnode == null) {
            n.problem(node, path + ".features", "required", "features is required");
        } else {
            forEach(fnode, path + ".features", (item, p) -> {
                Feature f = readFeature(item, p, name);
                if (f != null) {
                    locs.put("features." + f.name(), n.loc(item, p));
                    features.add(f);
                }
            });
            if (fnode instanceof SequenceNode s && s.getValue().isEmpty()) {
                n.problem(fnode, path + ".features", "features.empty", "a feature view needs at least one feature");
            }
        }
        Map<String, List<Expectation>> ex = m.containsKey("expectations")
            ? expectations.view(m.get("expectations"), path + ".expectations", locs) : Map.of();
        Meta md = meta(m, path, "feature view", name, null);
        if (name != null && entity != null && source != null) {
            views.add(new Draft<>(new FeatureView(name, entity, source, online, Math.max(ttl, 0), Math.max(hop, 0),
                features, md, ex), n.loc(node, path), locs));
        }
    }

    private Feature readFeature(Node node, String path, String view) {
        Map<String, Node> m = n.mapping(node, path, FEATURE_KEYS);
        if (m == null) {
            return null;
        }
        String name = n.name(node, m, path, "feature");
        String column = n.optString(m, "column", path);
        String aggText = n.optString(m, "aggregation", path);
        Aggregation agg = null;
        if (aggText != null) {
            agg = Aggregation.parse(aggText);
            if (agg == null) {
                n.problem(m.get("aggregation"), path + ".aggregation", "aggregation.unknown", "unknown aggregation '"
                    + aggText + "' (expected one of count, count_distinct, sum, avg, min, max, stddev, first, last)");
                return null;
            }
        }
        long window = n.duration(m.get("window"), path + ".window");
        if (agg != null && m.get("window") == null) {
            n.problem(node, path + ".window", "window.required", "aggregation '" + agg.spelling() + "' needs a window");
        }
        if (agg == null && m.get("window") != null) {
            n.problem(m.get("window"), path + ".window", "window.without_aggregation",
                "a window is only meaningful with an aggregation");
        }
        if (column == null && (agg == null || !agg.columnOptional())) {
            n.problem(node, path + ".column", "required", agg == null
                ? "a plain feature needs a column" : "aggregation '" + agg.spelling() + "' needs a column");
        }
        Meta md = meta(m, path, "feature", view == null || name == null ? null : view + ":" + name, null);
        if (name == null) {
            return null;
        }
        return new Feature(name, column, agg, agg == null ? 0 : Math.max(window, 0), md);
    }

    private void readService(Node node, String path) {
        Map<String, Node> m = n.mapping(node, path, SERVICE_KEYS);
        if (m == null) {
            return;
        }
        Map<String, Loc> locs = n.locs(m, path);
        String name = n.name(node, m, path, "feature service");
        List<FeatureRef> refs = new ArrayList<>();
        Node fnode = m.get("features");
        if (fnode == null) {
            n.problem(node, path + ".features", "required", "features is required");
        } else if (!(fnode instanceof SequenceNode seq)) {
            n.problem(fnode, path + ".features", "type.list", "expected a list");
        } else {
            for (int i = 0; i < seq.getValue().size(); i++) {
                Node item = seq.getValue().get(i);
                String ipath = path + ".features[" + i + "]";
                if (item instanceof ScalarNode s) {
                    FeatureRef r = FeatureRef.parse(s.getValue());
                    if (r == null) {
                        n.problem(item, ipath, "feature_ref.syntax", "expected 'view:feature', got '" + s.getValue() + "'");
                    } else {
                        locs.put("ref." + refs.size(), n.loc(item, ipath));
                        refs.add(r);
                    }
                } else {
                    Map<String, Node> one = n.mapping(item, ipath, null);
                    if (one == null) {
                        continue;
                    }
                    for (Map.Entry<String, Node> e : one.entrySet()) {
                        List<String> fs = n.stringList(e.getValue(), ipath + "." + e.getKey());
                        if (fs != null) {
                            for (String f : fs) {
                                locs.put("ref." + refs.size(), n.loc(e.getValue(), ipath + "." + e.getKey()));
                                refs.add(new FeatureRef(e.getKey(), f));
                            }
                        }
                    }
                }
            }
            if (seq.getValue().isEmpty()) {
                n.problem(fnode, path + ".features", "features.empty", "a feature service needs at least one feature");
            }
        }
        FeatureLogging logging = m.containsKey("logging") ? readLogging(m.get("logging"), path + ".logging", locs)
            : FeatureLogging.NONE;
        Meta md = meta(m, path, "feature service", name, null);
        if (name != null && logging != null) {
            services.add(new Draft<>(new FeatureService(name, refs, md, logging), n.loc(node, path), locs));
        }
    }

    /**
     * A service's {@code logging:}: {@code sample_rate} (required, from 0 to 1), {@code on_overload} ({@code drop}, the
     * default, or {@code block}), {@code retention} (a duration, default 90d) and {@code outcomes.kafka.topic}; null
     * after reporting a problem.
     */
    private FeatureLogging readLogging(Node node, String path, Map<String, Loc> locs) {
        Map<String, Node> m = n.mapping(node, path, LOGGING_KEYS);
        if (m == null) {
            return null;
        }
        int before = n.problems.size();
        Double rate = null;
        if (!m.containsKey("sample_rate")) {
            n.problem(node, path + ".sample_rate", "required", "logging needs a sample_rate from 0 to 1 (1: every lookup)");
        } else {
            rate = n.number(m.get("sample_rate"), path + ".sample_rate");
            if (rate != null && (rate < 0 || rate > 1)) {
                n.problem(m.get("sample_rate"), path + ".sample_rate", "range",
                    "sample_rate must be from 0 to 1, got " + rate);
            }
        }
        FeatureLogging.Overload overload = FeatureLogging.Overload.DROP;
        if (m.containsKey("on_overload")) {
            String o = n.scalar(m.get("on_overload"), path + ".on_overload");
            overload = FeatureLogging.Overload.parse(o);
            if (o != null && overload == null) {
                n.problem(m.get("on_overload"), path + ".on_overload", "on_overload.unknown", "on_overload must be drop "
                    + "(drop a record when the log's queue is full, and count it) or block (the lookup waits), got '"
                    + o + "'");
            }
        }
        long retention = m.containsKey("retention") ? n.duration(m.get("retention"), path + ".retention")
            : FeatureLogging.DEFAULT_RETENTION_MILLIS;
        String topic = null;
        if (m.containsKey("outcomes")) {
            Map<String, Node> outcomes = n.mapping(m.get("outcomes"), path + ".outcomes", OUTCOMES_KEYS);
            if (outcomes != null && !outcomes.containsKey("kafka")) {
                n.problem(m.get("outcomes"), path + ".outcomes.kafka", "required", "outcomes names where they arrive: "
                    + "kafka: {topic: ...}");
            } else if (outcomes != null) {
                Map<String, Node> kafka = n.mapping(outcomes.get("kafka"), path + ".outcomes.kafka", KAFKA_KEYS);
                if (kafka != null) {
                    topic = n.reqString(kafka, "topic", path + ".outcomes.kafka", outcomes.get("kafka"));
                    if (topic != null && !TOPIC.matcher(topic).matches()) {
                        n.problem(kafka.get("topic"), path + ".outcomes.kafka.topic", "topic.syntax", "'"
                            + (topic.length() > 80 ? topic.substring(0, 77) + "..." : topic)
                            + "' is not a Kafka topic name (1 to 249 of A-Z a-z 0-9 . _ -)");
                    }
                    locs.put("logging.outcomes", n.loc(kafka.get("topic") == null ? node : kafka.get("topic"),
                        path + ".outcomes.kafka.topic"));
                }
            }
        }
        if (n.problems.size() > before || rate == null || overload == null || retention <= 0) {
            return null;
        }
        return new FeatureLogging(rate, overload, retention, topic);
    }

    private void readModel(Node node, String path) {
        Map<String, Node> m = n.mapping(node, path, MODEL_KEYS);
        if (m == null) {
            return;
        }
        Map<String, Loc> locs = n.locs(m, path);
        String name = n.name(node, m, path, "model");
        String version = n.reqString(m, "version", path, node);
        if (version != null && version.isBlank()) {
            n.problem(m.get("version"), Nodes.at(path, "version"), "required", "a model's version cannot be empty");
            version = null;
        }
        String service = n.reqString(m, "feature_service", path, node);
        List<String> sets = List.of();
        if (m.containsKey("training_sets")) {
            String spath = Nodes.at(path, "training_sets");
            sets = n.stringList(m.get("training_sets"), spath);
            if (sets != null) {
                n.checkNames(sets, m.get("training_sets"), spath, "training set");
                if (new HashSet<>(sets).size() < sets.size()) {
                    n.problem(m.get("training_sets"), spath, "name.duplicate", "a training set is listed twice: " + sets);
                }
            }
        }
        Meta md = meta(m, path, "model", name, null);
        if (name != null && version != null && service != null && sets != null) {
            models.add(new Draft<>(new Model(name, version, service, sets, md), n.loc(node, path), locs));
        }
    }

    // ---------------------------------------------------------------- cross-checks

    private void crossCheck() {
        Map<String, Draft<Entity>> entityByName = unique(entities, Entity::name, "entity");
        Map<String, Draft<Source>> sourceByName = unique(sources, Source::name, "source");
        Map<String, Draft<FeatureView>> viewByName = unique(views, FeatureView::name, "feature view");
        Map<String, Draft<FeatureService>> serviceByName = unique(services, FeatureService::name, "feature service");
        Map<String, Draft<Model>> modelByName = unique(models, Model::name, "model");

        for (Draft<Source> d : sources) {
            Source s = d.value();
            Draft<Entity> e = entityByName.get(s.entity());
            if (e == null) {
                n.report(d.at("entity"), null, "ref.entity", "unknown entity '" + s.entity() + "'");
            } else {
                for (String k : e.value().joinKeys()) {
                    if (!s.schema().containsKey(k)) {
                        n.report(d.at("schema"), null, "schema.join_key",
                            "join key '" + k + "' of entity '" + e.value().name() + "' is not a column of the schema");
                    }
                }
            }
            checkTimestampField(d, "timestamp_field", s.timestampField());
            if (s.createdTimestampField() != null) {
                checkTimestampField(d, "created_timestamp_field", s.createdTimestampField());
            }
            if (s.idField() != null && !s.schema().containsKey(s.idField())) {
                n.report(d.at("id_field"), null, "ref.column", "id_field '" + s.idField() + "' is not a column of the schema");
            }
            for (Map.Entry<String, ColumnContract> c : s.contract().entrySet()) {
                ColumnType type = s.schema().get(c.getKey());
                String key = "contract." + c.getKey();
                if (type == null) {
                    n.report(d.at(key), null, "ref.column", "contract names column '" + c.getKey() + "' that is not in the schema");
                    continue;
                }
                if ((c.getValue().min() != null || c.getValue().max() != null) && !type.isNumeric()) {
                    n.report(d.at(key + (c.getValue().min() != null ? ".min" : ".max")), null, "contract.min_max_numeric",
                        "min/max need a numeric column, '" + c.getKey() + "' is " + type.spelling());
                }
                if (c.getValue().allowed() != null && type != ColumnType.STRING) {
                    n.report(d.at(key + ".allowed"), null, "contract.allowed_string",
                        "allowed needs a string column, '" + c.getKey() + "' is " + type.spelling());
                }
            }
            for (Map.Entry<String, List<Expectation>> c : s.expectations().columns().entrySet()) {
                Loc at = d.at("expectations." + c.getKey());
                ColumnType type = s.schema().get(c.getKey());
                if (type == null) {
                    n.report(at, null, "ref.column", "expectations name column '" + c.getKey()
                        + "' that is not in the schema" + Suggest.hint(c.getKey(), s.schema().keySet()));
                } else {
                    ExpectationReader.check(n, at, c.getKey(), type, c.getValue(), "column");
                }
            }
        }

        for (Draft<FeatureView> d : views) {
            FeatureView v = d.value();
            if (!entityByName.containsKey(v.entity())) {
                n.report(d.at("entity"), null, "ref.entity", "unknown entity '" + v.entity() + "'");
            }
            Draft<Source> sd = sourceByName.get(v.source());
            if (sd == null) {
                n.report(d.at("source"), null, "ref.source", "unknown source '" + v.source() + "'");
            } else if (!sd.value().entity().equals(v.entity())) {
                n.report(d.at("source"), null, "ref.entity_mismatch", "source '" + v.source() + "' describes entity '"
                    + sd.value().entity() + "', not '" + v.entity() + "'");
            }
            if (v.hopMillis() > 0) {
                for (Feature f : v.features()) {
                    if (f.isWindowed() && f.windowMillis() % v.hopMillis() != 0) {
                        n.report(d.at("hop"), null, "hop.divides_window", "hop " + Durations.format(v.hopMillis())
                            + " must divide window " + Durations.format(f.windowMillis()) + " of feature '" + f.name() + "'");
                    }
                }
            }
            for (String f : v.expectations().keySet()) {
                if (v.feature(f).isEmpty()) {
                    n.report(d.at("expectations." + f), null, "ref.feature", "expectations name feature '" + f
                        + "' that view '" + v.name() + "' does not define"
                        + Suggest.hint(f, v.features().stream().map(Feature::name).toList()));
                }
            }
            Set<String> seen = new HashSet<>();
            for (Feature f : v.features()) {
                Loc at = d.at("features." + f.name());
                if (!seen.add(f.name())) {
                    n.report(at, null, "name.duplicate", "feature '" + f.name() + "' is defined twice in view '"
                        + v.name() + "'");
                }
                if (sd == null || f.column() == null) {
                    continue;
                }
                ColumnType type = sd.value().schema().get(f.column());
                if (type != null && v.expectations().containsKey(f.name())) {
                    ExpectationReader.check(n, d.at("expectations." + f.name()), f.name(),
                        f.aggregation() == null ? type : f.aggregation().resultType(type), v.expectations().get(f.name()),
                        "feature");
                }
                if (type == null) {
                    n.report(at, ".column", "ref.column", "column '" + f.column()
                        + "' is not in the schema of source '" + v.source() + "'");
                } else if (f.aggregation() != null && f.aggregation().needsNumeric() && !type.isNumeric()) {
                    n.report(at, ".aggregation", "aggregation.numeric", "aggregation '"
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
                    n.report(at, null, "ref.feature_view", "unknown feature view '" + r.view() + "'");
                } else if (vd.value().feature(r.feature()).isEmpty()) {
                    n.report(at, null, "ref.feature", "feature view '" + r.view() + "' has no feature '" + r.feature() + "'");
                } else if (!seen.add(r)) {
                    n.report(at, null, "name.duplicate", "feature '" + r.qualified() + "' is listed twice");
                }
            }
        }

        Set<String> sourceTopics = new HashSet<>();
        sources.forEach(d -> {
            if (d.value().kafkaTopic() != null) {
                sourceTopics.add(d.value().kafkaTopic());
            }
        });
        for (Draft<FeatureService> d : services) {
            String topic = d.value().logging().outcomesTopic();
            if (topic != null && sourceTopics.contains(topic)) {
                n.report(d.at("logging.outcomes"), null, "topic.shared", "outcomes topic '" + topic + "' is also a source's "
                    + "topic: its records would be read both as events and as outcomes");
            }
        }

        List<String> serviceNames = services.stream().map(d -> d.value().name()).toList();
        for (Draft<Model> d : models) {
            String s = d.value().featureService();
            if (!serviceByName.containsKey(s)) {
                n.report(d.at("feature_service"), null, "ref.feature_service", "model '" + d.value().name() + "' uses "
                    + Definitions.unknown("feature service", s, serviceNames));
            }
        }

        for (Replacement r : replacements) {
            checkReplacement(r, entityByName, sourceByName, viewByName, serviceByName, modelByName);
        }
    }

    private void checkReplacement(Replacement r, Map<String, Draft<Entity>> entityByName,
                                  Map<String, Draft<Source>> sourceByName, Map<String, Draft<FeatureView>> viewByName,
                                  Map<String, Draft<FeatureService>> serviceByName, Map<String, Draft<Model>> modelByName) {
        if (r.ref().equals(r.self())) {
            n.report(r.at(), null, "ref.replacement", r.kind() + " '" + r.self() + "' cannot be its own replacement");
            return;
        }
        List<String> known = switch (r.kind()) {
            case "entity" -> List.copyOf(entityByName.keySet());
            case "source" -> List.copyOf(sourceByName.keySet());
            case "column" -> sourceByName.containsKey(r.scope())
                ? List.copyOf(sourceByName.get(r.scope()).value().schema().keySet()) : null;
            case "feature view" -> List.copyOf(viewByName.keySet());
            case "feature" -> viewByName.values().stream().flatMap(d -> d.value().features().stream()
                .map(f -> d.value().name() + ":" + f.name())).toList();
            case "feature service" -> List.copyOf(serviceByName.keySet());
            default -> List.copyOf(modelByName.keySet());
        };
        if (known == null || known.contains(r.ref())) {
            return; // a column of a source that is itself wrong: that source's problems are reported
        }
        String what = r.kind().equals("column") ? "column of source '" + r.scope() + "'" : r.kind();
        String shape = r.kind().equals("feature") && FeatureRef.parse(r.ref()) == null
            ? " (a feature's replacement is written view:feature)" : "";
        n.report(r.at(), null, "ref.replacement", "replacement names " + Definitions.unknown(what, r.ref(), known) + shape);
    }

    private void checkTimestampField(Draft<Source> d, String key, String column) {
        ColumnType t = d.value().schema().get(column);
        if (t == null) {
            n.report(d.at(key), null, "ref.column", key + " '" + column + "' is not a column of the schema");
        } else if (t != ColumnType.TIMESTAMP) {
            n.report(d.at(key), null, "type.timestamp", key + " '" + column + "' must have type timestamp, not " + t.spelling());
        }
    }

    private <T> Map<String, Draft<T>> unique(List<Draft<T>> drafts, java.util.function.Function<T, String> name, String what) {
        Map<String, Draft<T>> byName = new HashMap<>();
        for (Draft<T> d : drafts) {
            String nm = name.apply(d.value());
            Draft<T> prev = byName.putIfAbsent(nm, d);
            if (prev != null) {
                n.report(d.at("name"), null, "name.duplicate", what + " '" + nm + "' is defined twice (first at "
                    + prev.loc().file() + ":" + prev.loc().line() + ")");
            }
        }
        return byName;
    }
}

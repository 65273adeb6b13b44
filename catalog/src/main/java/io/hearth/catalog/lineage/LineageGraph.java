package io.hearth.catalog.lineage;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Durations;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Meta;
import io.hearth.catalog.Model;
import io.hearth.catalog.Source;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where data comes from and where it goes, as a graph of the catalog's objects: topics feed sources, sources have
 * columns and are read by feature views, columns compute features, features are served by feature services, which
 * models use. Immutable: built from definitions, plus any facts learned at run time (a training set built for a
 * service, a file back-filled into a source: {@link Runs}, or extra nodes and edges); an edge may name a node that only
 * its id describes, and that node is added. Walks go up (where a node's data comes from), down (what it feeds) or
 * both ways. Nodes carry attributes that are not part of their identity: a model's {@code version}, {@code deprecated}
 * on what is deprecated, the rows and times of the runs that made a training set or back-filled a file.
 */
public final class LineageGraph {
    private final Map<String, Node> nodes;
    private final List<Edge> edges;
    private final Map<String, List<Edge>> out = new HashMap<>();
    private final Map<String, List<Edge>> in = new HashMap<>();

    private LineageGraph(Map<String, Node> nodes, List<Edge> edges) {
        this.nodes = java.util.Collections.unmodifiableMap(nodes);
        this.edges = List.copyOf(edges);
        for (Edge e : this.edges) {
            out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
            in.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
        }
    }

    /** The graph the definitions describe. */
    public static LineageGraph of(Definitions d) {
        Builder b = new Builder();
        for (Entity e : d.entities()) {
            b.node(Node.of(NodeId.ENTITY, e.name(), attributes(e.meta())));
        }
        for (Source s : d.sources()) {
            String source = b.node(Node.of(NodeId.SOURCE, s.name(), attributes(s.meta())));
            if (s.kafkaTopic() != null) {
                b.edge(b.node(NodeId.TOPIC, s.kafkaTopic()), source, Relation.FEEDS, Map.of());
            }
            if (d.entity(s.entity()).isPresent()) {
                b.edge(NodeId.entity(s.entity()), source, Relation.DESCRIBES, Map.of());
            }
            for (String c : s.schema().keySet()) {
                Map<String, Object> type = new LinkedHashMap<>();
                type.put("type", s.type(c).spelling());
                type.putAll(attributes(s.column(c)));
                b.edge(source, b.node(Node.of(NodeId.COLUMN, s.name() + "." + c, type)), Relation.HAS_COLUMN, Map.of());
            }
        }
        for (FeatureView v : d.featureViews()) {
            String view = b.node(Node.of(NodeId.VIEW, v.name(), attributes(v.meta())));
            b.edge(NodeId.source(v.source()), view, Relation.READ_BY, Map.of());
            if (d.entity(v.entity()).isPresent()) {
                b.edge(NodeId.entity(v.entity()), view, Relation.DESCRIBES, Map.of());
            }
            for (Feature f : v.features()) {
                String feature = b.node(Node.of(NodeId.FEATURE, v.name() + ":" + f.name(), attributes(f.meta())));
                b.edge(view, feature, Relation.DEFINES, Map.of());
                if (f.column() != null) {
                    Map<String, Object> how = new LinkedHashMap<>();
                    if (f.isWindowed()) {
                        how.put("aggregation", f.aggregation().spelling());
                        how.put("window", Durations.format(f.windowMillis()));
                    }
                    b.edge(NodeId.column(v.source(), f.column()), feature, Relation.COMPUTES, how);
                }
            }
        }
        for (FeatureService s : d.featureServices()) {
            String service = b.node(Node.of(NodeId.SERVICE, s.name(), attributes(s.meta())));
            for (FeatureRef r : s.features()) {
                b.edge(NodeId.feature(r.view(), r.feature()), service, Relation.SERVED_BY, Map.of());
            }
        }
        for (Model m : d.models()) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("version", m.version());
            attrs.putAll(attributes(m.meta()));
            String model = b.node(Node.of(NodeId.MODEL, m.name(), attrs));
            b.edge(NodeId.service(m.featureService()), model, Relation.USED_BY, Map.of());
            for (String t : m.trainingSets()) {
                b.edge(b.node(NodeId.TRAINING_SET, t), model, Relation.TRAINS, Map.of());
            }
        }
        return b.build();
    }

    /** The graph of the definitions with facts learned at run time added. */
    public static LineageGraph of(Definitions d, Collection<Node> extraNodes, Collection<Edge> extraEdges) {
        return of(d).with(extraNodes, extraEdges);
    }

    /**
     * The graph of the definitions with what recorded runs add: every training set a completed run built (its node
     * holds the latest such run's {@code rows}, {@code built_at}, {@code by}, {@code spine} and the count of
     * {@code runs}), reached from the feature service it was built for ({@link Relation#BUILT_INTO}), or from each
     * feature when the run named features; and every file a back-fill read, feeding its source
     * ({@link Relation#BACKFILLS}, with the latest run's {@code rows}, {@code at} and {@code status}). A run's training
     * set takes the spelling a model gives the same name (training-set names are case-insensitive).
     */
    public static LineageGraph of(Definitions d, Runs runs) {
        if (runs.training().isEmpty() && runs.backfills().isEmpty()) {
            return of(d);
        }
        Map<String, String> spelling = new HashMap<>();
        for (Model m : d.models()) {
            for (String t : m.trainingSets()) {
                spelling.putIfAbsent(t.toLowerCase(java.util.Locale.ROOT), t);
            }
        }
        List<Node> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        Map<String, Integer> builtRuns = new HashMap<>();
        for (TrainingRun r : runs.training()) {
            if (r.complete()) {
                builtRuns.merge(spelling.computeIfAbsent(r.name().toLowerCase(java.util.Locale.ROOT), k -> r.name()), 1,
                    Integer::sum);
            }
        }
        Set<String> seen = new HashSet<>();
        for (TrainingRun r : runs.training()) { // newest first: the first run of a set is its latest
            if (!r.complete()) {
                continue;
            }
            String name = spelling.get(r.name().toLowerCase(java.util.Locale.ROOT));
            String set = NodeId.trainingSet(name);
            if (seen.add(set)) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("rows", r.rows());
                a.put("built_at", Instant.ofEpochMilli(r.finishedAt()).toString());
                a.put("by", r.by());
                if (r.spine() != null) {
                    a.put("spine", r.spine());
                }
                a.put("runs", (long) builtRuns.get(name));
                nodes.add(Node.of(NodeId.TRAINING_SET, name, a));
            }
            Map<String, Object> how = new LinkedHashMap<>();
            how.put("rows", r.rows());
            how.put("at", Instant.ofEpochMilli(r.finishedAt()).toString());
            how.put("by", r.by());
            if (r.service() != null) {
                edges.add(new Edge(NodeId.service(r.service()), set, Relation.BUILT_INTO, how));
            } else {
                for (String f : r.features()) {
                    edges.add(new Edge(NodeId.of(NodeId.FEATURE, f), set, Relation.BUILT_INTO, how));
                }
            }
        }
        for (BackfillRun r : runs.backfills()) {
            for (BackfillRun.BackfillFile f : r.files()) {
                String file = NodeId.of(NodeId.FILE, f.name());
                if (seen.add(file)) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    if (f.hash() != null) {
                        a.put("hash", f.hash());
                    }
                    a.put("rows", f.rows());
                    a.put("at", Instant.ofEpochMilli(r.startedAt()).toString());
                    a.put("by", r.by());
                    nodes.add(Node.of(NodeId.FILE, f.name(), a));
                }
                Map<String, Object> how = new LinkedHashMap<>();
                how.put("rows", f.rows());
                how.put("at", Instant.ofEpochMilli(r.startedAt()).toString());
                how.put("status", r.status());
                edges.add(new Edge(file, NodeId.source(r.source()), Relation.BACKFILLS, how));
            }
        }
        return of(d).with(nodes, edges);
    }

    /** What lineage shows of an object's metadata: that it is deprecated (and since when). */
    private static Map<String, Object> attributes(Meta meta) {
        if (meta.deprecated() == null) {
            return Map.of();
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("deprecated", true);
        a.put("deprecated_since", meta.deprecated().since().toString());
        return a;
    }

    /** This graph with more nodes and edges; an edge equal to one already there (ends and relation) is kept once. */
    public LineageGraph with(Collection<Node> extraNodes, Collection<Edge> extraEdges) {
        Builder b = new Builder();
        nodes.values().forEach(b::node);
        edges.forEach(b::edge);
        extraNodes.forEach(b::node);
        extraEdges.forEach(b::edge);
        return b.build();
    }

    /** Every node, in the order it was added. */
    public Collection<Node> nodes() {
        return nodes.values();
    }

    public List<Node> nodes(String kind) {
        return nodes.values().stream().filter(n -> n.kind().equals(kind)).toList();
    }

    public List<Edge> edges() {
        return edges;
    }

    public Optional<Node> node(String id) {
        return Optional.ofNullable(nodes.get(id));
    }

    public boolean contains(String id) {
        return nodes.containsKey(id);
    }

    /** Edges leaving a node (what it feeds). */
    public List<Edge> from(String id) {
        return out.getOrDefault(id, List.of());
    }

    /** Edges reaching a node (what feeds it). */
    public List<Edge> to(String id) {
        return in.getOrDefault(id, List.of());
    }

    /**
     * What {@code id} feeds, up to {@code depth} edges away ({@link Integer#MAX_VALUE}: all of it), as a graph holding
     * the node itself, every node reached and every edge followed. Empty when there is no such node.
     */
    public LineageGraph downstream(String id, int depth) {
        return walk(id, depth, this::from, Edge::to);
    }

    /** Where {@code id}'s data comes from, up to {@code depth} edges away, as {@link #downstream} does downward. */
    public LineageGraph upstream(String id, int depth) {
        return walk(id, depth, this::to, Edge::from);
    }

    /**
     * Both walks from {@code id} at once: what feeds it and what it feeds, each up to {@code depth} edges away (never
     * sideways: what feeds a node downstream of {@code id} is not followed). Upstream nodes come first.
     */
    public LineageGraph both(String id, int depth) {
        LineageGraph up = upstream(id, depth);
        LineageGraph down = downstream(id, depth);
        Map<String, Node> reached = new LinkedHashMap<>(up.nodes);
        down.nodes.forEach(reached::putIfAbsent);
        List<Edge> followed = new ArrayList<>(up.edges);
        followed.addAll(down.edges);
        return new LineageGraph(reached, followed);
    }

    private LineageGraph walk(String id, int depth, Function<String, List<Edge>> next, Function<Edge, String> far) {
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be 0 or more, got " + depth);
        }
        Map<String, Node> reached = new LinkedHashMap<>();
        List<Edge> followed = new ArrayList<>();
        if (!nodes.containsKey(id)) {
            return new LineageGraph(reached, followed);
        }
        reached.put(id, nodes.get(id));
        Deque<String> frontier = new ArrayDeque<>(List.of(id));
        for (int d = 0; d < depth && !frontier.isEmpty(); d++) {
            Deque<String> nextFrontier = new ArrayDeque<>();
            for (String at : frontier) {
                for (Edge e : next.apply(at)) {
                    followed.add(e);
                    String to = far.apply(e);
                    if (reached.putIfAbsent(to, nodes.get(to)) == null) {
                        nextFrontier.add(to);
                    }
                }
            }
            frontier = nextFrontier;
        }
        return new LineageGraph(reached, followed);
    }

    /** Collects nodes and edges, each once, adding the nodes edges name. */
    private static final class Builder {
        private final Map<String, Node> nodes = new LinkedHashMap<>();
        private final List<Edge> edges = new ArrayList<>();
        private final Set<List<String>> seen = new HashSet<>();

        String node(String kind, String name) {
            return node(Node.of(kind, name));
        }

        /** Adds a node, or merges its attributes into the node of its id (one an edge added has none). */
        String node(Node n) {
            Node had = nodes.putIfAbsent(n.id(), n);
            if (had != null) {
                nodes.put(n.id(), had.merged(n.attributes()));
            }
            return n.id();
        }

        void edge(String from, String to, String relation, Map<String, Object> attributes) {
            edge(new Edge(from, to, relation, attributes));
        }

        void edge(Edge e) {
            if (seen.add(List.of(e.from(), e.to(), e.relation()))) {
                nodes.computeIfAbsent(e.from(), Node::parse);
                nodes.computeIfAbsent(e.to(), Node::parse);
                edges.add(e);
            }
        }

        LineageGraph build() {
            return new LineageGraph(new LinkedHashMap<>(nodes), edges);
        }
    }
}

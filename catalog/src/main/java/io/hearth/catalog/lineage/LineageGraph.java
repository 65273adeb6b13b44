package io.hearth.catalog.lineage;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Durations;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Model;
import io.hearth.catalog.Source;
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
 * service, a file back-filled into a source) given as extra nodes and edges; an edge may name a node that only its id
 * describes, and that node is added. Walks go up (where a node's data comes from) or down (what it feeds).
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
            b.node(NodeId.ENTITY, e.name());
        }
        for (Source s : d.sources()) {
            String source = b.node(NodeId.SOURCE, s.name());
            if (s.kafkaTopic() != null) {
                b.edge(b.node(NodeId.TOPIC, s.kafkaTopic()), source, Relation.FEEDS, Map.of());
            }
            if (d.entity(s.entity()).isPresent()) {
                b.edge(NodeId.entity(s.entity()), source, Relation.DESCRIBES, Map.of());
            }
            for (String c : s.schema().keySet()) {
                b.edge(source, b.node(NodeId.COLUMN, s.name() + "." + c), Relation.HAS_COLUMN, Map.of());
            }
        }
        for (FeatureView v : d.featureViews()) {
            String view = b.node(NodeId.VIEW, v.name());
            b.edge(NodeId.source(v.source()), view, Relation.READ_BY, Map.of());
            if (d.entity(v.entity()).isPresent()) {
                b.edge(NodeId.entity(v.entity()), view, Relation.DESCRIBES, Map.of());
            }
            for (Feature f : v.features()) {
                String feature = b.node(NodeId.FEATURE, v.name() + ":" + f.name());
                b.edge(view, feature, Relation.DEFINES, Map.of());
                if (f.column() != null) {
                    Map<String, String> how = new LinkedHashMap<>();
                    if (f.isWindowed()) {
                        how.put("aggregation", f.aggregation().spelling());
                        how.put("window", Durations.format(f.windowMillis()));
                    }
                    b.edge(NodeId.column(v.source(), f.column()), feature, Relation.COMPUTES, how);
                }
            }
        }
        for (FeatureService s : d.featureServices()) {
            String service = b.node(NodeId.SERVICE, s.name());
            for (FeatureRef r : s.features()) {
                b.edge(NodeId.feature(r.view(), r.feature()), service, Relation.SERVED_BY, Map.of());
            }
        }
        for (Model m : d.models()) {
            String model = b.node(NodeId.MODEL, m.name());
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

        String node(Node n) {
            nodes.putIfAbsent(n.id(), n);
            return n.id();
        }

        void edge(String from, String to, String relation, Map<String, String> attributes) {
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

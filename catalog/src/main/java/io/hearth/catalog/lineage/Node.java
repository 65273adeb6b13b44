package io.hearth.catalog.lineage;

/** One node of the lineage graph: its id ({@code kind:name}, see {@link NodeId}), kind and name. */
public record Node(String id, String kind, String name) {

    public Node {
        if (!id.equals(NodeId.of(kind, name))) {
            throw new IllegalArgumentException("node id '" + id + "' is not " + kind + ":" + name);
        }
    }

    public static Node of(String kind, String name) {
        return new Node(NodeId.of(kind, name), kind, name);
    }

    /** The node an id names. */
    public static Node parse(String id) {
        return new Node(id, NodeId.kind(id), NodeId.name(id));
    }
}

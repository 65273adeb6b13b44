package io.hearth.catalog.lineage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node of the lineage graph: its id ({@code kind:name}, see {@link NodeId}), kind, name, and attributes that
 * say more without being part of its identity (a model's {@code version}, a training set's {@code rows}, that an
 * object is {@code deprecated}). Attribute values are strings, whole numbers or booleans.
 */
public record Node(String id, String kind, String name, Map<String, Object> attributes) {

    public Node {
        if (!id.equals(NodeId.of(kind, name))) {
            throw new IllegalArgumentException("node id '" + id + "' is not " + kind + ":" + name);
        }
        attributes = attributes == null || attributes.isEmpty() ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** A node without attributes. */
    public Node(String id, String kind, String name) {
        this(id, kind, name, Map.of());
    }

    public static Node of(String kind, String name) {
        return new Node(NodeId.of(kind, name), kind, name);
    }

    public static Node of(String kind, String name, Map<String, Object> attributes) {
        return new Node(NodeId.of(kind, name), kind, name, attributes);
    }

    /** The node an id names. */
    public static Node parse(String id) {
        return new Node(id, NodeId.kind(id), NodeId.name(id));
    }

    /** This node with {@code more} attributes; a key it has already keeps its value. */
    Node merged(Map<String, Object> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, Object> a = new LinkedHashMap<>(more);
        a.putAll(attributes);
        return new Node(id, kind, name, a);
    }
}

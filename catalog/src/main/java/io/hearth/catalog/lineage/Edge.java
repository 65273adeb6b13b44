package io.hearth.catalog.lineage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One edge of the lineage graph, in the direction data flows: {@code from} feeds {@code to} by {@code relation}
 * (see {@link Relation}). {@code attributes} say how, where it matters (the aggregation and window of a feature
 * computed from a column).
 */
public record Edge(String from, String to, String relation, Map<String, String> attributes) {

    public Edge {
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public Edge(String from, String to, String relation) {
        this(from, to, relation, Map.of());
    }
}

package io.hearth.catalog.lineage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One edge of the lineage graph, in the direction data flows: {@code from} feeds {@code to} by {@code relation}
 * (see {@link Relation}). {@code attributes} say how, where it matters (the aggregation and window of a feature
 * computed from a column, the rows and time of the run that built a training set); values are strings, whole numbers
 * or booleans.
 */
public record Edge(String from, String to, String relation, Map<String, Object> attributes) {

    public Edge {
        attributes = attributes == null || attributes.isEmpty() ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public Edge(String from, String to, String relation) {
        this(from, to, relation, Map.of());
    }
}

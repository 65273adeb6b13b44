package io.hearth.search;

import java.util.List;
import java.util.Map;

/**
 * A page of a catalog search: how many objects match in all ({@code total}), the hits of the page, best first, and
 * per facet ({@code kind}, {@code owner}, {@code tag}, {@code entity}) how many of all the matching objects have each
 * value, most first; an object without an owner, tag or entity counts under {@value CatalogIndex#NONE}. The counts of
 * {@code kind} and of {@code owner} add up to {@code total} (one value per object); an object with two tags counts
 * under both.
 */
public record SearchResult(long total, List<Hit> hits, Map<String, Map<String, Long>> facets) {

    public SearchResult {
        hits = List.copyOf(hits);
        facets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facets));
    }

    /**
     * One object found: {@code score} is its relevance (0 when the query has no text); {@code highlights} the name
     * and description with the matching words in {@code <em>} (the rest HTML-escaped), for the fields that match.
     */
    public record Hit(String id, ObjectKind kind, String name, String description, String owner, List<String> tags,
                      boolean deprecated, float score, Map<String, String> highlights) {
        public Hit {
            tags = List.copyOf(tags);
            highlights = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(highlights));
        }
    }

    /** A name for type-ahead. */
    public record Suggestion(String id, ObjectKind kind, String name) {
    }
}

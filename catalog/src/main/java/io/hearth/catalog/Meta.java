package io.hearth.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What people know about a catalog object beside what it computes: a description, the owning team, tags, and
 * whether it is deprecated. Every object of the definitions (entity, source, source column, feature view, feature,
 * feature service, model) holds one; {@link #NONE} when nothing is said. Metadata never changes a value: a change to
 * it is never breaking.
 */
public record Meta(String description, String owner, List<Tag> tags, Deprecation deprecated) {
    public static final Meta NONE = new Meta(null, null, List.of(), null);

    public Meta {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Metadata with only a description (null: none). */
    public static Meta described(String description) {
        return description == null ? NONE : new Meta(description, null, List.of(), null);
    }

    /** Metadata from the older shape of feature views: owner, and tags as a map of key to value. */
    public static Meta of(String description, String owner, Map<String, String> tags) {
        List<Tag> t = new java.util.ArrayList<>();
        new LinkedHashMap<>(tags == null ? Map.<String, String>of() : tags).forEach((k, v) -> t.add(new Tag(k, v)));
        return new Meta(description, owner, t, null);
    }

    public boolean isEmpty() {
        return description == null && owner == null && tags.isEmpty() && deprecated == null;
    }

    public boolean isDeprecated() {
        return deprecated != null;
    }

    public Meta withDeprecation(Deprecation d) {
        return new Meta(description, owner, tags, d);
    }
}

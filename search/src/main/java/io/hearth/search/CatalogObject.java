package io.hearth.search;

import io.hearth.catalog.Deprecation;
import io.hearth.catalog.Meta;
import java.util.List;

/**
 * One object of the catalog as people browse it. {@code name} is how the catalog names it ({@code view:feature} for a
 * feature, {@code source.column} for a column); {@code parent} the view or source it belongs to (null for the rest).
 * {@code meta} is the object's own metadata; {@code owner} and {@code deprecation} are what applies to it: its own, else
 * its parent's (a feature of a deprecated view is deprecated; a column without an owner belongs to its source's). Tags
 * are the object's own, written {@code pii} or {@code domain:commerce}. {@code entities} are the entities its data is
 * keyed by (several for a service that mixes views). {@code words} are further searchable words (a feature's column,
 * aggregation and window; a source's topic; a model's service and version).
 */
public record CatalogObject(ObjectKind kind, String name, String parent, String description, Meta meta, String owner,
                            List<String> tags, Deprecation deprecation, List<String> entities, List<String> words) {

    public CatalogObject {
        meta = meta == null ? Meta.NONE : meta;
        tags = List.copyOf(tags);
        entities = List.copyOf(entities);
        words = List.copyOf(words);
    }

    /** The lineage id: {@code kind:name}. */
    public String id() {
        return kind.spelling() + ":" + name;
    }

    /** The last part of the name: a feature's or column's own name, else the name. */
    public String shortName() {
        return parent == null ? name : name.substring(parent.length() + 1);
    }

    public boolean deprecated() {
        return deprecation != null;
    }
}

package io.hearth.catalog;

import java.util.List;

/** What features describe, identified by one or more join keys. */
public record Entity(String name, List<String> joinKeys, Meta meta) {
    public Entity {
        joinKeys = List.copyOf(joinKeys);
        meta = meta == null ? Meta.NONE : meta;
    }

    public String description() {
        return meta.description();
    }
}

package io.hearth.catalog;

import java.util.List;

/** What features describe, identified by one or more join keys. */
public record Entity(String name, List<String> joinKeys, String description) {
    public Entity {
        joinKeys = List.copyOf(joinKeys);
    }
}

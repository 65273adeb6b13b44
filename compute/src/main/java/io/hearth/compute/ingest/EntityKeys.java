package io.hearth.compute.ingest;

import java.util.List;

/**
 * The storage form of an entity key: the canonical text of its join key value, or for composite keys the
 * values joined by U+001F (a character no sane key contains).
 */
public final class EntityKeys {
    public static final char SEPARATOR = '\u001F';

    private EntityKeys() {
    }

    public static String encode(List<String> parts) {
        return parts.size() == 1 ? parts.get(0) : String.join(String.valueOf(SEPARATOR), parts);
    }

    public static List<String> decode(String key) {
        return List.of(key.split(String.valueOf(SEPARATOR), -1));
    }
}

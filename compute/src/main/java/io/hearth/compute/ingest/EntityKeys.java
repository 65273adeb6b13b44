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

    /**
     * The storage form of typed join key values (as {@code RowValidator#coerce} makes them), in the entity's join key
     * order: what a lookup reads for them. A double is written by {@link Double#toString}, everything else by its text.
     */
    public static String of(List<Object> values) {
        if (values.size() == 1) {
            return text(values.get(0));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(SEPARATOR);
            }
            sb.append(text(values.get(i)));
        }
        return sb.toString();
    }

    private static String text(Object o) {
        return o instanceof Double d ? Double.toString(d) : o.toString();
    }

    public static List<String> decode(String key) {
        return List.of(key.split(String.valueOf(SEPARATOR), -1));
    }
}

package io.hearth.search;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.catalog.lineage.NodeId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of objects the catalog shows, spelled as its URLs and lineage ids spell them ({@code feature},
 * {@code training_set}), in the order listings show them.
 */
public enum ObjectKind {
    ENTITY(NodeId.ENTITY), SOURCE(NodeId.SOURCE), COLUMN(NodeId.COLUMN), VIEW(NodeId.VIEW), FEATURE(NodeId.FEATURE),
    SERVICE(NodeId.SERVICE), MODEL(NodeId.MODEL), TRAINING_SET(NodeId.TRAINING_SET);

    private final String spelling;

    ObjectKind(String spelling) {
        this.spelling = spelling;
    }

    /** {@code feature}, {@code training_set}: the kind as URLs, lineage ids and JSON write it. */
    public String spelling() {
        return spelling;
    }

    /** Every spelling, in listing order. */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(ObjectKind::spelling).toList();
    }

    /** The kind of a spelling (case-insensitive), if it is one. */
    public static Optional<ObjectKind> of(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (ObjectKind k : values()) {
                if (k.spelling.equals(t)) {
                    return Optional.of(k);
                }
            }
        }
        return Optional.empty();
    }

    /** The kind {@code field} names, or a 400-class error naming the field and the kinds there are (rule {@code enum}). */
    public static ObjectKind parse(String field, String text) {
        return of(text).orElseThrow(() -> new HearthException(ErrorCode.INVALID_FIELD, field, "enum", field
            + " must be one of " + String.join(", ", spellings()) + ", got '" + shorten(text) + "'"));
    }

    static String shorten(String s) {
        return s == null ? "" : s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}

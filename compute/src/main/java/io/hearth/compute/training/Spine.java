package io.hearth.compute.training;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
import io.hearth.compute.ingest.EntityKeys;
import io.hearth.compute.ingest.RowValidator;
import io.hearth.compute.time.Timestamps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The rows a training set is built for, in order: entity keys, a time, and whatever else (labels) passes through.
 * Columns are typed: join keys by the source's schema, the time column as timestamp, every other column as the
 * narrowest of long, double or string that holds all its values (nulls aside; an empty string is a string). The
 * cells as they were given are kept too, so that a text output passes them through byte for byte.
 *
 * @param rows values per row in column order: Long, Double, String or null; timestamps as Long epoch millis
 * @param entities each row's entity key in storage form; @param times each row's time
 * @param text each row's cells as given (null for a null cell), in column order
 */
public record Spine(List<String> columns, List<ColumnType> types, Object[][] rows, String[] entities, long[] times,
                    List<String[]> text) {

    public int size() {
        return rows.length;
    }

    /**
     * Reads a spine from text rows (CSV with a header; a null cell is a null value, {@code ""} the empty string).
     * Checks, before any work: the join keys of {@code entity} and {@code tsColumn} are columns, every time parses,
     * every key is of its type. Errors name column and row (1-based, header not counted).
     */
    public static Spine fromText(List<String> header, Iterator<String[]> rows, Entity entity, Source keySource,
                                 String tsColumn) {
        if (header.isEmpty()) {
            throw new SpineException("spine", "spine.empty", "the spine has no header");
        }
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i) == null || header.get(i).isBlank()) {
                throw new SpineException("spine", "spine.header", "column " + (i + 1) + " of the spine's header has no name");
            }
        }
        for (int i = 0; i < header.size(); i++) {
            if (header.indexOf(header.get(i)) != i) {
                throw new SpineException(header.get(i), "spine.duplicate_column", "column '" + header.get(i)
                    + "' appears twice in the spine");
            }
        }
        int ts = header.indexOf(tsColumn);
        if (ts < 0) {
            throw new SpineException(tsColumn, "spine.timestamp_column", "the spine has no timestamp column '" + tsColumn
                + "' (columns: " + header + "; name the time column with timestamp_column)");
        }
        int[] keys = new int[entity.joinKeys().size()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = header.indexOf(entity.joinKeys().get(k));
            if (keys[k] < 0) {
                throw new SpineException(entity.joinKeys().get(k), "spine.join_key", "the spine has no column '"
                    + entity.joinKeys().get(k) + "', a join key of entity '" + entity.name() + "' (columns: " + header + ")");
            }
        }
        List<String[]> text = new ArrayList<>();
        while (rows.hasNext()) {
            String[] r = rows.next();
            if (r.length != header.size()) {
                throw new SpineException("spine", "spine.row_width", "row " + (text.size() + 1) + " has " + r.length
                    + " values, the header has " + header.size());
            }
            text.add(r);
        }
        int n = text.size();
        List<ColumnType> types = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            if (c == ts) {
                types.add(ColumnType.TIMESTAMP);
            } else if (contains(keys, c)) {
                ColumnType t = keySource.type(header.get(c));
                types.add(t == ColumnType.INT ? ColumnType.LONG : t == ColumnType.FLOAT ? ColumnType.DOUBLE : t);
            } else {
                types.add(infer(text, c));
            }
        }
        Object[][] out = new Object[n][];
        String[] entities = new String[n];
        long[] times = new long[n];
        for (int r = 0; r < n; r++) {
            String[] row = text.get(r);
            Object[] vals = new Object[row.length];
            List<String> parts = new ArrayList<>(keys.length);
            for (int c = 0; c < row.length; c++) {
                String cell = row[c];
                boolean empty = cell == null || cell.isEmpty();
                boolean nul = cell == null;
                if (c == ts) {
                    if (empty) {
                        throw new SpineException(tsColumn, "spine.timestamp", "row " + (r + 1) + ": '" + tsColumn + "' is empty");
                    }
                    try {
                        times[r] = Timestamps.parse(cell);
                    } catch (IllegalArgumentException e) {
                        throw new SpineException(tsColumn, "spine.timestamp", "row " + (r + 1) + ": " + e.getMessage());
                    }
                    vals[c] = times[r];
                } else if (contains(keys, c)) {
                    if (empty) {
                        throw new SpineException(header.get(c), "spine.join_key", "row " + (r + 1) + ": join key '"
                            + header.get(c) + "' is empty");
                    }
                    try {
                        Object v = RowValidator.coerce(keySource.type(header.get(c)), cell);
                        vals[c] = v instanceof Number num && types.get(c) == ColumnType.LONG ? (Object) num.longValue() : v;
                    } catch (IllegalArgumentException e) {
                        throw new SpineException(header.get(c), "spine.join_key", "row " + (r + 1) + ": " + e.getMessage());
                    }
                } else {
                    vals[c] = nul ? null : switch (types.get(c)) {
                        case LONG -> Long.parseLong(cell.trim());
                        case DOUBLE -> Double.parseDouble(cell.trim());
                        default -> cell;
                    };
                }
            }
            for (int k : keys) {
                Object v = vals[k];
                parts.add(v instanceof Double d ? Double.toString(d) : v.toString());
            }
            entities[r] = EntityKeys.encode(parts);
            out[r] = vals;
        }
        return new Spine(List.copyOf(header), List.copyOf(types), out, entities, times, text);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /**
     * LONG or DOUBLE only when every value reads back as the same text (so zip codes like 02134, ids like 1d or
     * +5 stay strings: "passed through unchanged"), else STRING.
     */
    private static ColumnType infer(List<String[]> rows, int c) {
        boolean allLong = true;
        boolean allDouble = true;
        for (String[] r : rows) {
            String s = r[c];
            if (s == null) {
                continue;
            }
            if (allLong) {
                try {
                    allLong = Long.toString(Long.parseLong(s)).equals(s);
                } catch (NumberFormatException e) {
                    allLong = false;
                }
            }
            if (!allLong && allDouble) {
                allDouble = DECIMAL.matcher(s).matches() && Double.isFinite(Double.parseDouble(s))
                    && new java.math.BigDecimal(s).compareTo(new java.math.BigDecimal(Double.toString(Double.parseDouble(s)))) == 0;
            }
            if (!allLong && !allDouble) {
                return ColumnType.STRING;
            }
        }
        return allLong ? ColumnType.LONG : allDouble ? ColumnType.DOUBLE : ColumnType.STRING;
    }

    /** Plain decimals (no leading zeros, plus signs or type suffixes); a double must also hold the value exactly. */
    private static final java.util.regex.Pattern DECIMAL =
        java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
}

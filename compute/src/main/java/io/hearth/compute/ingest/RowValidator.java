package io.hearth.compute.ingest;

import io.hearth.catalog.ColumnContract;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Entity;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.time.Timestamps;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks records against a source's schema and contract and turns the valid ones into storage form. Records
 * come as maps of JSON-like values (String, Number, Boolean, null; nested values are errors). Numbers, booleans
 * and timestamps may also arrive as text, as they do from CSV. Rules, in the order they are checked:
 * {@code schema.unknown_field}, {@code schema.required} (join keys and the event time), {@code schema.type},
 * {@code contract.required}, {@code contract.min}, {@code contract.max}, {@code contract.allowed}.
 */
public final class RowValidator {
    private final Source source;
    private final List<String> joinKeys;
    private final List<String> columns;
    private final List<ColumnType> columnTypes;

    public RowValidator(Source source, Entity entity) {
        this.source = source;
        this.joinKeys = entity.joinKeys();
        this.columns = storedColumns(source, entity);
        this.columnTypes = columns.stream().map(source::type).toList();
    }

    /** The columns an event block of this source carries: the schema less join keys and the time fields. */
    public static List<String> storedColumns(Source source, Entity entity) {
        List<String> out = new ArrayList<>();
        for (String c : source.schema().keySet()) {
            if (!entity.joinKeys().contains(c) && !c.equals(source.timestampField())
                && !c.equals(source.createdTimestampField())) {
                out.add(c);
            }
        }
        return out;
    }

    public List<String> columns() {
        return columns;
    }

    public List<ColumnType> columnTypes() {
        return columnTypes;
    }

    public EventBlock.Builder newBlock() {
        return new EventBlock.Builder(columns, columnTypes);
    }

    public RowCheck check(Map<String, ?> row) {
        for (String f : row.keySet()) {
            if (!source.schema().containsKey(f)) {
                return new RowCheck.Rejected(f, "schema.unknown_field", "field '" + f + "' is not in the schema of source '"
                    + source.name() + "'");
            }
        }
        List<String> keyParts = new ArrayList<>(joinKeys.size());
        for (String k : joinKeys) {
            Object raw = row.get(k);
            if (raw == null || (raw instanceof String s && s.isEmpty())) {
                return new RowCheck.Rejected(k, "schema.required", "join key '" + k + "' is missing");
            }
            Object v;
            try {
                v = coerce(source.type(k), raw);
            } catch (IllegalArgumentException e) {
                return typeError(k, raw, e);
            }
            keyParts.add(v instanceof Double d ? Double.toString(d) : v.toString());
        }
        Object tsRaw = row.get(source.timestampField());
        if (tsRaw == null || (tsRaw instanceof String s && s.isEmpty())) {
            return new RowCheck.Rejected(source.timestampField(), "schema.required",
                "event time '" + source.timestampField() + "' is missing");
        }
        long ts;
        try {
            ts = (Long) coerce(ColumnType.TIMESTAMP, tsRaw);
        } catch (IllegalArgumentException e) {
            return typeError(source.timestampField(), tsRaw, e);
        }
        long created = EventBlock.NO_CREATED;
        if (source.createdTimestampField() != null) {
            Object c = row.get(source.createdTimestampField());
            if (c != null && !(c instanceof String s && s.isEmpty())) {
                try {
                    created = (Long) coerce(ColumnType.TIMESTAMP, c);
                } catch (IllegalArgumentException e) {
                    return typeError(source.createdTimestampField(), c, e);
                }
            }
        }
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            String col = columns.get(i);
            Object raw = row.get(col);
            if (raw instanceof String s && s.isEmpty() && columnTypes.get(i) != ColumnType.STRING) {
                raw = null; // an empty CSV cell of a non-string column is a null
            }
            if (raw != null) {
                try {
                    values[i] = coerce(columnTypes.get(i), raw);
                } catch (IllegalArgumentException e) {
                    return typeError(col, raw, e);
                }
            }
        }
        // Contracts, in schema order.
        for (Map.Entry<String, ColumnContract> e : source.contract().entrySet()) {
            String col = e.getKey();
            ColumnContract rule = e.getValue();
            int i = columns.indexOf(col);
            Object v = i >= 0 ? values[i] : row.get(col);
            if (i < 0 && v != null && !(v instanceof String s && s.isEmpty())) {
                v = coerce(source.type(col), v); // a join key or time field: already checked to coerce
            } else if (i < 0) {
                v = null;
            }
            if (v == null) {
                if (rule.required()) {
                    return new RowCheck.Rejected(col, "contract.required", "'" + col + "' is required");
                }
                continue;
            }
            if (v instanceof Number n) {
                double d = n.doubleValue();
                if (rule.min() != null && d < rule.min()) {
                    return new RowCheck.Rejected(col, "contract.min", "'" + col + "' is " + v + ", below the minimum "
                        + rule.min());
                }
                if (rule.max() != null && d > rule.max()) {
                    return new RowCheck.Rejected(col, "contract.max", "'" + col + "' is " + v + ", above the maximum "
                        + rule.max());
                }
            }
            if (rule.allowed() != null && !rule.allowed().contains(v.toString())) {
                return new RowCheck.Rejected(col, "contract.allowed", "'" + col + "' is \"" + v + "\", not one of "
                    + rule.allowed());
            }
        }
        long idHash = 0;
        if (source.idField() != null) {
            Object id = row.get(source.idField());
            if (id != null && !id.toString().isEmpty()) {
                idHash = EventBlock.idHash(id.toString());
            }
        }
        return new RowCheck.Accepted(EntityKeys.encode(keyParts), ts, created, idHash, values);
    }

    private static RowCheck.Rejected typeError(String field, Object raw, IllegalArgumentException e) {
        return new RowCheck.Rejected(field, "schema.type", "field '" + field + "': " + e.getMessage());
    }

    /** A JSON-like value in the storage form of {@code type}: Long, Double, String or Boolean. */
    public static Object coerce(ColumnType type, Object raw) {
        if (!(raw instanceof String || raw instanceof Number || raw instanceof Boolean)) {
            throw new IllegalArgumentException("expected " + type.spelling() + ", got a nested "
                + (raw instanceof List || raw.getClass().getSimpleName().contains("Array") ? "array" : "object"));
        }
        switch (type) {
            case STRING:
                if (raw instanceof Double || raw instanceof Float || raw instanceof BigDecimal) {
                    return new BigDecimal(raw.toString()).stripTrailingZeros().toPlainString();
                }
                return raw.toString();
            case INT:
            case LONG: {
                long v = integral(type, raw);
                if (type == ColumnType.INT && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                    throw new IllegalArgumentException("expected int, got " + quote(raw) + " (out of range)");
                }
                return v;
            }
            case FLOAT:
            case DOUBLE: {
                double d;
                if (raw instanceof Number n) {
                    d = n.doubleValue();
                } else if (raw instanceof String s) {
                    try {
                        d = Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("expected " + type.spelling() + ", got " + quote(raw));
                    }
                } else {
                    throw new IllegalArgumentException("expected " + type.spelling() + ", got " + quote(raw));
                }
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("expected a finite " + type.spelling() + ", got " + quote(raw));
                }
                return d;
            }
            case BOOL:
                if (raw instanceof Boolean b) {
                    return b;
                }
                if (raw instanceof String s) {
                    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
                    if (t.equals("true") || t.equals("1")) {
                        return true;
                    }
                    if (t.equals("false") || t.equals("0")) {
                        return false;
                    }
                }
                throw new IllegalArgumentException("expected bool, got " + quote(raw));
            case TIMESTAMP:
                if (raw instanceof Number n) {
                    if (n instanceof Double || n instanceof Float || n instanceof BigDecimal
                        || n instanceof BigInteger b && b.bitLength() >= 64) {
                        throw new IllegalArgumentException("expected timestamp (ISO-8601 or epoch milliseconds), got "
                            + quote(raw));
                    }
                    if (!Timestamps.inRange(n.longValue())) {
                        throw new IllegalArgumentException("timestamp " + quote(raw) + " is outside the times Hearth "
                            + "accepts (" + Timestamps.RANGE_TEXT + ")");
                    }
                    return n.longValue();
                }
                if (raw instanceof String s) {
                    try {
                        return Timestamps.parse(s);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(e.getMessage().contains(Timestamps.RANGE_TEXT)
                            ? "timestamp " + quote(raw) + " is outside the times Hearth accepts (" + Timestamps.RANGE_TEXT + ")"
                            : "expected timestamp (ISO-8601 or epoch milliseconds), got " + quote(raw));
                    }
                }
                throw new IllegalArgumentException("expected timestamp, got " + quote(raw));
            default:
                throw new IllegalStateException("unhandled type " + type);
        }
    }

    private static long integral(ColumnType type, Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof BigInteger b) {
            if (b.bitLength() < 64) {
                return b.longValue();
            }
        } else if (raw instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        } else if (raw instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
        }
        throw new IllegalArgumentException("expected " + type.spelling() + ", got " + quote(raw));
    }

    private static String quote(Object raw) {
        String s = String.valueOf(raw);
        if (s.length() > 60) {
            s = s.substring(0, 57) + "...";
        }
        return raw instanceof String ? "\"" + s + "\"" : s;
    }
}

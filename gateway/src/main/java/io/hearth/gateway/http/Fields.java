package io.hearth.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.compute.time.Timestamps;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading request values strictly: every field of a JSON body and every query parameter goes through here, so
 * that a value of the wrong JSON type, a number past its range, a time outside {@link Timestamps#RANGE_TEXT} or a
 * huge limit is a 400 naming the field and the rule, never a silent coercion or a 500. Absent and JSON
 * {@code null} mean "not given" everywhere.
 */
public final class Fields {
    private Fields() {
    }

    /** The body as a JSON object whose keys are all in {@code allowed}. */
    public static JsonNode object(JsonNode body, Set<String> allowed) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("$", "type.object", "request body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw ApiException.invalid(k, "key.unknown", "unknown field '" + shorten(k) + "' (allowed: "
                    + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return body;
    }

    private static JsonNode given(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /** A string field; null when absent. */
    public static String text(JsonNode obj, String field) {
        JsonNode v = given(obj, field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid(field, "type.string", field + " must be a string, got " + describe(v));
        }
        return v.asText();
    }

    /** A boolean field; {@code dflt} when absent. */
    public static boolean bool(JsonNode obj, String field, boolean dflt) {
        JsonNode v = given(obj, field);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw ApiException.invalid(field, "type.bool", field + " must be true or false, got " + describe(v));
        }
        return v.asBoolean();
    }

    /** A list of strings; null when absent. */
    public static List<String> texts(JsonNode obj, String field) {
        JsonNode v = given(obj, field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiException.invalid(field, "type.list", field + " must be a list of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw ApiException.invalid(field + "[" + i + "]", "type.string", field + "[" + i + "] must be a string, got "
                    + describe(v.get(i)));
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    /** A whole number from {@code min} to {@code max}; {@code dflt} when absent. */
    public static long integer(JsonNode obj, String field, long dflt, long min, long max) {
        JsonNode v = given(obj, field);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw ApiException.invalid(field, "range", field + " must be a whole number from " + min + " to " + max
                + ", got " + describe(v));
        }
        return v.asLong();
    }

    /**
     * A time: ISO-8601 text or whole epoch milliseconds, inside {@link Timestamps#RANGE_TEXT}; null when absent.
     */
    public static Long timestamp(JsonNode obj, String field) {
        JsonNode v = given(obj, field);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong() && Timestamps.inRange(v.asLong())) {
            return v.asLong();
        }
        if (v.isTextual()) {
            return timestamp(v.asText(), field);
        }
        if (v.isNumber()) {
            throw ApiException.invalid(field, "type.timestamp", field + " must be whole epoch milliseconds "
                + Timestamps.RANGE_TEXT + " or ISO-8601 text, got " + describe(v));
        }
        throw ApiException.invalid(field, "type.timestamp", field + " must be ISO-8601 text or epoch milliseconds, got "
            + describe(v));
    }

    private static Long timestamp(String text, String field) {
        try {
            return Timestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "type.timestamp", field + ": " + e.getMessage());
        }
    }

    // Query parameters. A parameter given twice is refused: which one was meant cannot be known.

    /** Refuses a query parameter outside {@code allowed}: a misspelt filter would otherwise silently filter nothing. */
    public static void onlyParams(MultiMap query, Set<String> allowed) {
        for (String name : query.names()) {
            if (!allowed.contains(name)) {
                throw ApiException.invalid(shorten(name), "param.unknown", "unknown query parameter '" + shorten(name)
                    + "' (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    /** A query parameter's text; null when absent. */
    public static String param(MultiMap query, String name) {
        List<String> all = query.getAll(name);
        if (all.size() > 1) {
            throw ApiException.invalid(name, "param.repeated", "query parameter '" + name + "' is given " + all.size()
                + " times; give it once");
        }
        return all.isEmpty() ? null : all.get(0);
    }

    /** A whole-number query parameter from {@code min} to {@code max}; {@code dflt} when absent or empty. */
    public static int intParam(MultiMap query, String name, int dflt, int min, int max) {
        String v = param(query, name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.invalid(name, "range", name + " must be a whole number from " + min + " to " + max + ", got '"
            + shorten(v) + "'");
    }

    /** A time query parameter (ISO-8601 or epoch milliseconds); {@code dflt} when absent or empty. */
    public static long timeParam(MultiMap query, String name, long dflt) {
        String v = param(query, name);
        return v == null || v.isEmpty() ? dflt : timestamp(v, name);
    }

    /** A {@code true}/{@code false} query parameter; {@code dflt} when absent or empty. */
    public static boolean boolParam(MultiMap query, String name, boolean dflt) {
        String v = param(query, name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiException.invalid(name, "type.bool", name + " must be true or false, got '" + shorten(v) + "'");
    }

    /** A JSON value as an error message shows it: its type, and the value itself when short. */
    static String describe(JsonNode v) {
        String type = v.isTextual() ? "a string" : v.isNumber() ? "a number" : v.isBoolean() ? "a boolean"
            : v.isArray() ? "a list" : v.isObject() ? "an object" : "null";
        String text = v.toString();
        return type + (text.length() <= 60 ? " (" + text + ")" : "");
    }

    /** Long client text cut for an error message. */
    public static String shorten(String s) {
        return s == null || s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}

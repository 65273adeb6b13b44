package io.hearth.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.HearthException;
import io.hearth.compute.time.Timestamps;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What happened after a lookup: for request {@code requestId}, the value of {@code label} (a JSON scalar, kept as its
 * JSON text: {@code 1}, {@code 0.25}, {@code true}, {@code "churned"}) known at {@code outcomeTs}. The same shape
 * arrives over HTTP ({@code POST /v1/outcomes}) and Kafka; {@link #parse} checks it field by field.
 */
public record Outcome(String requestId, String label, String valueJson, long outcomeTs) {
    /** A label becomes a column of training sets: a name as definitions spell them. */
    static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Set<String> KEYS = Set.of("request_id", "label", "value", "outcome_ts");

    /** The key of an outcome: one per (request id, label); neither contains '/'. */
    String key() {
        return key(requestId, label);
    }

    static String key(String requestId, String label) {
        return requestId + '/' + label;
    }

    /**
     * An outcome from its JSON object; every problem is a {@link HearthException} ({@code HEARTH-REQ-2}) naming the
     * field as {@code prefix + name} (e.g. {@code [3].label}) and the rule.
     */
    public static Outcome parse(JsonNode o, String prefix) {
        if (o == null || !o.isObject()) {
            throw invalid(prefix.isEmpty() ? "$" : prefix, "type.object", "an outcome is a JSON object with request_id, "
                + "label, value and outcome_ts, got " + describe(o));
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw invalid(prefix + k, "key.unknown", "unknown field '" + shorten(k)
                    + "' (allowed: label, outcome_ts, request_id, value)");
            }
        }
        String rid = text(o, prefix, "request_id");
        RequestIds.check(rid, prefix + "request_id");
        String label = text(o, prefix, "label");
        if (!LABEL.matcher(label).matches()) {
            throw invalid(prefix + "label", "label.syntax", "a label names a training set column: a letter or _, then "
                + "up to 63 letters, digits or _, got '" + shorten(label) + "'");
        }
        JsonNode v = o.get("value");
        if (v == null || v.isNull()) {
            throw invalid(prefix + "value", "required", "value is required (a number, true/false or a string)");
        }
        String valueJson;
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw invalid(prefix + "value", "range", "value must fit a 64-bit integer, got " + shorten(v.toString()));
            }
            valueJson = Long.toString(v.asLong());
        } else if (v.isNumber()) {
            double d = v.asDouble();
            if (!Double.isFinite(d)) {
                throw invalid(prefix + "value", "range", "value must be a finite number, got " + shorten(v.toString()));
            }
            valueJson = Double.toString(d);
        } else if (v.isBoolean() || v.isTextual()) {
            valueJson = v.toString();
        } else {
            throw invalid(prefix + "value", "type.scalar", "value must be a number, true/false or a string, got "
                + describe(v));
        }
        JsonNode ts = o.get("outcome_ts");
        if (ts == null || ts.isNull()) {
            throw invalid(prefix + "outcome_ts", "required", "outcome_ts is required (ISO-8601 or epoch milliseconds): "
                + "when the outcome was known");
        }
        long at;
        if (ts.isIntegralNumber() && ts.canConvertToLong() && Timestamps.inRange(ts.asLong())) {
            at = ts.asLong();
        } else if (ts.isTextual()) {
            try {
                at = Timestamps.parse(ts.asText());
            } catch (IllegalArgumentException e) {
                throw invalid(prefix + "outcome_ts", "type.timestamp", "outcome_ts: " + e.getMessage());
            }
        } else {
            throw invalid(prefix + "outcome_ts", "type.timestamp", "outcome_ts must be ISO-8601 text or whole epoch "
                + "milliseconds " + Timestamps.RANGE_TEXT + ", got " + describe(ts));
        }
        return new Outcome(rid, label, valueJson, at);
    }

    private static String text(JsonNode o, String prefix, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            throw invalid(prefix + field, "required", field + " is required");
        }
        if (!v.isTextual()) {
            throw invalid(prefix + field, "type.string", field + " must be a string, got " + describe(v));
        }
        return v.asText();
    }

    private static HearthException invalid(String field, String rule, String message) {
        return new HearthException(ErrorCode.INVALID_FIELD, field, rule, message);
    }

    private static String describe(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        String type = v.isTextual() ? "a string" : v.isNumber() ? "a number" : v.isBoolean() ? "a boolean"
            : v.isArray() ? "a list" : v.isObject() ? "an object" : "null";
        String text = v.toString();
        return type + (text.length() <= 60 ? " (" + text + ")" : "");
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}

package io.hearth.feedback;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Status;
import io.hearth.compute.time.Timestamps;
import io.hearth.node.CacheLayout.FeatureLogFields;
import io.hearth.node.serving.OnlineLookup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.ignite.IgniteBinary;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.binary.BinaryObjectBuilder;

/**
 * The stored form of a {@link LogRecord}: a binary object of type {@code HearthFeatureLog} whose entity keys and
 * features are JSON text, readable as one SQL row. Features are grouped by view, the way the compact lookup answer
 * groups them: one event time per view and entity (the latest of the view's values), the values per feature, and
 * only what differs from that spelled out, under keys no feature can be named ({@code @}...):
 * <pre>
 * entities: {"customer_id": ["C1001"]}
 * features: {"customer_orders": {"@event_ts": ["2026-01-31T12:00:00.000Z"], "last_amount": [42.5],
 *            "purchase_frequency_30d": [3], "@statuses": {"max_order_1d": ["NULL_VALUE"]},
 *            "@feature_event_ts": {"max_order_1d": [null]}}, "customer_profile": {...}}
 * </pre>
 * A feature's status is PRESENT unless {@code @statuses} says otherwise, its event time its view's unless
 * {@code @feature_event_ts} says otherwise. Values are written as lookups write them (timestamps as ISO-8601, doubles
 * in their shortest exact form, non-finite doubles as "NaN", "Infinity" and "-Infinity"), so they read back to the
 * same bits. About a fifth of the bytes of one object per value with its status and time: a log's cost in the grid
 * grows with its size (measured: docs/decisions/0018). Reading needs the definitions of the version that served the
 * lookup (the registry keeps every version): they give each feature's type and the service's feature order.
 */
final class LogCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogCodec() {
    }

    /** The binary object stored for {@code r}; {@code types[f]} is feature f's output type. */
    static BinaryObject encode(IgniteBinary binary, LogRecord r, ColumnType[] types) {
        BinaryObjectBuilder b = binary.builder(io.hearth.node.CacheLayout.FEATURE_LOG_TYPE);
        b.setField(FeatureLogFields.REQUEST_ID, r.requestId(), String.class);
        b.setField(FeatureLogFields.SERVICE, r.service(), String.class);
        b.setField(FeatureLogFields.REGISTRY_VERSION, r.registryVersion(), Long.class);
        b.setField(FeatureLogFields.MODEL, r.model().orElse(null), String.class);
        b.setField(FeatureLogFields.MODEL_VERSION, r.modelVersion().orElse(null), String.class);
        b.setField(FeatureLogFields.AS_OF, r.asOf().isPresent() ? new Timestamp(r.asOf().getAsLong()) : null,
            Timestamp.class);
        b.setField(FeatureLogFields.SERVED_AT, new Timestamp(r.servedAt()), Timestamp.class);
        b.setField(FeatureLogFields.ENTITIES, entitiesJson(r), String.class);
        b.setField(FeatureLogFields.FEATURES, featuresJson(r, types), String.class);
        b.setField(FeatureLogFields.SAMPLE_KEY, Sampling.key(r.requestId()), Long.class);
        return b.build();
    }

    static String entitiesJson(LogRecord r) {
        StringBuilder b = new StringBuilder(32 + 16 * r.entityCount());
        b.append('{');
        for (int k = 0; k < r.joinKeys().size(); k++) {
            if (k > 0) {
                b.append(',');
            }
            string(b, r.joinKeys().get(k)).append(":[");
            List<Object> col = r.keyValues().get(k);
            for (int e = 0; e < col.size(); e++) {
                if (e > 0) {
                    b.append(',');
                }
                value(b, col.get(e), null);
            }
            b.append(']');
        }
        return b.append('}').toString();
    }

    static final String EVENT_TS = "@event_ts";
    static final String STATUSES = "@statuses";
    static final String FEATURE_EVENT_TS = "@feature_event_ts";

    /**
     * The features' JSON, written straight into a StringBuilder: the same text Jackson's generator wrote (the form
     * stored before, kept byte for byte: {@code LogCodecTest#theTextIsJacksons}), at about half the CPU.
     */
    static String featuresJson(LogRecord r, ColumnType[] types) {
        int n = r.entityCount();
        List<FeatureRef> features = r.features();
        // Views in order of their first feature, each with its features (usually a handful of views: a linear search).
        List<String> views = new ArrayList<>(4);
        List<int[]> members = new ArrayList<>(4);
        int[] count = new int[features.size()];
        int[] viewOf = new int[features.size()];
        for (int f = 0; f < features.size(); f++) {
            String view = features.get(f).view();
            int v = views.indexOf(view);
            if (v < 0) {
                v = views.size();
                views.add(view);
            }
            viewOf[f] = v;
            count[v]++;
        }
        for (int v = 0; v < views.size(); v++) {
            members.add(new int[count[v]]);
            count[v] = 0;
        }
        for (int f = 0; f < features.size(); f++) {
            members.get(viewOf[f])[count[viewOf[f]]++] = f;
        }
        StringBuilder b = new StringBuilder(64 + 24 * features.size() * Math.max(1, n));
        b.append('{');
        long[] latest = new long[n];
        for (int v = 0; v < views.size(); v++) {
            int[] fs = members.get(v);
            if (v > 0) {
                b.append(',');
            }
            string(b, views.get(v)).append(':').append('{');
            java.util.Arrays.fill(latest, FeatureValue.NO_TIME);
            for (int f : fs) {
                for (int e = 0; e < n; e++) {
                    FeatureValue x = r.values()[f][e];
                    if (x.hasTime() && (latest[e] == FeatureValue.NO_TIME || x.eventTs() > latest[e])) {
                        latest[e] = x.eventTs();
                    }
                }
            }
            string(b, EVENT_TS).append(":[");
            for (int e = 0; e < n; e++) {
                if (e > 0) {
                    b.append(',');
                }
                time(b, latest[e]);
            }
            b.append(']');
            boolean otherStatus = false;
            boolean otherTime = false;
            for (int f : fs) {
                b.append(',');
                string(b, features.get(f).feature()).append(":[");
                for (int e = 0; e < n; e++) {
                    FeatureValue x = r.values()[f][e];
                    if (e > 0) {
                        b.append(',');
                    }
                    value(b, x.value(), types[f]);
                    otherStatus |= x.status() != Status.PRESENT;
                    otherTime |= x.eventTs() != latest[e];
                }
                b.append(']');
            }
            if (otherStatus) {
                differing(b, STATUSES, r, fs, features, n, null, (x, out) -> string(out, x.status().name()));
            }
            if (otherTime) {
                differing(b, FEATURE_EVENT_TS, r, fs, features, n, latest, (x, out) -> time(out, x.eventTs()));
            }
            b.append('}');
        }
        return b.append('}').toString();
    }

    /**
     * {@code ,"name":{"feature":[...],...}} for the features of a view whose status is not PRESENT ({@code latest}
     * null) or whose time differs from their view's, each value written by {@code write}.
     */
    private static void differing(StringBuilder b, String name, LogRecord r, int[] fs, List<FeatureRef> features, int n,
                                  long[] latest, java.util.function.BiConsumer<FeatureValue, StringBuilder> write) {
        b.append(',');
        string(b, name).append(":{");
        boolean first = true;
        for (int f : fs) {
            if (!differs(r, f, n, latest)) {
                continue;
            }
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, features.get(f).feature()).append(":[");
            for (int e = 0; e < n; e++) {
                if (e > 0) {
                    b.append(',');
                }
                write.accept(r.values()[f][e], b);
            }
            b.append(']');
        }
        b.append('}');
    }

    /** Whether feature f has a status other than PRESENT ({@code latest} null), or a time other than its view's. */
    private static boolean differs(LogRecord r, int f, int n, long[] latest) {
        for (int e = 0; e < n; e++) {
            FeatureValue x = r.values()[f][e];
            if (latest == null ? x.status() != Status.PRESENT : x.eventTs() != latest[e]) {
                return true;
            }
        }
        return false;
    }

    private static void time(StringBuilder b, long t) {
        if (t == FeatureValue.NO_TIME) {
            b.append("null");
        } else {
            b.append('"').append(Timestamps.format(t)).append('"');
        }
    }

    /** A value as Jackson's generator wrote it (what {@link #readValue} reads). */
    private static void value(StringBuilder b, Object v, ColumnType type) {
        if (v == null) {
            b.append("null");
        } else if (type == ColumnType.TIMESTAMP && v instanceof Long l) {
            b.append('"').append(Timestamps.format(l)).append('"');
        } else if (v instanceof Long l) {
            b.append(l.longValue());
        } else if (v instanceof Double d) {
            double x = d;
            if (Double.isFinite(x)) {
                b.append(NumberOutput.toString(x, true)); // the shortest exact form (Jackson's fast double writer)
            } else {
                b.append('"').append(x).append('"'); // "NaN", "Infinity", "-Infinity", as Jackson quotes them
            }
        } else if (v instanceof Boolean x) {
            b.append(x.booleanValue());
        } else {
            string(b, v.toString());
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** A JSON string with Jackson's escapes: quote, backslash, the short forms, other controls as six-character hex escapes. */
    static StringBuilder string(StringBuilder b, String s) {
        b.append('"');
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            b.append(s, from, i).append('\\');
            switch (c) {
                case '"', '\\' -> b.append(c);
                case '\b' -> b.append('b');
                case '\t' -> b.append('t');
                case '\n' -> b.append('n');
                case '\f' -> b.append('f');
                case '\r' -> b.append('r');
                default -> b.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            from = i + 1;
        }
        return b.append(s, from, s.length()).append('"');
    }

    /** The stored columns of one log, as SQL or a binary object gives them. */
    record Stored(String requestId, String service, long registryVersion, String model, String modelVersion,
                  Timestamp asOf, Timestamp servedAt, String entities, String features) {
        static Stored of(BinaryObject o) {
            return new Stored(o.field(FeatureLogFields.REQUEST_ID), o.field(FeatureLogFields.SERVICE),
                o.<Long>field(FeatureLogFields.REGISTRY_VERSION), o.field(FeatureLogFields.MODEL),
                o.field(FeatureLogFields.MODEL_VERSION), o.field(FeatureLogFields.AS_OF), o.field(FeatureLogFields.SERVED_AT),
                o.field(FeatureLogFields.ENTITIES), o.field(FeatureLogFields.FEATURES));
        }

        /** From a SQL row of {@link FeatureLog#COLUMNS}. */
        static Stored of(List<?> row) {
            return new Stored((String) row.get(0), (String) row.get(1), ((Number) row.get(2)).longValue(),
                (String) row.get(3), (String) row.get(4), (Timestamp) row.get(5), (Timestamp) row.get(6),
                (String) row.get(7), (String) row.get(8));
        }
    }

    /**
     * The log {@code s} holds, read with the definitions of the version that served it ({@code served}: empty when
     * that version is gone, and then types are read off the JSON: whole numbers as longs, fractions as doubles).
     */
    static LogRecord decode(Stored s, Optional<Definitions> served) {
        try {
            JsonNode entities = JSON.readTree(s.entities());
            List<String> joinKeys = new ArrayList<>();
            List<List<Object>> keyValues = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = entities.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                joinKeys.add(e.getKey());
                List<Object> col = new ArrayList<>();
                e.getValue().forEach(v -> col.add(readValue(v, null)));
                keyValues.add(col);
            }
            JsonNode features = JSON.readTree(s.features());
            Map<FeatureRef, FeatureValue[]> read = new java.util.LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> views = features.fields(); views.hasNext(); ) {
                Map.Entry<String, JsonNode> view = views.next();
                JsonNode v = view.getValue();
                JsonNode times = v.get(EVENT_TS);
                JsonNode statuses = v.path(STATUSES);
                JsonNode featureTimes = v.path(FEATURE_EVENT_TS);
                for (Iterator<Map.Entry<String, JsonNode>> fs = v.fields(); fs.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = fs.next();
                    if (f.getKey().startsWith("@")) {
                        continue;
                    }
                    FeatureRef ref = new FeatureRef(view.getKey(), f.getKey());
                    ColumnType type = served.flatMap(d -> type(d, ref)).orElse(null);
                    JsonNode st = statuses.get(f.getKey());
                    JsonNode ts = featureTimes.has(f.getKey()) ? featureTimes.get(f.getKey()) : times;
                    FeatureValue[] col = new FeatureValue[f.getValue().size()];
                    for (int e = 0; e < col.length; e++) {
                        col[e] = new FeatureValue(readValue(f.getValue().get(e), type),
                            st == null ? Status.PRESENT : Status.valueOf(st.get(e).asText()),
                            ts.get(e).isNull() ? FeatureValue.NO_TIME : Timestamps.parse(ts.get(e).asText()));
                    }
                    read.put(ref, col);
                }
            }
            // The request's order: the service's, when the serving definitions still tell it.
            List<FeatureRef> refs = new ArrayList<>();
            served.flatMap(d -> d.featureService(s.service())).ifPresent(fs -> fs.features().forEach(r -> {
                if (read.containsKey(r)) {
                    refs.add(r);
                }
            }));
            read.keySet().forEach(r -> {
                if (!refs.contains(r)) {
                    refs.add(r);
                }
            });
            List<FeatureValue[]> values = new ArrayList<>();
            refs.forEach(r -> values.add(read.get(r)));
            return new LogRecord(s.requestId(), s.service(), s.registryVersion(), Optional.ofNullable(s.model()),
                Optional.ofNullable(s.modelVersion()), s.asOf() == null ? OptionalLong.empty()
                : OptionalLong.of(s.asOf().getTime()), s.servedAt().getTime(), joinKeys, keyValues, refs,
                values.toArray(new FeatureValue[0][]));
        } catch (IOException e) {
            throw new UncheckedIOException("feature log of request " + s.requestId() + " is not readable", e);
        }
    }

    /** A feature's output type in {@code d}, when it still has the feature. */
    static Optional<ColumnType> type(Definitions d, FeatureRef r) {
        return d.featureView(r.view()).flatMap(v -> v.feature(r.feature())).isPresent()
            ? Optional.of(OnlineLookup.outputType(d, r)) : Optional.empty();
    }

    static Object readValue(JsonNode v, ColumnType type) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (type == null) {
            return v.isIntegralNumber() ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble()
                : v.isBoolean() ? (Object) v.asBoolean() : v.asText();
        }
        return switch (type) {
            case STRING -> v.asText();
            case BOOL -> v.asBoolean();
            case INT, LONG -> v.asLong();
            case FLOAT, DOUBLE -> v.isNumber() ? v.asDouble() : Double.valueOf(v.asText());
            case TIMESTAMP -> v.isNumber() ? v.asLong() : Timestamps.parse(v.asText());
        };
    }
}

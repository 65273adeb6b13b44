package io.hearth.feedback;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
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
import java.io.StringWriter;
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
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
        .build();

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
        StringWriter w = new StringWriter(32 + 16 * r.entityCount());
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            for (int k = 0; k < r.joinKeys().size(); k++) {
                g.writeArrayFieldStart(r.joinKeys().get(k));
                for (Object v : r.keyValues().get(k)) {
                    writeValue(g, v, null);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static final String EVENT_TS = "@event_ts";
    static final String STATUSES = "@statuses";
    static final String FEATURE_EVENT_TS = "@feature_event_ts";

    static String featuresJson(LogRecord r, ColumnType[] types) {
        int n = r.entityCount();
        Map<String, List<Integer>> byView = new java.util.LinkedHashMap<>();
        for (int f = 0; f < r.features().size(); f++) {
            byView.computeIfAbsent(r.features().get(f).view(), k -> new ArrayList<>(4)).add(f);
        }
        StringWriter w = new StringWriter(64 + 24 * r.features().size() * Math.max(1, n));
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            long[] latest = new long[n];
            for (Map.Entry<String, List<Integer>> v : byView.entrySet()) {
                g.writeObjectFieldStart(v.getKey());
                java.util.Arrays.fill(latest, FeatureValue.NO_TIME);
                for (int f : v.getValue()) {
                    for (int e = 0; e < n; e++) {
                        FeatureValue x = r.values()[f][e];
                        if (x.hasTime() && (latest[e] == FeatureValue.NO_TIME || x.eventTs() > latest[e])) {
                            latest[e] = x.eventTs();
                        }
                    }
                }
                g.writeArrayFieldStart(EVENT_TS);
                for (long t : latest) {
                    writeTime(g, t);
                }
                g.writeEndArray();
                List<Integer> otherStatus = null;
                List<Integer> otherTime = null;
                for (int f : v.getValue()) {
                    g.writeArrayFieldStart(r.features().get(f).feature());
                    boolean status = false;
                    boolean time = false;
                    for (int e = 0; e < n; e++) {
                        FeatureValue x = r.values()[f][e];
                        writeValue(g, x.value(), types[f]);
                        status |= x.status() != Status.PRESENT;
                        time |= x.eventTs() != latest[e];
                    }
                    g.writeEndArray();
                    if (status) {
                        (otherStatus == null ? otherStatus = new ArrayList<>(2) : otherStatus).add(f);
                    }
                    if (time) {
                        (otherTime == null ? otherTime = new ArrayList<>(2) : otherTime).add(f);
                    }
                }
                if (otherStatus != null) {
                    g.writeObjectFieldStart(STATUSES);
                    for (int f : otherStatus) {
                        g.writeArrayFieldStart(r.features().get(f).feature());
                        for (int e = 0; e < n; e++) {
                            g.writeString(r.values()[f][e].status().name());
                        }
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
                if (otherTime != null) {
                    g.writeObjectFieldStart(FEATURE_EVENT_TS);
                    for (int f : otherTime) {
                        g.writeArrayFieldStart(r.features().get(f).feature());
                        for (int e = 0; e < n; e++) {
                            writeTime(g, r.values()[f][e].eventTs());
                        }
                        g.writeEndArray();
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeTime(JsonGenerator g, long t) throws IOException {
        if (t == FeatureValue.NO_TIME) {
            g.writeNull();
        } else {
            g.writeString(Timestamps.format(t));
        }
    }

    private static void writeValue(JsonGenerator g, Object v, ColumnType type) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (type == ColumnType.TIMESTAMP && v instanceof Long l) {
            g.writeString(Timestamps.format(l));
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d); // non-finite: "NaN", "Infinity", "-Infinity" (Jackson's default)
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
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

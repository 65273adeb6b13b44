package io.hearth.feedback;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureRef;
import io.hearth.catalog.FeatureService;
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
 * features are JSON text, readable as one SQL row:
 * <pre>
 * entities: {"customer_id": ["C1001"]}
 * features: {"customer_orders__last_amount": {"values": [42.5], "statuses": ["PRESENT"],
 *            "event_ts": ["2026-01-31T12:00:00.000Z"]}, ...}
 * </pre>
 * Features are named {@code view__feature} as lookups answer them, values written as lookups write them (timestamps
 * as ISO-8601, doubles in their shortest exact form, non-finite doubles as "NaN", "Infinity" and "-Infinity"), so
 * they read back to the same bits. Reading needs the definitions of the version that served the lookup (the
 * registry keeps every version): they give each feature's type and the feature a column name stands for.
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

    static String featuresJson(LogRecord r, ColumnType[] types) {
        StringWriter w = new StringWriter(64 + 96 * r.features().size() * Math.max(1, r.entityCount()));
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            for (int f = 0; f < r.features().size(); f++) {
                g.writeObjectFieldStart(r.features().get(f).columnName());
                FeatureValue[] vs = r.values()[f];
                g.writeArrayFieldStart("values");
                for (FeatureValue v : vs) {
                    writeValue(g, v.value(), types[f]);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("statuses");
                for (FeatureValue v : vs) {
                    g.writeString(v.status().name());
                }
                g.writeEndArray();
                g.writeArrayFieldStart("event_ts");
                for (FeatureValue v : vs) {
                    if (v.hasTime()) {
                        g.writeString(Timestamps.format(v.eventTs()));
                    } else {
                        g.writeNull();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
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
            Map<String, FeatureRef> byColumn = new java.util.HashMap<>();
            Optional<FeatureService> service = served.flatMap(d -> d.featureService(s.service()));
            service.ifPresent(fs -> fs.features().forEach(r -> byColumn.put(r.columnName(), r)));
            JsonNode features = JSON.readTree(s.features());
            List<FeatureRef> refs = new ArrayList<>();
            List<FeatureValue[]> values = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = features.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                FeatureRef ref = byColumn.getOrDefault(e.getKey(), split(e.getKey()));
                ColumnType type = served.flatMap(d -> type(d, ref)).orElse(null);
                JsonNode vs = e.getValue().get("values");
                JsonNode st = e.getValue().get("statuses");
                JsonNode ts = e.getValue().get("event_ts");
                FeatureValue[] col = new FeatureValue[vs.size()];
                for (int i = 0; i < col.length; i++) {
                    col[i] = new FeatureValue(readValue(vs.get(i), type), Status.valueOf(st.get(i).asText()),
                        ts.get(i).isNull() ? FeatureValue.NO_TIME : Timestamps.parse(ts.get(i).asText()));
                }
                refs.add(ref);
                values.add(col);
            }
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

    /** A column name the definitions do not know, read as {@code view__feature} split at its first "__". */
    private static FeatureRef split(String column) {
        int i = column.indexOf("__");
        return i <= 0 ? new FeatureRef(column, column) : new FeatureRef(column.substring(0, i), column.substring(i + 2));
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

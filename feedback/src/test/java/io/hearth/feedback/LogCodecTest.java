package io.hearth.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Reproduction;
import io.hearth.compute.semantics.Status;
import io.hearth.compute.time.Timestamps;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stored JSON of a log reads back to the same values, bit for bit, as reproduction compares them. */
class LogCodecTest {
    static final Definitions DEFS = DefinitionsParser.parse("t.yaml", """
        entities: [{name: user, join_keys: [user_id]}]
        sources:
          - name: s
            entity: user
            timestamp_field: ts
            schema: {user_id: string, ts: timestamp, x: double, n: long, b: bool, when: timestamp, t: string}
        feature_views:
          - name: v__w
            entity: user
            source: s
            features:
              - {name: x, column: x}
              - {name: n, column: n}
              - {name: b, column: b}
              - {name: when, column: when}
              - {name: t, column: t}
              - {name: c, aggregation: count, window: 1d}
        feature_services:
          - name: svc
            features: [{v__w: [x, n, b, when, t, c]}]
        """);

    @Test
    void everyTypeOfValueReadsBackBitForBit() {
        List<FeatureRef> refs = DEFS.featureService("svc").orElseThrow().features();
        FeatureValue[][] values = {
            {new FeatureValue(0.1 + 0.2, Status.PRESENT, 5), new FeatureValue(Double.NaN, Status.PRESENT, 6),
                new FeatureValue(Double.NEGATIVE_INFINITY, Status.PRESENT, 7)},
            {new FeatureValue(Long.MIN_VALUE, Status.PRESENT, 5), new FeatureValue(null, Status.NULL_VALUE, 6),
                FeatureValue.NOT_FOUND},
            {new FeatureValue(true, Status.PRESENT, 5), new FeatureValue(false, Status.PRESENT, 6),
                new FeatureValue(null, Status.OUTSIDE_MAX_AGE, 1)},
            {new FeatureValue(1_769_860_800_123L, Status.PRESENT, 5), FeatureValue.NOT_FOUND, FeatureValue.NOT_FOUND},
            {new FeatureValue("ü\"\n", Status.PRESENT, 5), new FeatureValue("", Status.PRESENT, 5), FeatureValue.NOT_FOUND},
            {new FeatureValue(3L, Status.PRESENT, 5), new FeatureValue(0L, Status.NOT_FOUND, FeatureValue.NO_TIME),
                new FeatureValue(12L, Status.PRESENT, 9)}};
        LogRecord r = new LogRecord("r1", "svc", 4, Optional.of("m"), Optional.empty(), OptionalLong.of(1234),
            99_000, List.of("user_id"), List.of(List.of("u1", "u2", "u3")), refs, values);
        ColumnType[] types = refs.stream().map(f -> io.hearth.node.serving.OnlineLookup.outputType(DEFS, f))
            .toArray(ColumnType[]::new);
        String features = LogCodec.featuresJson(r, types);
        assertThat(features).startsWith("{\"v__w\":{\"@event_ts\":[\"1970-01-01T00:00:00.005Z\",")
            .contains("\"x\":[0.30000000000000004,\"NaN\",\"-Infinity\"]").contains("\"2026-01-31T12:00:00.123Z\"")
            .contains("\"@statuses\":{\"n\":[\"PRESENT\",\"NULL_VALUE\",\"NOT_FOUND\"]");
        LogRecord back = LogCodec.decode(new LogCodec.Stored("r1", "svc", 4, "m", null, new Timestamp(1234),
            new Timestamp(99_000), LogCodec.entitiesJson(r), features), Optional.of(DEFS));
        assertThat(back.features()).isEqualTo(refs);
        assertThat(back.model()).contains("m");
        assertThat(back.modelVersion()).isEmpty();
        assertThat(back.asOf()).hasValue(1234);
        assertThat(back.valuesAt()).isEqualTo(1234);
        assertThat(back.keyValues()).isEqualTo(r.keyValues());
        assertThat(back.entityKeys()).containsExactly("u1", "u2", "u3");
        assertThat(Reproduction.compare(back.values(), values, new boolean[values.length])).isEmpty();
    }

    @Test
    void numericJoinKeysKeepTheirStorageForm() {
        LogRecord r = new LogRecord("r", "svc", 1, Optional.empty(), Optional.empty(), OptionalLong.empty(), 5,
            List.of("a", "b"), List.of(List.of(42L, 7L), List.of(1.5, 1e20)), List.of(), new FeatureValue[0][]);
        LogRecord back = LogCodec.decode(new LogCodec.Stored("r", "svc", 1, null, null, null, new Timestamp(5),
            LogCodec.entitiesJson(r), "{}"), Optional.empty());
        assertThat(back.entityKeys()).isEqualTo(r.entityKeys()).containsExactly("42\u001F1.5", "7\u001F1.0E20");
        assertThat(back.asOf()).isEmpty();
        assertThat(back.valuesAt()).isEqualTo(5);
    }

    @Test
    void withoutTheServingDefinitionsTypesAreReadOffTheJson() {
        LogRecord back = LogCodec.decode(new LogCodec.Stored("r", "gone", 9, null, null, null, new Timestamp(5),
            "{\"k\":[\"u\"]}", "{\"orders\":{\"@event_ts\":[\"2026-01-31T12:00:00.000Z\"],\"last\":[2.5],\"n\":[3],"
                + "\"@statuses\":{\"n\":[\"NOT_FOUND\"]},\"@feature_event_ts\":{\"n\":[null]}}}"), Optional.empty());
        assertThat(back.features()).containsExactly(new FeatureRef("orders", "last"), new FeatureRef("orders", "n"));
        assertThat(back.values()[0][0]).isEqualTo(new FeatureValue(2.5, Status.PRESENT, 1_769_860_800_000L));
        assertThat(back.values()[1][0]).isEqualTo(new FeatureValue(3L, Status.NOT_FOUND, FeatureValue.NO_TIME));
    }

    @Test
    void aLogIsAFewBytesPerValue() {
        List<FeatureRef> refs = DEFS.featureService("svc").orElseThrow().features();
        FeatureValue[][] values = new FeatureValue[refs.size()][1];
        for (int f = 0; f < refs.size(); f++) {
            values[f][0] = new FeatureValue(f == 4 ? "text" : f == 2 ? (Object) true : (Object) (f * 1.25), Status.PRESENT,
                1_769_860_800_000L);
        }
        LogRecord r = new LogRecord("r", "svc", 1, Optional.empty(), Optional.empty(), OptionalLong.empty(), 5,
            List.of("user_id"), List.of(List.of("u1")), refs, values);
        ColumnType[] types = refs.stream().map(f -> io.hearth.node.serving.OnlineLookup.outputType(DEFS, f))
            .toArray(ColumnType[]::new);
        types[3] = ColumnType.DOUBLE; // the timestamp feature here holds a double: only the shape matters
        types[5] = ColumnType.DOUBLE;
        values[5][0] = new FeatureValue(5L, Status.PRESENT, 1_769_860_800_000L);
        String json = LogCodec.featuresJson(r, types);
        assertThat(json).hasSizeLessThan(140).doesNotContain("@statuses").doesNotContain("@feature_event_ts");
    }

    /**
     * The stored text is what Jackson's generator wrote before this codec wrote it by hand (kept here as the oracle):
     * random records of every type, with the strings JSON escapes, nulls, statuses and times that differ, byte for byte.
     */
    @Test
    void theTextIsJacksons() {
        List<FeatureRef> refs = DEFS.featureService("svc").orElseThrow().features();
        ColumnType[] types = refs.stream().map(f -> io.hearth.node.serving.OnlineLookup.outputType(DEFS, f))
            .toArray(ColumnType[]::new);
        SplittableRandom rnd = new SplittableRandom(7);
        String[] strings = {"", "plain", "\"quoted\"", "back\\slash", "tab\tnew\nline\r\b\f", "\u0000\u001F\u007F",
            "ü€😀", "\u2028/</script>"};
        for (int i = 0; i < 2_000; i++) {
            int n = 1 + rnd.nextInt(3);
            FeatureValue[][] values = new FeatureValue[refs.size()][n];
            for (int f = 0; f < refs.size(); f++) {
                for (int e = 0; e < n; e++) {
                    Object v = switch (rnd.nextInt(12)) {
                        case 0 -> null;
                        case 1 -> Double.NaN;
                        case 2 -> rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                        case 3 -> Double.longBitsToDouble(rnd.nextLong());
                        case 4 -> rnd.nextInt(100_000) / 100.0;
                        case 5 -> rnd.nextBoolean() ? -0.0 : 1e-300 * rnd.nextInt(10);
                        case 6 -> rnd.nextLong();
                        case 7 -> rnd.nextBoolean();
                        case 8 -> strings[rnd.nextInt(strings.length)];
                        case 9 -> 1_769_860_800_000L + rnd.nextLong(1L << 36) - (1L << 35);
                        default -> (long) rnd.nextInt(100);
                    };
                    Status status = rnd.nextInt(4) == 0 ? Status.values()[rnd.nextInt(Status.values().length)] : Status.PRESENT;
                    long ts = rnd.nextInt(5) == 0 ? FeatureValue.NO_TIME : 1_769_860_800_000L + rnd.nextInt(3) * 1000L;
                    values[f][e] = new FeatureValue(v, status, ts);
                }
            }
            List<Object> keys = new java.util.ArrayList<>();
            for (int e = 0; e < n; e++) {
                keys.add(rnd.nextBoolean() ? strings[rnd.nextInt(strings.length)] : (Object) rnd.nextLong());
            }
            LogRecord r = new LogRecord("r" + i, "svc", 1, Optional.empty(), Optional.empty(), OptionalLong.empty(), 5,
                List.of("user_id"), List.of(keys), refs, values);
            assertThat(LogCodec.featuresJson(r, types)).isEqualTo(jacksonFeaturesJson(r, types));
            assertThat(LogCodec.entitiesJson(r)).isEqualTo(jacksonEntitiesJson(r));
        }
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
        .build();

    static String jacksonEntitiesJson(LogRecord r) {
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


    private static String jacksonFeaturesJson(LogRecord r, ColumnType[] types) {
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
                g.writeArrayFieldStart(LogCodec.EVENT_TS);
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
                    g.writeObjectFieldStart(LogCodec.STATUSES);
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
                    g.writeObjectFieldStart(LogCodec.FEATURE_EVENT_TS);
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

}

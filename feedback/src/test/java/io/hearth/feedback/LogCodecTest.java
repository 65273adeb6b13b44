package io.hearth.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Definitions;
import io.hearth.catalog.DefinitionsParser;
import io.hearth.catalog.FeatureRef;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Reproduction;
import io.hearth.compute.semantics.Status;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
}

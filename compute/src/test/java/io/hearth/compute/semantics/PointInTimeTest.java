package io.hearth.compute.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.events.EventBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointInTimeTest {
    private static final long T = 1_000_000L;
    private static final long TTL = 10_000L;

    /** A sorted run of events (ts, created, value) built and sorted the way ingest does it. */
    private static EventBlock run(Object[]... events) {
        EventBlock.Builder b = new EventBlock.Builder(List.of("v"), List.of(ColumnType.STRING));
        for (Object[] e : events) {
            b.add((Long) e[0], (Long) e[1], 0, new Object[] {e[2]});
        }
        return b.build().sorted();
    }

    private static Object[] ev(long ts, long created, String v) {
        return new Object[] {ts, created, v};
    }

    private static Object[] ev(long ts, String v) {
        return ev(ts, EventBlock.NO_CREATED, v);
    }

    private static FeatureValue plain(EventBlock b, long t, long ttl) {
        return PointInTime.plain(b.timestamps(), b.size(), b.column("v", ColumnType.STRING), t, ttl, false);
    }

    @Test
    void lastAtOrBeforeFindsTheLastOfEqualTimes() {
        long[] ts = {10, 20, 20, 20, 30, 99};
        assertThat(PointInTime.lastAtOrBefore(ts, 5, 9)).isEqualTo(-1);
        assertThat(PointInTime.lastAtOrBefore(ts, 5, 10)).isEqualTo(0);
        assertThat(PointInTime.lastAtOrBefore(ts, 5, 19)).isEqualTo(0);
        assertThat(PointInTime.lastAtOrBefore(ts, 5, 20)).isEqualTo(3);
        assertThat(PointInTime.lastAtOrBefore(ts, 5, 29)).isEqualTo(3);
        assertThat(PointInTime.lastAtOrBefore(ts, 5, 1000)).as("only the first n count").isEqualTo(4);
        assertThat(PointInTime.lastAtOrBefore(ts, 0, 1000)).isEqualTo(-1);
    }

    @Test
    void eventExactlyAtTimeIsSeen() {
        FeatureValue v = plain(run(ev(T - 5, "old"), ev(T, "now"), ev(T + 1, "future")), T, 0);
        assertThat(v).isEqualTo(new FeatureValue("now", Status.PRESENT, T));
    }

    @Test
    void eventAfterTimeIsNeverSeen() {
        assertThat(plain(run(ev(T + 1, "future")), T, 0)).isEqualTo(FeatureValue.NOT_FOUND);
        assertThat(plain(run(ev(T + 1, "future")), T, TTL)).isEqualTo(FeatureValue.NOT_FOUND);
    }

    @Test
    void eventExactlyAtTtlBoundaryIsInside() {
        assertThat(plain(run(ev(T - TTL, "edge")), T, TTL)).isEqualTo(new FeatureValue("edge", Status.PRESENT, T - TTL));
    }

    @Test
    void lookupReturnsOutsideMaxAgeWhenLatestEventIsOlderThanTtl() {
        FeatureValue v = plain(run(ev(T - TTL - 1, "stale")), T, TTL);
        assertThat(v.status()).isEqualTo(Status.OUTSIDE_MAX_AGE);
        assertThat(v.value()).as("value is null, unlike Feast").isNull();
        assertThat(v.eventTs()).as("still carries the event time").isEqualTo(T - TTL - 1);
    }

    @Test
    void zeroTtlMeansNoLowerBound() {
        assertThat(plain(run(ev(0, "ancient")), Long.MAX_VALUE / 2, 0)).isEqualTo(new FeatureValue("ancient", Status.PRESENT, 0));
    }

    @Test
    void lookupReturnsNullValueWhenLatestEventHasNullEvenIfAnOlderOneHasAValue() {
        FeatureValue v = plain(run(ev(T - 2, "older"), ev(T - 1, null)), T, TTL);
        assertThat(v).isEqualTo(new FeatureValue(null, Status.NULL_VALUE, T - 1));
    }

    @Test
    void lookupReturnsNotFoundWhenNoEventAtOrBeforeTime() {
        assertThat(plain(run(), T, TTL)).isEqualTo(FeatureValue.NOT_FOUND);
        assertThat(FeatureValue.NOT_FOUND.hasTime()).isFalse();
    }

    @Test
    void olderEventsNotLoadedGiveOutsideMaxAgeWithoutTime() {
        EventBlock b = run(ev(T + 10, "later"));
        FeatureValue v = PointInTime.plain(b.timestamps(), b.size(), b.column("v", ColumnType.STRING), T, TTL, true);
        assertThat(v).isEqualTo(new FeatureValue(null, Status.OUTSIDE_MAX_AGE, FeatureValue.NO_TIME));
    }

    @Test
    void tieOnEventTimeGoesToGreatestCreatedTimeWhateverTheArrivalOrder() {
        EventBlock b = run(ev(T, 7, "created7"), ev(T, 9, "created9"), ev(T, 8, "created8"));
        assertThat(plain(b, T, 0).value()).isEqualTo("created9");
    }

    @Test
    void eventWithoutCreatedTimeLosesTieToOneWithCreatedTime() {
        EventBlock b = run(ev(T, 5, "has-created"), ev(T, EventBlock.NO_CREATED, "no-created"));
        assertThat(plain(b, T, 0).value()).isEqualTo("has-created");
    }

    @Test
    void fullTieGoesToEventIngestedLast() {
        assertThat(plain(run(ev(T, 5, "first"), ev(T, 5, "second"), ev(T, 5, "third")), T, 0).value()).isEqualTo("third");
        assertThat(plain(run(ev(T, "first"), ev(T, "second")), T, 0).value()).isEqualTo("second");
    }

    @Test
    void fullTieAcrossBatchesGoesToTheLaterBatch() {
        EventBlock first = run(ev(T, 5, "batch1"), ev(T - 1, 5, "older"));
        EventBlock second = run(ev(T, 5, "batch2"));
        assertThat(plain(first.merge(second), T, 0).value()).isEqualTo("batch2");
        assertThat(plain(second.merge(first), T, 0).value()).as("merge order is ingest order").isEqualTo("batch1");
    }

    @Test
    void greaterEventTimeWinsOverGreaterCreatedTime() {
        EventBlock b = run(ev(T, 1, "later-event"), ev(T - 1, 999, "later-created"));
        assertThat(plain(b, T, 0).value()).isEqualTo("later-event");
    }
}

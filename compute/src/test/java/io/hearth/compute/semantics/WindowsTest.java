package io.hearth.compute.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hearth.catalog.Aggregation;
import io.hearth.catalog.ColumnType;
import io.hearth.compute.events.EventBlock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WindowsTest {
    private static final long W = 1_000L;

    /** Sorted run with a double column "x", a long column "n" and a string column "s"; rows are {ts, x, n, s}. */
    private static EventBlock run(Object[]... rows) {
        EventBlock.Builder b = new EventBlock.Builder(List.of("x", "n", "s"),
            List.of(ColumnType.DOUBLE, ColumnType.LONG, ColumnType.STRING));
        for (Object[] r : rows) {
            b.add(((Number) r[0]).longValue(), EventBlock.NO_CREATED, 0, new Object[] {r[1], r[2], r[3]});
        }
        return b.build().sorted();
    }

    private static Object[] row(long ts, Double x, Long n, String s) {
        return new Object[] {ts, x, n, s};
    }

    private static FeatureValue agg(EventBlock b, Aggregation a, String col, long t, long w, long hop) {
        Column c = col == null ? null : b.column(col, col.equals("x") ? ColumnType.DOUBLE
            : col.equals("n") ? ColumnType.LONG : ColumnType.STRING);
        return Windows.aggregate(a, b.timestamps(), b.size(), c, t, w, hop);
    }

    @Test
    void windowIncludesEventAtTimeAndExcludesEventExactlyWindowBefore() {
        EventBlock b = run(row(1000, 1.0, 1L, "a"), row(1001, 2.0, 2L, "b"), row(2000, 4.0, 4L, "c"), row(2001, 8.0, 8L, "d"));
        FeatureValue v = agg(b, Aggregation.SUM, "x", 2000, W, 0);
        assertThat(v).isEqualTo(new FeatureValue(6.0, Status.PRESENT, 2000));
        assertThat(agg(b, Aggregation.COUNT, null, 2000, W, 0).value()).isEqualTo(2L);
        assertThat(agg(b, Aggregation.FIRST, "s", 2000, W, 0).value()).isEqualTo("b");
        assertThat(agg(b, Aggregation.LAST, "s", 2000, W, 0).value()).isEqualTo("c");
    }

    @Test
    void countWithoutColumnCountsEventsAndWithColumnSkipsNulls() {
        EventBlock b = run(row(10, null, 1L, null), row(11, 2.0, null, "x"), row(12, null, null, null));
        assertThat(agg(b, Aggregation.COUNT, null, 12, W, 0).value()).isEqualTo(3L);
        assertThat(agg(b, Aggregation.COUNT, "x", 12, W, 0).value()).isEqualTo(1L);
        assertThat(agg(b, Aggregation.COUNT, "n", 12, W, 0).value()).isEqualTo(1L);
        assertThat(agg(b, Aggregation.COUNT, "s", 12, W, 0).value()).isEqualTo(1L);
    }

    @Test
    void emptyWindowGivesZeroCountsAndNullOtherwise() {
        EventBlock b = run(row(100, 1.0, 1L, "a"));
        long t = 100 + W; // the only event sits exactly at t - w
        for (Aggregation a : Aggregation.values()) {
            FeatureValue v = agg(b, a, a == Aggregation.COUNT ? null : "x", t, W, 0);
            assertThat(v.eventTs()).as(a + " has no event time").isEqualTo(FeatureValue.NO_TIME);
            if (a == Aggregation.COUNT || a == Aggregation.COUNT_DISTINCT) {
                assertThat(v).as(a.toString()).isEqualTo(new FeatureValue(0L, Status.PRESENT, FeatureValue.NO_TIME));
            } else {
                assertThat(v).as(a.toString()).isEqualTo(new FeatureValue(null, Status.NULL_VALUE, FeatureValue.NO_TIME));
            }
        }
        assertThat(agg(b, Aggregation.COUNT, "x", t, W, 0).value()).isEqualTo(0L);
        assertThat(agg(run(), Aggregation.COUNT, null, t, W, 0).value()).isEqualTo(0L);
    }

    @ParameterizedTest
    @EnumSource(value = Aggregation.class, names = {"SUM", "AVG", "MIN", "MAX", "STDDEV", "FIRST", "LAST"})
    void windowOfOnlyNullValuesGivesNullButKeepsTheLatestEventTime(Aggregation a) {
        EventBlock b = run(row(10, null, null, null), row(20, null, null, null));
        assertThat(agg(b, a, "x", 20, W, 0)).isEqualTo(new FeatureValue(null, Status.NULL_VALUE, 20));
        assertThat(agg(b, a, "n", 20, W, 0)).isEqualTo(new FeatureValue(null, Status.NULL_VALUE, 20));
    }

    @Test
    void sumOfLongColumnIsLongAndOfDoubleColumnIsDouble() {
        EventBlock b = run(row(1, 1.5, 3L, null), row(2, 2.25, 4L, null), row(3, null, null, null));
        assertThat(agg(b, Aggregation.SUM, "n", 3, W, 0).value()).isEqualTo(7L);
        assertThat(agg(b, Aggregation.SUM, "x", 3, W, 0).value()).isEqualTo(3.75);
        assertThat(Windows.resultType(Aggregation.SUM, ColumnType.INT)).isEqualTo(ColumnType.LONG);
        assertThat(Windows.resultType(Aggregation.SUM, ColumnType.FLOAT)).isEqualTo(ColumnType.DOUBLE);
    }

    @Test
    void avgIsSumOverCountOfNonNullValuesInDouble() {
        EventBlock b = run(row(1, 1.0, 1L, null), row(2, null, 2L, null), row(3, 4.0, null, null));
        assertThat(agg(b, Aggregation.AVG, "x", 3, W, 0).value()).isEqualTo(2.5);
        assertThat(agg(b, Aggregation.AVG, "n", 3, W, 0).value()).isEqualTo(1.5);
    }

    @Test
    void stddevIsSampleStandardDeviationAndNullUnderTwoValues() {
        EventBlock b = run(row(1, 2.0, 2L, null), row(2, 4.0, 4L, null), row(3, 4.0, 4L, null), row(4, 4.0, 4L, null),
            row(5, 5.0, 5L, null), row(6, 5.0, 5L, null), row(7, 7.0, 7L, null), row(8, 9.0, 9L, null));
        // sum of squared deviations from the mean 5 is 32; sample variance 32 / 7
        assertThat((Double) agg(b, Aggregation.STDDEV, "x", 8, W, 0).value()).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
        assertThat((Double) agg(b, Aggregation.STDDEV, "n", 8, W, 0).value()).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
        assertThat(agg(b, Aggregation.STDDEV, "x", 1, W, 0).value()).as("one value").isNull();
        assertThat(agg(b, Aggregation.STDDEV, "x", 2, W, 0).value()).isEqualTo(Math.sqrt(2.0));
        assertThat(agg(run(row(1, 3.0, null, null), row(2, 3.0, null, null)), Aggregation.STDDEV, "x", 2, W, 0).value())
            .isEqualTo(0.0);
    }

    @Test
    void stddevStaysAccurateOnLargeOffsets() {
        EventBlock b = run(row(1, 1e9 + 4, null, null), row(2, 1e9 + 7, null, null), row(3, 1e9 + 13, null, null),
            row(4, 1e9 + 16, null, null));
        assertThat((Double) agg(b, Aggregation.STDDEV, "x", 4, W, 0).value()).isCloseTo(Math.sqrt(30.0), within(1e-9));
    }

    @Test
    void minMaxFirstLastSkipNulls() {
        EventBlock b = run(row(1, null, null, null), row(2, 3.0, -7L, "p"), row(3, -1.5, 9L, "q"), row(4, 2.0, 0L, null),
            row(5, null, null, null));
        assertThat(agg(b, Aggregation.MIN, "x", 5, W, 0).value()).isEqualTo(-1.5);
        assertThat(agg(b, Aggregation.MAX, "x", 5, W, 0).value()).isEqualTo(3.0);
        assertThat(agg(b, Aggregation.MIN, "n", 5, W, 0).value()).isEqualTo(-7L);
        assertThat(agg(b, Aggregation.MAX, "n", 5, W, 0).value()).isEqualTo(9L);
        assertThat(agg(b, Aggregation.FIRST, "x", 5, W, 0).value()).isEqualTo(3.0);
        assertThat(agg(b, Aggregation.LAST, "x", 5, W, 0).value()).isEqualTo(2.0);
        assertThat(agg(b, Aggregation.FIRST, "s", 5, W, 0).value()).isEqualTo("p");
        assertThat(agg(b, Aggregation.LAST, "s", 5, W, 0).value()).isEqualTo("q");
        assertThat(agg(b, Aggregation.LAST, "s", 5, W, 0).eventTs()).as("time of the latest event, null or not")
            .isEqualTo(5);
    }

    @Test
    void maxOfLongsComparesExactlyBeyondDoublePrecision() {
        long big = 1L << 60;
        EventBlock b = run(row(1, null, big, null), row(2, null, big + 1, null), row(3, null, big - 1, null));
        assertThat(agg(b, Aggregation.MAX, "n", 3, W, 0).value()).isEqualTo(big + 1);
        assertThat(agg(b, Aggregation.MIN, "n", 3, W, 0).value()).isEqualTo(big - 1);
        assertThat(agg(b, Aggregation.SUM, "n", 3, W, 0).value()).isEqualTo(3 * big);
    }

    @Test
    void countDistinctCountsDistinctNonNullValues() {
        EventBlock b = run(row(1, 1.0, 1L, "a"), row(2, 1.0, 2L, "a"), row(3, 2.0, 1L, null), row(4, null, null, "b"));
        assertThat(agg(b, Aggregation.COUNT_DISTINCT, "x", 4, W, 0).value()).isEqualTo(2L);
        assertThat(agg(b, Aggregation.COUNT_DISTINCT, "n", 4, W, 0).value()).isEqualTo(2L);
        assertThat(agg(b, Aggregation.COUNT_DISTINCT, "s", 4, W, 0).value()).isEqualTo(2L);
    }

    @Test
    void firstAndLastFollowCreatedAndIngestOrderWithinEqualTimes() {
        EventBlock.Builder b = new EventBlock.Builder(List.of("s"), List.of(ColumnType.STRING));
        b.add(10, 2, 0, new Object[] {"created2"});
        b.add(10, 1, 0, new Object[] {"created1-first"});
        b.add(10, 1, 0, new Object[] {"created1-second"});
        EventBlock run = b.build().sorted();
        Column s = run.column("s", ColumnType.STRING);
        assertThat(Windows.aggregate(Aggregation.FIRST, run.timestamps(), 3, s, 10, W, 0).value()).isEqualTo("created1-first");
        assertThat(Windows.aggregate(Aggregation.LAST, run.timestamps(), 3, s, 10, W, 0).value()).isEqualTo("created2");
    }

    @Test
    void hopAlignsWindowEndDownToTheHop() {
        assertThat(Windows.windowEnd(12_345, 1_000)).isEqualTo(12_000);
        assertThat(Windows.windowEnd(12_000, 1_000)).isEqualTo(12_000);
        assertThat(Windows.windowEnd(-1, 1_000)).as("floor, not truncation").isEqualTo(-1_000);
        assertThat(Windows.windowEnd(12_345, 0)).as("no hop: exact").isEqualTo(12_345);

        EventBlock b = run(row(11_000, 1.0, null, null), row(11_001, 2.0, null, null), row(12_000, 4.0, null, null),
            row(12_001, 8.0, null, null));
        // t = 12_999 with hop 1000: window (11_000, 12_000]
        assertThat(agg(b, Aggregation.SUM, "x", 12_999, W, 1_000)).isEqualTo(new FeatureValue(6.0, Status.PRESENT, 12_000));
        // exact window at the same t: (11_999, 12_999]
        assertThat(agg(b, Aggregation.SUM, "x", 12_999, W, 0)).isEqualTo(new FeatureValue(12.0, Status.PRESENT, 12_001));
    }

    @Test
    void resultTypesFollowTheAggregation() {
        assertThat(Windows.resultType(Aggregation.COUNT, ColumnType.STRING)).isEqualTo(ColumnType.LONG);
        assertThat(Windows.resultType(Aggregation.COUNT_DISTINCT, ColumnType.DOUBLE)).isEqualTo(ColumnType.LONG);
        assertThat(Windows.resultType(Aggregation.AVG, ColumnType.INT)).isEqualTo(ColumnType.DOUBLE);
        assertThat(Windows.resultType(Aggregation.STDDEV, ColumnType.LONG)).isEqualTo(ColumnType.DOUBLE);
        assertThat(Windows.resultType(Aggregation.MIN, ColumnType.INT)).isEqualTo(ColumnType.INT);
        assertThat(Windows.resultType(Aggregation.LAST, ColumnType.STRING)).isEqualTo(ColumnType.STRING);
    }

    @Test
    void absentColumnReadsAllNull() {
        Column c = Column.absent(ColumnType.DOUBLE);
        assertThat(c.type()).isEqualTo(ColumnType.DOUBLE);
        assertThat(c.isNull(0)).isTrue();
        assertThat(c.valueAt(42)).isNull();
        assertThat(Windows.compute(Aggregation.COUNT, c, 0, 5)).isEqualTo(0L);
        assertThat(Windows.compute(Aggregation.SUM, c, 0, 5)).isNull();
        assertThat(Windows.compute(Aggregation.COUNT, null, 0, 5)).isEqualTo(5L);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.longAt(0)).isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.doubleAt(0)).isInstanceOf(IllegalStateException.class);
    }
}

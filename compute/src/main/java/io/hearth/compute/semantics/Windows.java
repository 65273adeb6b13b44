package io.hearth.compute.semantics;

import io.hearth.catalog.Aggregation;
import io.hearth.catalog.ColumnType;
import java.util.HashSet;
import java.util.Set;

/**
 * Windowed aggregates over exactly the events with {@code t - window < event_ts <= t}. Column aggregates skip
 * null values. Sums of doubles (and so {@code sum} over double columns and every {@code avg}) are exactly rounded
 * ({@link ExactSum}): the same whatever the order the events are added in, which lets per-block summaries give
 * the same bits as a scan; an empty window gives 0 for count and count_distinct and null for every other aggregate.
 * With a hop, the window end is first aligned down to the hop: {@code floor(t, hop)}.
 */
public final class Windows {
    private Windows() {
    }

    /** The window end actually used at time t. */
    public static long windowEnd(long t, long hopMillis) {
        return hopMillis > 0 ? Math.floorDiv(t, hopMillis) * hopMillis : t;
    }

    /**
     * Aggregates events {@code [0, n)} of a time-sorted run. {@code column} may be null only for COUNT (counts
     * events). Returns the value (Long, Double, String, Boolean or null) and the event time of the latest event
     * in the window.
     */
    public static FeatureValue aggregate(Aggregation agg, long[] ts, int n, Column column, long t, long windowMillis,
                                         long hopMillis) {
        long end = windowEnd(t, hopMillis);
        int to = PointInTime.lastAtOrBefore(ts, n, end) + 1;          // exclusive
        int from = PointInTime.lastAtOrBefore(ts, n, end - windowMillis) + 1; // first with ts > end - window
        long lastTs = to > from ? ts[to - 1] : FeatureValue.NO_TIME;
        Object v = compute(agg, column, from, to);
        return new FeatureValue(v, v == null ? Status.NULL_VALUE : Status.PRESENT, lastTs);
    }

    /** The aggregate over events {@code [from, to)}. */
    public static Object compute(Aggregation agg, Column c, int from, int to) {
        switch (agg) {
            case COUNT:
                if (c == null) {
                    return (long) Math.max(0, to - from);
                }
                // fall through: counting a column's non-null values
            case SUM:
            case AVG:
            case MIN:
            case MAX: {
                Partial p = new Partial(agg, c.type());
                p.add(c, from, to);
                if (p.sum.overflowed()) {
                    double exact = sum(p.sum, c, from, to);
                    return agg == Aggregation.SUM ? (Object) exact : (Object) (exact / p.count);
                }
                return p.result();
            }
            case COUNT_DISTINCT: {
                Set<Object> seen = new HashSet<>();
                for (int i = from; i < to; i++) {
                    if (!c.isNull(i)) {
                        seen.add(c.valueAt(i));
                    }
                }
                return (long) seen.size();
            }
            case STDDEV: {
                // Welford: numerically stable, and one pass.
                long k = 0;
                double mean = 0;
                double m2 = 0;
                for (int i = from; i < to; i++) {
                    if (!c.isNull(i)) {
                        double x = c.doubleAt(i);
                        k++;
                        double d = x - mean;
                        mean += d / k;
                        m2 += d * (x - mean);
                    }
                }
                return k < 2 ? null : Math.sqrt(m2 / (k - 1));
            }
            case FIRST: {
                for (int i = from; i < to; i++) {
                    if (!c.isNull(i)) {
                        return c.valueAt(i);
                    }
                }
                return null;
            }
            case LAST: {
                for (int i = to - 1; i >= from; i--) {
                    if (!c.isNull(i)) {
                        return c.valueAt(i);
                    }
                }
                return null;
            }
            default:
                throw new IllegalArgumentException("unknown aggregation " + agg);
        }
    }

    /** The rounded sum, recomputed from the values in the rare case that the running sum overflowed. */
    private static double sum(ExactSum s, Column c, int from, int to) {
        if (!s.overflowed()) {
            return s.value();
        }
        double[] v = new double[to - from];
        int k = 0;
        for (int i = from; i < to; i++) {
            if (!c.isNull(i)) {
                v[k++] = c.doubleAt(i);
            }
        }
        return ExactSum.exact(v, k);
    }

    /**
     * The state of count, sum, avg, min or max over some events, from raw events and from block summaries added in
     * any order and grouping: every part of it combines exactly (counts and wrapping long sums are associative,
     * double sums are {@link ExactSum}s, min and max are order-free), so the result is the same bits as one scan.
     */
    public static final class Partial {
        private final Aggregation agg;
        private final boolean integral;
        private final boolean bool;
        private long count;
        private long longSum;
        private final ExactSum sum = new ExactSum();
        private long bestLong;
        private double bestDouble;

        /** @param type the column's type, or null for count of events */
        public Partial(Aggregation agg, ColumnType type) {
            if (!supports(agg, type)) {
                throw new IllegalArgumentException(agg + " over " + type + " has no partial form");
            }
            this.agg = agg;
            this.integral = type != null && type.isIntegral();
            this.bool = type == ColumnType.BOOL;
        }

        /** Whether {@code agg} over a column of {@code type} (null: count of events) has a partial form. */
        public static boolean supports(Aggregation agg, ColumnType type) {
            return switch (agg) {
                case COUNT -> true;
                case SUM, AVG, MIN, MAX -> type != null && type != ColumnType.STRING;
                default -> false;
            };
        }

        /** Adds {@code n} events, for count of events. */
        public void addEvents(long n) {
            count += n;
        }

        /** Adds the non-null values of events {@code [from, to)}. */
        public void add(Column c, int from, int to) {
            for (int i = from; i < to; i++) {
                if (c.isNull(i)) {
                    continue;
                }
                switch (agg) {
                    case SUM, AVG -> {
                        if (integral && agg == Aggregation.SUM) {
                            longSum += c.longAt(i);
                        } else {
                            sum.add(c.doubleAt(i));
                        }
                    }
                    case MIN, MAX -> {
                        if (integral) {
                            offer(c.longAt(i));
                        } else {
                            offer(c.doubleAt(i));
                        }
                    }
                    default -> {
                    }
                }
                count++;
            }
        }

        /**
         * Adds a block summary: its non-null count, min and max (a long, or a double's raw bits), wrapping long sum
         * and the {@link ExactSum#partials()} of its values as doubles.
         */
        public void add(long n, long min, long max, long longSumPart, double[] doubleSumPartials) {
            if (n == 0) {
                return;
            }
            switch (agg) {
                case SUM, AVG -> {
                    if (integral && agg == Aggregation.SUM) {
                        longSum += longSumPart;
                    } else {
                        for (double x : doubleSumPartials) {
                            sum.add(x);
                        }
                    }
                }
                case MIN, MAX -> {
                    long v = agg == Aggregation.MAX ? max : min;
                    if (integral) {
                        offer(v);
                    } else {
                        offer(Double.longBitsToDouble(v));
                    }
                }
                default -> {
                }
            }
            count += n;
        }

        /** A candidate for min or max (before {@code count} counts it): the first value, or a better one, wins. */
        private void offer(long v) {
            if (count == 0 || (agg == Aggregation.MAX ? v > bestLong : v < bestLong)) {
                bestLong = v;
            }
        }

        private void offer(double v) {
            int cmp = Double.compare(v, bestDouble);
            if (count == 0 || (agg == Aggregation.MAX ? cmp > 0 : cmp < 0)) {
                bestDouble = v;
            }
        }

        /** Whether values can be taken out again ({@link #remove}): count, sum and avg. */
        public boolean invertible() {
            return agg == Aggregation.COUNT || agg == Aggregation.SUM || agg == Aggregation.AVG;
        }

        /**
         * Takes the non-null values of events {@code [from, to)} out again, exactly: a block's summary minus the few
         * events of it outside a window, when they are fewer than the ones inside. Only when {@link #invertible()}.
         */
        public void remove(Column c, int from, int to) {
            if (from >= to) {
                return;
            }
            if (!invertible()) {
                throw new IllegalStateException(agg + " cannot take values out");
            }
            for (int i = from; i < to; i++) {
                if (c.isNull(i)) {
                    continue;
                }
                if (agg != Aggregation.COUNT) {
                    if (integral && agg == Aggregation.SUM) {
                        longSum -= c.longAt(i);
                    } else {
                        sum.add(-c.doubleAt(i));
                    }
                }
                count--;
            }
        }

        /** Whether a double sum left the double range on the way: the result is then not exact. */
        public boolean overflowed() {
            return sum.overflowed();
        }

        public Object result() {
            if (agg == Aggregation.COUNT) {
                return count;
            }
            if (count == 0) {
                return null;
            }
            return switch (agg) {
                case SUM -> integral ? (Object) longSum : (Object) sum.value();
                case AVG -> sum.value() / count;
                default -> bool ? (Object) (bestLong != 0) : integral ? (Object) bestLong : (Object) bestDouble;
            };
        }
    }

    /** The type of an aggregate's values, for schemas of outputs. */
    public static ColumnType resultType(Aggregation agg, ColumnType columnType) {
        return switch (agg) {
            case COUNT, COUNT_DISTINCT -> ColumnType.LONG;
            case AVG, STDDEV -> ColumnType.DOUBLE;
            case SUM -> columnType.isIntegral() ? ColumnType.LONG : ColumnType.DOUBLE;
            default -> columnType;
        };
    }
}

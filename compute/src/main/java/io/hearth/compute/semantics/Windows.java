package io.hearth.compute.semantics;

import io.hearth.catalog.Aggregation;
import io.hearth.catalog.ColumnType;
import java.util.HashSet;
import java.util.Set;

/**
 * Windowed aggregates over exactly the events with {@code t - window < event_ts <= t}. Column aggregates skip
 * null values; an empty window gives 0 for count and count_distinct and null for every other aggregate.
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
            case COUNT: {
                if (c == null) {
                    return (long) Math.max(0, to - from);
                }
                long k = 0;
                for (int i = from; i < to; i++) {
                    if (!c.isNull(i)) {
                        k++;
                    }
                }
                return k;
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
            case SUM: {
                boolean integral = c.type().isIntegral();
                long ls = 0;
                double ds = 0;
                boolean any = false;
                for (int i = from; i < to; i++) {
                    if (!c.isNull(i)) {
                        any = true;
                        if (integral) {
                            ls += c.longAt(i);
                        } else {
                            ds += c.doubleAt(i);
                        }
                    }
                }
                return !any ? null : integral ? (Object) ls : (Object) ds;
            }
            case AVG: {
                double s = 0;
                long k = 0;
                for (int i = from; i < to; i++) {
                    if (!c.isNull(i)) {
                        s += c.doubleAt(i);
                        k++;
                    }
                }
                return k == 0 ? null : s / k;
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
            case MIN:
            case MAX: {
                boolean max = agg == Aggregation.MAX;
                int best = -1;
                for (int i = from; i < to; i++) {
                    if (c.isNull(i)) {
                        continue;
                    }
                    if (best < 0) {
                        best = i;
                    } else if (c.type().isIntegral()) {
                        if (max ? c.longAt(i) > c.longAt(best) : c.longAt(i) < c.longAt(best)) {
                            best = i;
                        }
                    } else if (max ? Double.compare(c.doubleAt(i), c.doubleAt(best)) > 0
                        : Double.compare(c.doubleAt(i), c.doubleAt(best)) < 0) {
                        best = i;
                    }
                }
                return best < 0 ? null : c.valueAt(best);
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

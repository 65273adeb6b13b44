package io.hearth.compute.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hearth.catalog.Aggregation;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Feature;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The semantics of DESIGN.md §5 written the slowest, most obvious way, over a plain list of events that remember
 * their arrival order. The duel tests run the production code against it on seeded random data.
 */
public final class NaiveOracle {
    public static final String TS = "event_ts";
    public static final String CREATED = "created_ts";
    public static final List<String> COLUMNS = List.of("d", "l", "s", "b");
    public static final List<ColumnType> TYPES = List.of(ColumnType.DOUBLE, ColumnType.LONG, ColumnType.STRING,
        ColumnType.BOOL);
    public static final Source SOURCE = source();

    /** Orders events as the spec breaks ties: event time, then created time (missing first), then arrival. */
    public static final Comparator<Ev> ORDER = Comparator.comparingLong(Ev::ts).thenComparingLong(Ev::created)
        .thenComparingInt(Ev::seq);

    private NaiveOracle() {
    }

    /** One event: arrival sequence number, times, id hash (0 = none) and values in {@link #COLUMNS} order. */
    public record Ev(int seq, long ts, long created, long idHash, Object[] values) {
        public Object value(String column) {
            if (column.equals(TS)) {
                return ts;
            }
            if (column.equals(CREATED)) {
                return created == EventBlock.NO_CREATED ? null : created;
            }
            return values[COLUMNS.indexOf(column)];
        }

        public Ev withSeq(int s) {
            return new Ev(s, ts, created, idHash, values);
        }

        @Override
        public String toString() {
            return "#" + seq + "(ts=" + ts + ", created=" + (created == EventBlock.NO_CREATED ? "-" : created)
                + ", " + java.util.Arrays.toString(values) + ")";
        }
    }

    private static Source source() {
        Map<String, ColumnType> schema = new LinkedHashMap<>();
        schema.put("user_id", ColumnType.STRING);
        schema.put(TS, ColumnType.TIMESTAMP);
        schema.put(CREATED, ColumnType.TIMESTAMP);
        for (int i = 0; i < COLUMNS.size(); i++) {
            schema.put(COLUMNS.get(i), TYPES.get(i));
        }
        return new Source("clicks", "user", TS, CREATED, null, schema, Map.of(), 0.05, null, null);
    }

    public static ColumnType typeOf(String column) {
        return SOURCE.type(column);
    }

    // ------------------------------------------------------------------ random data

    /**
     * {@code n} events in arrival order ({@code seq} = position) with few distinct event times (so many ties),
     * few distinct created times (some missing) and about a quarter of each column null.
     */
    public static List<Ev> randomEvents(Random rnd, int n, long base, long step) {
        int distinctTimes = Math.max(1, n / (1 + rnd.nextInt(4)));
        boolean anyCreated = rnd.nextInt(5) > 0;
        List<Ev> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long ts = base + rnd.nextInt(distinctTimes) * step;
            long created = anyCreated && rnd.nextInt(3) > 0 ? base + rnd.nextInt(4) : EventBlock.NO_CREATED;
            Object[] v = new Object[COLUMNS.size()];
            v[0] = rnd.nextInt(4) == 0 ? null
                : rnd.nextBoolean() ? (rnd.nextInt(401) - 200) / 4.0 : rnd.nextDouble() * 1000 - 500;
            v[1] = rnd.nextInt(4) == 0 ? null
                : rnd.nextInt(10) == 0 ? (long) (rnd.nextInt(2_000_001) - 1_000_000) * 1_000_000L : (long) (rnd.nextInt(21) - 10);
            v[2] = rnd.nextInt(4) == 0 ? null : "s" + rnd.nextInt(6);
            v[3] = rnd.nextInt(4) == 0 ? null : rnd.nextBoolean();
            out.add(new Ev(i, ts, created, 0, v));
        }
        return out;
    }

    /** Cuts {@code [0, n)} into 1..maxBatches consecutive, non-empty-when-possible ranges; returns the cut points. */
    public static int[] randomCuts(Random rnd, int n, int maxBatches) {
        int k = 1 + rnd.nextInt(maxBatches);
        List<Integer> cuts = new ArrayList<>();
        cuts.add(0);
        for (int i = 1; i < k; i++) {
            cuts.add(n == 0 ? 0 : rnd.nextInt(n + 1));
        }
        cuts.add(n);
        Collections.sort(cuts);
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The features the duels evaluate: every plain column and every aggregation over every column it applies to. */
    public static List<Feature> features(long... windows) {
        List<Feature> out = new ArrayList<>();
        for (String c : List.of("d", "l", "s", "b", TS, CREATED)) {
            out.add(new Feature("plain_" + c, c, null, 0, null));
        }
        for (long w : windows) {
            out.add(new Feature("count_" + w, null, Aggregation.COUNT, w, null));
            for (String c : List.of("d", "l", "s", "b", CREATED)) {
                out.add(new Feature("count_" + c + "_" + w, c, Aggregation.COUNT, w, null));
                out.add(new Feature("count_distinct_" + c + "_" + w, c, Aggregation.COUNT_DISTINCT, w, null));
                out.add(new Feature("first_" + c + "_" + w, c, Aggregation.FIRST, w, null));
                out.add(new Feature("last_" + c + "_" + w, c, Aggregation.LAST, w, null));
            }
            for (String c : List.of("d", "l")) {
                for (Aggregation a : List.of(Aggregation.SUM, Aggregation.AVG, Aggregation.STDDEV)) {
                    out.add(new Feature(a.spelling() + "_" + c + "_" + w, c, a, w, null));
                }
            }
            for (String c : List.of("d", "l", TS, CREATED)) {
                out.add(new Feature("min_" + c + "_" + w, c, Aggregation.MIN, w, null));
                out.add(new Feature("max_" + c + "_" + w, c, Aggregation.MAX, w, null));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ the semantics, naively

    /** A feature's value at t over all stored events of one entity. */
    public static FeatureValue evaluate(List<Ev> events, Feature f, long t, long ttl, long hop) {
        return f.isWindowed() ? windowed(events, f.aggregation(), f.column(), t, f.windowMillis(), hop)
            : plain(events, f.column(), t, ttl);
    }

    /** Point-in-time value of a plain column. */
    public static FeatureValue plain(List<Ev> events, String column, long t, long ttl) {
        Ev best = null;
        Ev latestAtOrBefore = null;
        for (Ev e : events) {
            if (e.ts() > t) {
                continue;
            }
            if (latestAtOrBefore == null || ORDER.compare(e, latestAtOrBefore) > 0) {
                latestAtOrBefore = e;
            }
            boolean inTtl = ttl == 0 || e.ts() >= t - ttl;
            if (inTtl && (best == null || ORDER.compare(e, best) > 0)) {
                best = e;
            }
        }
        if (latestAtOrBefore == null) {
            return new FeatureValue(null, Status.NOT_FOUND, FeatureValue.NO_TIME);
        }
        if (best == null) {
            return new FeatureValue(null, Status.OUTSIDE_MAX_AGE, latestAtOrBefore.ts());
        }
        Object v = best.value(column);
        return new FeatureValue(v, v == null ? Status.NULL_VALUE : Status.PRESENT, best.ts());
    }

    /** A windowed aggregate over {@code end - w < ts <= end}, end = t aligned down to the hop. */
    public static FeatureValue windowed(List<Ev> events, Aggregation agg, String column, long t, long w, long hop) {
        long end = t;
        if (hop > 0) {
            end = t - Math.floorMod(t, hop);
        }
        List<Ev> window = new ArrayList<>();
        boolean anyAtOrBefore = false;
        for (Ev e : events) {
            anyAtOrBefore |= e.ts() <= t;
            if (e.ts() > end - w && e.ts() <= end) {
                window.add(e);
            }
        }
        window.sort(ORDER);
        Object v = aggregate(agg, column, window);
        if (!anyAtOrBefore) {
            return new FeatureValue(v, Status.NOT_FOUND, FeatureValue.NO_TIME);
        }
        long lastTs = window.isEmpty() ? FeatureValue.NO_TIME : window.get(window.size() - 1).ts();
        return new FeatureValue(v, v == null ? Status.NULL_VALUE : Status.PRESENT, lastTs);
    }

    /** The aggregate over events already in spec order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object aggregate(Aggregation agg, String column, List<Ev> window) {
        if (agg == Aggregation.COUNT && column == null) {
            return (long) window.size();
        }
        List<Object> vals = new ArrayList<>();
        for (Ev e : window) {
            if (e.value(column) != null) {
                vals.add(e.value(column));
            }
        }
        boolean integral = typeOf(column).isIntegral();
        switch (agg) {
            case COUNT:
                return (long) vals.size();
            case COUNT_DISTINCT:
                return (long) new HashSet<>(vals).size();
            case SUM: {
                if (vals.isEmpty()) {
                    return null;
                }
                if (integral) {
                    long s = 0;
                    for (Object o : vals) {
                        s += (Long) o;
                    }
                    return s;
                }
                return exactSum(vals);
            }
            case AVG: {
                if (vals.isEmpty()) {
                    return null;
                }
                return exactSum(vals) / vals.size();
            }
            case STDDEV: {
                if (vals.size() < 2) {
                    return null;
                }
                double s = 0;
                for (Object o : vals) {
                    s += ((Number) o).doubleValue();
                }
                double mean = s / vals.size();
                double sq = 0;
                for (Object o : vals) {
                    double d = ((Number) o).doubleValue() - mean;
                    sq += d * d;
                }
                return Math.sqrt(sq / (vals.size() - 1));
            }
            case MIN:
                return vals.isEmpty() ? null : Collections.min((List) vals);
            case MAX:
                return vals.isEmpty() ? null : Collections.max((List) vals);
            case FIRST:
                return vals.isEmpty() ? null : vals.get(0);
            case LAST:
                return vals.isEmpty() ? null : vals.get(vals.size() - 1);
            default:
                throw new IllegalArgumentException(agg.toString());
        }
    }

    /** The exact sum of the values as doubles, rounded once: BigDecimal, independent of production's ExactSum. */
    static double exactSum(List<Object> vals) {
        java.math.BigDecimal s = java.math.BigDecimal.ZERO;
        for (Object o : vals) {
            s = s.add(new java.math.BigDecimal(((Number) o).doubleValue()));
        }
        return s.doubleValue();
    }

    // ------------------------------------------------------------------ comparing

    /**
     * Asserts that production and oracle agree: status, event time and value, doubles exactly (sums are exactly
     * rounded in both) except the standard deviation, which production computes by Welford's method.
     */
    public static void assertSame(FeatureValue actual, FeatureValue expected, Feature f, Supplier<String> context) {
        boolean stddev = f.aggregation() == Aggregation.STDDEV && expected.value() != null;
        if (actual.status() == expected.status() && actual.eventTs() == expected.eventTs()
            && (stddev ? actual.value() instanceof Double a && close(a, (Double) expected.value())
                : java.util.Objects.equals(actual.value(), expected.value()))) {
            return; // the common case, without building messages
        }
        String msg = context.get() + " feature " + f.name() + ": got " + actual + ", oracle says " + expected + ";";
        assertThat(actual.status()).as(msg + " status").isEqualTo(expected.status());
        assertThat(actual.eventTs()).as(msg + " event time").isEqualTo(expected.eventTs());
        if (stddev) {
            assertThat(actual.value()).as(msg + " value").isInstanceOf(Double.class);
            double e = (Double) expected.value();
            assertThat((Double) actual.value()).as(msg + " value").isCloseTo(e, within(1e-9 * Math.max(1.0, Math.abs(e))));
        } else {
            assertThat(actual.value()).as(msg + " value").isEqualTo(expected.value());
        }
    }

    private static boolean close(double a, double e) {
        return Math.abs(a - e) <= 1e-9 * Math.max(1.0, Math.abs(e));
    }

    /** Interesting times to ask at: every event time and the times where it sits exactly on a boundary. */
    public static List<Long> probeTimes(Random rnd, List<Ev> events, long base, long span, long ttl, long[] windows,
                                        long hop, int count) {
        List<Long> out = new ArrayList<>();
        out.add(base - 1);
        out.add(base + span + 10 * (ttl + 1));
        for (int i = 0; i < count; i++) {
            if (events.isEmpty() || rnd.nextInt(6) == 0) {
                out.add(base - span / 4 + (long) (rnd.nextDouble() * span * 1.5));
                continue;
            }
            long ts = events.get(rnd.nextInt(events.size())).ts();
            long w = windows[rnd.nextInt(windows.length)];
            long t = switch (rnd.nextInt(9)) {
                case 0, 1 -> ts;
                case 2 -> ts + ttl;            // the event sits exactly at t - ttl
                case 3 -> ts + ttl + 1;        // one millisecond too old
                case 4 -> ts + w;              // exactly at t - w: outside the window
                case 5 -> ts + w - 1;          // just inside
                case 6 -> ts - 1;
                case 7 -> hop > 0 ? ts + w + rnd.nextInt((int) hop) : ts + 1;
                default -> ts + rnd.nextInt((int) Math.max(1, w));
            };
            out.add(t);
        }
        return out;
    }
}

package io.hearth.quality;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Expectation;
import io.hearth.catalog.Source;
import io.hearth.catalog.SourceExpectations;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Judges one source's column expectations over windows of the records one process accepts (docs/semantics.md, "Data
 * quality"): each accepted record is {@link #observe observed}; when a window is complete, every expectation of every
 * column gives one {@link QualityResult}. A window is a number of records, or a span of arrival time aligned to the
 * epoch (closed by the first record after it, or by {@link #tick}). Thread-safe: callers on several threads share one
 * monitor per source.
 */
public final class WindowMonitor {
    /** Windows of history a null-rate band needs before it judges. */
    public static final int MIN_HISTORY = 3;

    private final Source source;
    private final SourceExpectations.Window window;
    private final Function<String, Reference> references;
    private final String origin;
    private final Checked[] columns;
    private long n;
    /**
     * Whether the window under way holds a record let through without judging (a Kafka backlog after a breaker
     * reset): its failures are then recorded with severity {@code warn}, so that records an operator let through
     * cannot open the breaker again from a window they share with the records after them.
     */
    private boolean letThrough;
    private long start = -1;
    private long end;

    /**
     * @param storedColumns the columns an accepted record's values hold, in order
     * @param joinKeys the entity's join keys (their values are read from the record as sent)
     * @param references the stored reference of a name, or null while there is none
     * @param origin who judges (this gateway), as results carry it
     */
    public WindowMonitor(Source source, List<String> storedColumns, List<String> joinKeys,
                         Function<String, Reference> references, String origin) {
        this.source = source;
        this.window = source.expectations().window();
        this.references = references;
        this.origin = origin;
        List<Checked> cs = new ArrayList<>();
        source.expectations().columns().forEach((col, list) -> {
            int at;
            if (col.equals(source.timestampField())) {
                at = Checked.EVENT_TS;
            } else if (col.equals(source.createdTimestampField())) {
                at = Checked.CREATED_TS;
            } else if (joinKeys.contains(col)) {
                at = Checked.RAW;
            } else {
                at = storedColumns.indexOf(col);
            }
            cs.add(new Checked(col, source.type(col), at, list));
        });
        this.columns = cs.toArray(new Checked[0]);
    }

    public Source source() {
        return source;
    }

    /**
     * One accepted record: its stored {@code values}, event time, created time ({@code Long.MIN_VALUE} for none) and
     * the record as sent (for join keys), arriving at {@code now}. Returns the results of the window it completed, or
     * null.
     */
    public List<QualityResult> observe(Object[] values, long eventTs, long createdTs, Map<String, ?> row, long now) {
        return observe(values, eventTs, createdTs, row, now, true);
    }

    /**
     * {@link #observe(Object[], long, long, Map, long)} for a record that is judged ({@code blocking}) or let through
     * without judging: a window holding any record let through fails with severity {@code warn} at most.
     */
    public synchronized List<QualityResult> observe(Object[] values, long eventTs, long createdTs, Map<String, ?> row,
                                                    long now, boolean blocking) {
        List<QualityResult> out = null;
        if (!window.byRecords()) {
            if (start >= 0 && now >= end && n > 0) {
                out = close(end);
            }
            if (start < 0 || now >= end) {
                start = Math.floorDiv(now, window.millis()) * window.millis();
                end = start + window.millis();
            }
        } else if (start < 0) {
            start = now;
        }
        letThrough |= !blocking; // after closing a window of time that ended before this record
        for (Checked c : columns) {
            Object v;
            if (c.at == Checked.EVENT_TS) {
                v = eventTs;
            } else if (c.at == Checked.CREATED_TS) {
                v = createdTs == Long.MIN_VALUE ? null : createdTs;
            } else if (c.at == Checked.RAW) {
                v = row.get(c.name);
            } else {
                v = values[c.at];
            }
            c.add(v);
        }
        n++;
        if (window.byRecords() && n >= window.records()) {
            List<QualityResult> r = close(now);
            if (out == null) {
                return r;
            }
            out.addAll(r);
        }
        return out;
    }

    /** Closes a window of time that has ended without a record after it; null when none has. */
    public synchronized List<QualityResult> tick(long now) {
        if (!window.byRecords() && start >= 0 && n > 0 && now >= end) {
            List<QualityResult> r = close(end);
            start = -1;
            return r;
        }
        return null;
    }

    /** Forgets the window under way (after its source's breaker opened: the next window starts afresh). */
    public synchronized void restart() {
        for (Checked c : columns) {
            c.clear();
        }
        n = 0;
        start = -1;
        letThrough = false;
    }

    private List<QualityResult> close(long windowEnd) {
        long ws = start;
        long we = window.byRecords() ? windowEnd : end;
        List<QualityResult> out = new ArrayList<>();
        for (Checked c : columns) {
            c.judge(ws, we, n, out);
            c.clear();
        }
        if (letThrough) {
            out.replaceAll(WindowMonitor::notBlocking);
            letThrough = false;
        }
        n = 0;
        start = window.byRecords() ? -1 : start;
        return out;
    }

    /** A failure that would open the breaker, recorded with severity {@code warn} instead. */
    private static QualityResult notBlocking(QualityResult r) {
        return !r.blocks() ? r : new QualityResult(r.source(), r.column(), r.feature(), r.expect(), r.windowStart(),
            r.windowEnd(), r.elementCount(), r.unexpectedCount(), r.observed(), false, Expectation.Severity.WARN,
            r.detail() + " (not blocking: records let through after a breaker reset)", r.origin());
    }

    /** One column's expectations and what the window under way holds of it. */
    private final class Checked {
        static final int EVENT_TS = -1;
        static final int CREATED_TS = -2;
        static final int RAW = -3;

        final String name;
        final ColumnType type;
        final int at;
        final Expectation[] list;
        final long[] unexpected;
        final Set<String>[] sets;
        final double[][] numericSets;
        final boolean keepValues;
        final boolean keepDistinct;
        final ArrayDeque<Double>[] history;
        long nulls;
        long count;
        double mean;
        double m2;
        double maxValue = Double.NEGATIVE_INFINITY;
        double[] values = new double[64];
        int nv;
        Map<Object, Integer> seen;

        @SuppressWarnings("unchecked")
        Checked(String name, ColumnType type, int at, List<Expectation> list) {
            this.name = name;
            this.type = type;
            this.at = at;
            this.list = list.toArray(new Expectation[0]);
            this.unexpected = new long[this.list.length];
            this.sets = new Set[this.list.length];
            this.numericSets = new double[this.list.length][];
            this.history = new ArrayDeque[this.list.length];
            boolean vals = false;
            boolean distinct = false;
            for (int i = 0; i < this.list.length; i++) {
                Expectation e = this.list[i];
                if (e instanceof Expectation.InSet s) {
                    if (type.isNumeric()) {
                        numericSets[i] = s.values().stream().mapToDouble(x -> Double.parseDouble(x.trim())).sorted().toArray();
                    } else {
                        sets[i] = new HashSet<>(s.values());
                    }
                } else if (e instanceof Expectation.Drift) {
                    vals = true;
                } else if (e instanceof Expectation.Unique) {
                    distinct = true;
                } else if (e instanceof Expectation.NullRate) {
                    history[i] = new ArrayDeque<>();
                }
            }
            this.keepValues = vals;
            this.keepDistinct = distinct;
            if (distinct) {
                seen = new HashMap<>();
            }
        }

        void clear() {
            Arrays.fill(unexpected, 0);
            nulls = 0;
            count = 0;
            mean = 0;
            m2 = 0;
            maxValue = Double.NEGATIVE_INFINITY;
            nv = 0;
            if (seen != null) {
                seen.clear();
            }
        }

        void add(Object v) {
            if (v == null) {
                nulls++;
                return;
            }
            count++;
            double d = Double.NaN;
            if (v instanceof Number num) {
                d = num.doubleValue();
            } else if (v instanceof Boolean b) {
                d = b ? 1 : 0;
            } else if (type.isNumeric()) {
                try {
                    d = Double.parseDouble(v.toString());
                } catch (NumberFormatException e) {
                    d = Double.NaN;
                }
            }
            if (!Double.isNaN(d)) {
                double delta = d - mean; // Welford: a mean and a sum of squares that stay exact enough over a window
                mean += delta / count;
                m2 += delta * (d - mean);
                if (d > maxValue) {
                    maxValue = d;
                }
                if (keepValues) {
                    if (nv == values.length) {
                        values = Arrays.copyOf(values, nv * 2);
                    }
                    values[nv++] = d;
                }
            }
            if (keepDistinct) {
                seen.merge(v, 1, Integer::sum);
            }
            for (int i = 0; i < list.length; i++) {
                Expectation e = list[i];
                if (e instanceof Expectation.Between b) {
                    if (Double.isNaN(d) || (b.min() != null && d < b.min()) || (b.max() != null && d > b.max())) {
                        unexpected[i]++;
                    }
                } else if (e instanceof Expectation.InSet) {
                    boolean in = sets[i] != null ? sets[i].contains(v.toString())
                        : !Double.isNaN(d) && Arrays.binarySearch(numericSets[i], d) >= 0;
                    if (!in) {
                        unexpected[i]++;
                    }
                }
            }
        }

        void judge(long ws, long we, long records, List<QualityResult> out) {
            long duplicates = 0;
            if (seen != null) {
                for (int c : seen.values()) {
                    if (c > 1) {
                        duplicates += c;
                    }
                }
            }
            for (int i = 0; i < list.length; i++) {
                Expectation e = list[i];
                QualityResult r = judge(i, e, ws, we, records, duplicates);
                if (r != null) {
                    out.add(r);
                }
            }
        }

        private QualityResult judge(int i, Expectation e, long ws, long we, long records, long duplicates) {
            Expectation.Severity sev = e.severity();
            String fmt;
            if (e instanceof Expectation.NotNull x) {
                double ok = records == 0 ? 1 : (double) (records - nulls) / records;
                return result(e, ws, we, records, nulls, ok, ok >= x.mostly(), sev, String.format(Locale.ROOT,
                    "%d of %d values null; non-null share %.4f, at least %s expected", nulls, records, ok, x.mostly()));
            }
            if (e instanceof Expectation.Between || e instanceof Expectation.InSet || e instanceof Expectation.Unique) {
                long bad = e instanceof Expectation.Unique ? duplicates : unexpected[i];
                double mostly = e instanceof Expectation.Between b ? b.mostly()
                    : e instanceof Expectation.InSet s ? s.mostly() : ((Expectation.Unique) e).mostly();
                double ok = count == 0 ? 1 : (double) (count - bad) / count;
                String what = e instanceof Expectation.Between b ? "outside [" + bound(b.min()) + ", " + bound(b.max()) + "]"
                    : e instanceof Expectation.InSet ? "not in the set" : "repeated within the window";
                return result(e, ws, we, records, bad, ok, ok >= mostly, sev, String.format(Locale.ROOT,
                    "%d of %d non-null values %s; share passing %.4f, at least %s expected", bad, count, what, ok, mostly));
            }
            if (e instanceof Expectation.MeanBetween x) {
                double m = count == 0 ? Double.NaN : mean;
                boolean ok = count == 0 || within(m, x.min(), x.max());
                return result(e, ws, we, records, 0, m, ok, sev, String.format(Locale.ROOT, "mean %s of %d values, expected "
                    + "within [%s, %s]", num(m), count, bound(x.min()), bound(x.max())));
            }
            if (e instanceof Expectation.StddevBetween x) {
                double sd = count < 2 ? Double.NaN : Math.sqrt(m2 / (count - 1));
                boolean ok = count < 2 || within(sd, x.min(), x.max());
                return result(e, ws, we, records, 0, sd, ok, sev, String.format(Locale.ROOT, "sample standard deviation %s "
                    + "of %d values, expected within [%s, %s]", num(sd), count, bound(x.min()), bound(x.max())));
            }
            if (e instanceof Expectation.NullRate x) {
                double rate = records == 0 ? 0 : (double) nulls / records;
                ArrayDeque<Double> h = history[i];
                boolean ok = true;
                if (x.max() != null && rate > x.max()) {
                    ok = false;
                    fmt = String.format(Locale.ROOT, "null rate %.4f over the ceiling %s", rate, x.max());
                } else if (h.size() < MIN_HISTORY) {
                    fmt = String.format(Locale.ROOT, "null rate %.4f; learning (%d of %d windows of history)", rate, h.size(),
                        MIN_HISTORY);
                } else {
                    double hm = h.stream().mapToDouble(Double::doubleValue).average().orElse(0);
                    double var = h.stream().mapToDouble(d -> (d - hm) * (d - hm)).sum() / h.size();
                    double floor = Math.max(Math.sqrt(Math.max(hm, 1.0 / records) * (1 - hm) / records), 1.0 / records);
                    double sigma = Math.max(Math.sqrt(var), floor);
                    ok = Math.abs(rate - hm) <= x.k() * sigma;
                    fmt = String.format(Locale.ROOT, "null rate %.4f; band %.4f ± %s·%.4f from the last %d windows", rate, hm,
                        x.k(), sigma, h.size());
                }
                if (ok) {
                    h.addLast(rate);
                    while (h.size() > x.windows()) {
                        h.removeFirst();
                    }
                }
                return result(e, ws, we, records, nulls, rate, ok, sev, fmt);
            }
            if (e instanceof Expectation.Drift x) {
                Reference ref = references.apply(x.reference());
                if (ref == null || nv == 0) {
                    return null; // nothing to compare with (yet): no result rather than a made-up one
                }
                double dist = ref.distance(x.method(), values, nv);
                boolean failed = x.fail() != null && dist >= x.fail();
                boolean warned = !failed && x.warn() != null && dist >= x.warn();
                return result(e, ws, we, records, 0, dist, !failed && !warned, failed ? sev : Expectation.Severity.WARN,
                    String.format(Locale.ROOT, "%s %.4f of %d values against reference '%s' (warn %s, fail %s)",
                        x.method().spelling(), dist, nv, x.reference(), bound(x.warn()), bound(x.fail())));
            }
            Expectation.Freshness x = (Expectation.Freshness) e;
            double lag = count == 0 ? Double.NaN : (we - maxValue) / 1000.0;
            boolean ok = count > 0 && lag * 1000 <= x.maxLagMillis();
            return result(e, ws, we, records, 0, lag, ok, sev, String.format(Locale.ROOT, "newest %s %s s before the window "
                + "closed, at most %s s expected", name, num(lag), x.maxLagMillis() / 1000.0));
        }

        private QualityResult result(Expectation e, long ws, long we, long records, long bad, double observed, boolean ok,
                                     Expectation.Severity sev, String detail) {
            return new QualityResult(source.name(), name, null, e.expect(), ws, we, records, bad, observed, ok, sev, detail,
                origin);
        }
    }

    static boolean within(double v, Double min, Double max) {
        return (min == null || v >= min) && (max == null || v <= max);
    }

    private static String bound(Double d) {
        return d == null ? "-" : num(d);
    }

    static String num(double d) {
        return Double.isNaN(d) ? "none" : d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
            : String.format(Locale.ROOT, "%.4f", d);
    }
}

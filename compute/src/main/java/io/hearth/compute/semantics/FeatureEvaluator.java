package io.hearth.compute.semantics;

import java.util.Optional;
import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Source;
import io.hearth.compute.events.BlockStats;
import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.semantics.Column;
import io.hearth.compute.semantics.FeatureValue;
import io.hearth.compute.semantics.PointInTime;
import io.hearth.compute.semantics.Status;
import io.hearth.compute.semantics.Windows;

/**
 * A feature's value for one entity at time t, from a sorted run of the entity's events that covers
 * {@link #earliestNeeded}. The one place where online lookups and training rows get their values.
 */
public final class FeatureEvaluator {
    private FeatureEvaluator() {
    }

    /**
     * The smallest event time the features of {@code view} can read at time t. A plain feature reads only the
     * latest event at or before t (its ttl is checked against that event's time), which the caller finds in the
     * block holding t: blocks cover disjoint time ranges, and the block whose range holds t starts with an event
     * at or before t. So only windows reach further back.
     */
    public static long earliestNeeded(FeatureView view, Iterable<Feature> features, long t) {
        long lo = t;
        for (Feature f : features) {
            if (f.isWindowed()) {
                lo = Math.min(lo, Windows.windowEnd(t, view.hopMillis()) - f.windowMillis() + 1);
            }
        }
        return lo;
    }

    /**
     * The times whose blocks a lookup reads to serve {@code features} at t from block summaries: t itself (plain
     * features), and each window's end and first instant. The blocks wholly between a window's first and last block
     * are then taken from their summaries in the index ({@link #evaluateWithSummaries}). Null when some windowed
     * feature has no summary form (count_distinct, first, last, stddev, the time fields, columns that are not
     * numeric), or when no feature is windowed: empty, and the caller reads the whole range from
     * {@link #earliestNeeded} instead.
     */
    public static Optional<long[]> summaryPoints(FeatureView view, Iterable<Feature> features, Source source, long t) {
        long end = Windows.windowEnd(t, view.hopMillis());
        long[] points = new long[8];
        points[0] = t;
        points[1] = end;
        int n = 2;
        for (Feature f : features) {
            if (!f.isWindowed()) {
                continue;
            }
            if (!hasSummaryForm(f, source)) {
                return Optional.empty();
            }
            if (n == points.length) {
                points = java.util.Arrays.copyOf(points, 2 * n);
            }
            points[n++] = end - f.windowMillis() + 1; // repeats are fine: the blocks they name are read once
        }
        return n > 2 ? Optional.of(java.util.Arrays.copyOf(points, n)) : Optional.empty();
    }

    private static boolean hasSummaryForm(Feature f, Source source) {
        if (f.column() == null) {
            return f.aggregation() == io.hearth.catalog.Aggregation.COUNT;
        }
        ColumnType type = source.type(f.column());
        return type != null && type.isNumeric() && !f.column().equals(source.timestampField())
            && !f.column().equals(source.createdTimestampField()) && Windows.Partial.supports(f.aggregation(), type);
    }

    /**
     * A feature's value at t from what a read at {@link #summaryPoints} fetched: the blocks at those points
     * ({@code blocks}, with their index positions in {@code read}, in time order) and the index, whose block
     * summaries stand in for the blocks of a window that were not read, and for most of the ones that were: a block
     * wholly inside the window is taken from its summary, and for count, sum and avg a block mostly inside is its
     * summary minus the few events outside. The same bits as {@link #evaluate} over all the events (see
     * {@link Windows.Partial}). Empty when a block inside the window has no usable summary (written before summaries
     * existed, or before its column changed type, or holding infinities): the caller then reads the range and calls
     * {@link #evaluate}.
     */
    public static Optional<FeatureValue> evaluateWithSummaries(FeatureView view, Feature f, Source source, EntityIndex idx,
                                                     int[] read, EventBlock[] blocks, boolean anyAtOrBefore, long t) {
        if (idx == null || blocks.length == 0) {
            return Optional.of(evaluate(view, f, source, null, anyAtOrBefore, t));
        }
        if (!f.isWindowed()) {
            // The latest event at or before t is in the block holding t (blocks cover disjoint time ranges).
            int holding = java.util.Arrays.binarySearch(read, idx.blockFor(t));
            return Optional.of(evaluate(view, f, source, blocks[holding], anyAtOrBefore, t));
        }
        long end = Windows.windowEnd(t, view.hopMillis());
        long start = end - f.windowMillis(); // exclusive
        int first = idx.blockFor(start + 1);
        int last = idx.blockFor(end);
        ColumnType type = f.column() == null ? null : source.type(f.column());
        Windows.Partial part = new Windows.Partial(f.aggregation(), type);
        long lastTs = FeatureValue.NO_TIME;
        for (int j = 0; j < read.length; j++) {
            int pos = read[j];
            if (pos < first || pos > last) {
                continue;
            }
            EventBlock b = blocks[j];
            long[] ts = b.timestamps();
            int n = b.size();
            int from = PointInTime.lastAtOrBefore(ts, n, start) + 1;
            int to = PointInTime.lastAtOrBefore(ts, n, end) + 1;
            if (to <= from) {
                continue;
            }
            lastTs = ts[to - 1]; // blocks ascend: the last one with events in the window has the latest
            if (type == null) {
                part.addEvents(to - from);
                continue;
            }
            if (b.typeOf(f.column()) == null) {
                continue; // the block has no such column: all null
            }
            // A block written before its column changed type has no usable stats (find gives -2) and is converted
            // on its own, as every read converts each block before joining blocks (EventBlock.conformTo).
            BlockStats st = idx.stats(pos);
            int c = st == null ? -2 : st.find(f.column(), type);
            Column col = column(b, f.column(), type, source);
            boolean whole = from == 0 && to == n;
            if (c >= 0 && (whole || (part.invertible() && to - from > n / 2))) {
                part.add(st.count(c), st.min(c), st.max(c), st.longSum(c), st.doubleSum(c));
                part.remove(col, 0, from);
                part.remove(col, to, n);
            } else {
                part.add(col, from, to);
            }
        }
        int r = 0;
        for (int pos = first + 1; pos < last; pos++) {
            while (r < read.length && read[r] < pos) {
                r++;
            }
            if (r < read.length && read[r] == pos) {
                continue; // done above
            }
            if (type == null) {
                part.addEvents(idx.blockSize(pos));
                continue;
            }
            BlockStats st = idx.stats(pos);
            int c = st == null ? -2 : st.find(f.column(), type);
            if (c == -2) {
                return Optional.empty();
            }
            if (c >= 0) {
                part.add(st.count(c), st.min(c), st.max(c), st.longSum(c), st.doubleSum(c));
            }
        }
        if (part.overflowed()) {
            return Optional.empty();
        }
        Object v = part.result();
        return Optional.of(windowValue(new FeatureValue(v, v == null ? Status.NULL_VALUE : Status.PRESENT, lastTs),
            anyAtOrBefore));
    }

    /**
     * @param events the entity's events (sorted; whole blocks, so possibly more than needed), or null if none
     * @param anyAtOrBefore whether the entity has any event at or before t in this view's source
     */
    public static FeatureValue evaluate(FeatureView view, Feature f, Source source, EventBlock events,
                                        boolean anyAtOrBefore, long t) {
        int n = events == null ? 0 : events.size();
        long[] ts = events == null ? new long[0] : events.timestamps();
        ColumnType type = f.column() == null ? ColumnType.LONG : source.type(f.column());
        Column col = f.column() == null ? null
            : events == null ? Column.absent(type) : column(events, f.column(), type, source);
        if (!f.isWindowed()) {
            if (!anyAtOrBefore) {
                return FeatureValue.NOT_FOUND;
            }
            return PointInTime.plain(ts, n, col, t, view.ttlMillis(), false);
        }
        FeatureValue v = Windows.aggregate(f.aggregation(), ts, n, col, t, f.windowMillis(), view.hopMillis());
        return windowValue(v, anyAtOrBefore);
    }

    /** A window's value as answered: NOT_FOUND (the value kept) when the entity has no event at or before t. */
    private static FeatureValue windowValue(FeatureValue v, boolean anyAtOrBefore) {
        return anyAtOrBefore ? v : new FeatureValue(v.value(), Status.NOT_FOUND, FeatureValue.NO_TIME);
    }

    /** The named column; the time fields are columns too, though blocks keep them apart. */
    private static Column column(EventBlock events, String name, ColumnType type, Source source) {
        boolean isTs = name.equals(source.timestampField());
        if (!isTs && !name.equals(source.createdTimestampField())) {
            return events.column(name, type);
        }
        return new Column() {
            public ColumnType type() {
                return ColumnType.TIMESTAMP;
            }

            public boolean isNull(int i) {
                return !isTs && events.created(i) == EventBlock.NO_CREATED;
            }

            public long longAt(int i) {
                return isTs ? events.ts(i) : events.created(i);
            }

            public double doubleAt(int i) {
                return longAt(i);
            }

            public Object valueAt(int i) {
                return isNull(i) ? null : longAt(i);
            }
        };
    }
}

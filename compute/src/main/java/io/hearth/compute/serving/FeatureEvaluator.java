package io.hearth.compute.serving;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Source;
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

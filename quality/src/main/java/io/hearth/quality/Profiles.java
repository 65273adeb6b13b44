package io.hearth.quality;

import io.hearth.catalog.ColumnType;
import io.hearth.catalog.Source;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rolling profiles of one source's columns in one process: one {@link ColumnProfile} per column per hour of
 * arrival time. {@link Quality} flushes them to the cluster every few seconds; readers merge every process's hours.
 * Thread-safe.
 */
public final class Profiles {
    public static final long HOUR = 3_600_000L;

    private final Source source;
    private final String[] columns;
    private final ColumnType[] types;
    /** Where each column's value is: an index into the stored values, or one of the markers below. */
    private final int[] at;
    private static final int EVENT_TS = -1;
    private static final int CREATED_TS = -2;
    private static final int RAW = -3;
    private long hour = Long.MIN_VALUE;
    private ColumnProfile[] current;
    /** Hours not yet flushed for good: hour start to its profiles. */
    private final Map<Long, ColumnProfile[]> unflushed = new HashMap<>();
    private boolean touched;

    public Profiles(Source source, List<String> storedColumns, List<String> joinKeys) {
        this.source = source;
        this.columns = source.schema().keySet().toArray(new String[0]);
        this.types = new ColumnType[columns.length];
        this.at = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            String c = columns[i];
            types[i] = source.schema().get(c);
            at[i] = c.equals(source.timestampField()) ? EVENT_TS : c.equals(source.createdTimestampField()) ? CREATED_TS
                : joinKeys.contains(c) ? RAW : storedColumns.indexOf(c);
        }
    }

    public Source source() {
        return source;
    }

    /** One accepted record, as {@link WindowMonitor#observe} takes it. */
    public synchronized void observe(Object[] values, long eventTs, long createdTs, Map<String, ?> row, long now) {
        long h = Math.floorDiv(now, HOUR) * HOUR;
        if (h != hour) {
            current = unflushed.computeIfAbsent(h, k -> fresh());
            hour = h;
        }
        for (int i = 0; i < columns.length; i++) {
            int a = at[i];
            Object v = a == EVENT_TS ? (Object) eventTs : a == CREATED_TS ? (createdTs == Long.MIN_VALUE ? null : createdTs)
                : a == RAW ? row.get(columns[i]) : values[a];
            current[i].add(v);
        }
        touched = true;
    }

    private ColumnProfile[] fresh() {
        ColumnProfile[] ps = new ColumnProfile[columns.length];
        for (int i = 0; i < ps.length; i++) {
            ps[i] = new ColumnProfile(types[i].isNumeric() || types[i] == ColumnType.TIMESTAMP);
        }
        return ps;
    }

    /** Per hour touched since the last call, per column, its part; hours before the current one are then let go. */
    public synchronized Map<Long, Map<String, ColumnProfile.Part>> drain() {
        Map<Long, Map<String, ColumnProfile.Part>> out = new HashMap<>();
        if (!touched) {
            return out;
        }
        touched = false;
        unflushed.forEach((h, ps) -> {
            Map<String, ColumnProfile.Part> m = new HashMap<>();
            for (int i = 0; i < columns.length; i++) {
                m.put(columns[i], ps[i].part());
            }
            out.put(h, m);
        });
        unflushed.keySet().removeIf(h -> h != hour);
        return out;
    }
}

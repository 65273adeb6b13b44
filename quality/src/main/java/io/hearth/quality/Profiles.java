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
    private final List<String> joinKeys;
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
        this.joinKeys = List.copyOf(joinKeys);
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

    /**
     * One entity's accepted events as the pipeline writes them (columnar): the cheap way, on the writing thread rather
     * than the one that reads and checks records. Join key columns take their values from {@code entity} (storage
     * form, {@link io.hearth.compute.ingest.EntityKeys}).
     */
    public synchronized void observeBlock(String entity, io.hearth.compute.events.EventBlock block, long now) {
        int n = block.size();
        if (n == 0) {
            return;
        }
        long h = Math.floorDiv(now, HOUR) * HOUR;
        if (h != hour) {
            current = unflushed.computeIfAbsent(h, k -> fresh());
            hour = h;
        }
        List<String> keys = null;
        for (int c = 0; c < columns.length; c++) {
            ColumnProfile p = current[c];
            ColumnType type = types[c];
            int a = at[c];
            if (a == EVENT_TS || a == CREATED_TS) {
                for (int i = 0; i < n; i++) {
                    long t = a == EVENT_TS ? block.ts(i) : block.created(i);
                    if (t == io.hearth.compute.events.EventBlock.NO_CREATED) {
                        p.addNull();
                    } else {
                        p.addNumber(t, true, t);
                    }
                }
            } else if (a == RAW) {
                if (keys == null) {
                    keys = joinKeys.size() == 1 ? List.of(entity) : io.hearth.compute.ingest.EntityKeys.decode(entity);
                }
                String k = keys.get(joinKeys.indexOf(columns[c]));
                for (int i = 0; i < n; i++) {
                    addText(p, type, k);
                }
            } else {
                io.hearth.compute.semantics.Column col = block.column(columns[c], type);
                boolean integral = type == ColumnType.INT || type == ColumnType.LONG || type == ColumnType.TIMESTAMP;
                for (int i = 0; i < n; i++) {
                    if (col.isNull(i)) {
                        p.addNull();
                    } else if (integral) {
                        long l = col.longAt(i);
                        p.addNumber(l, true, l);
                    } else if (type.isNumeric()) {
                        p.addNumber(col.doubleAt(i), false, 0);
                    } else {
                        p.addText(String.valueOf(col.valueAt(i)));
                    }
                }
            }
        }
        touched = true;
    }

    /** A join key's value, as text in the storage form: a number for numeric key columns. */
    private static void addText(ColumnProfile p, ColumnType type, String k) {
        if (type.isNumeric()) {
            try {
                double d = Double.parseDouble(k);
                boolean integral = type == ColumnType.INT || type == ColumnType.LONG;
                p.addNumber(d, integral, integral ? (long) d : 0);
                return;
            } catch (NumberFormatException e) {
                // fall through: count it as text
            }
        }
        p.addText(k);
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

package io.hearth.compute.events;

import io.hearth.compute.ingest.Ranges;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a batch's events came from, for replay-safety without an event id per event: the batch's streams (a Kafka
 * topic and partition each), for each the positions (offsets) the batch spans, in {@link Ranges} form, and the floor
 * below which no replay can come (the offset the cluster had stored when the batch was read), and each event's
 * stream and position. A partition's {@link LogHead} keeps, per stream, the positions already applied there; a
 * delta whose positions it already holds is dropped, in whole or in part. Positions are recorded as the batch's
 * whole span, also where the partition got none of its events: a replay reads the same records and sends each to
 * the same partition, so what a partition did not get from a span it will never get from it.
 */
public final class Places {
    private final String[] streams;
    private final long[][] spans;
    private final long[] floors;
    // Per event, in the order of the delta's events (set by inOrder), or per entity while a batch is collected.
    private final int[] stream;
    private final long[] pos;
    private final Map<String, long[]> byEntity;

    private Places(String[] streams, long[][] spans, long[] floors, int[] stream, long[] pos, Map<String, long[]> byEntity) {
        this.streams = streams;
        this.spans = spans;
        this.floors = floors;
        this.stream = stream;
        this.pos = pos;
        this.byEntity = byEntity;
    }

    public int streamCount() {
        return streams.length;
    }

    public String stream(int s) {
        return streams[s];
    }

    /** The positions of stream {@code s} the batch spans ({@link Ranges} form). */
    public long[] span(int s) {
        return spans[s];
    }

    /** Positions of stream {@code s} below this can never come again. */
    public long floor(int s) {
        return floors[s];
    }

    /** The delta's places in the order of the entities given (the order its events are laid out in). */
    Places inOrder(String[] entities) {
        int n = 0;
        for (String e : entities) {
            n += byEntity.get(e).length / 2;
        }
        int[] st = new int[n];
        long[] ps = new long[n];
        int k = 0;
        for (String e : entities) {
            long[] p = byEntity.get(e);
            for (int i = 0; i < p.length; i += 2) {
                st[k] = (int) p[i];
                ps[k++] = p[i + 1];
            }
        }
        return new Places(streams, spans, floors, st, ps, null);
    }

    /** The places of the given events (positions in the delta), in that order. */
    Places select(int[] rows) {
        int[] st = new int[rows.length];
        long[] ps = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            st[i] = stream[rows[i]];
            ps[i] = pos[rows[i]];
        }
        return new Places(streams, spans, floors, st, ps, null);
    }

    /** Per event of the delta: whether its position lies in {@code applied[s]} of its stream s. */
    boolean[] appliedAmong(long[][] applied) {
        boolean[] out = new boolean[pos.length];
        for (int i = 0; i < pos.length; i++) {
            long[] a = applied[stream[i]];
            out[i] = a != null && Ranges.contains(a, pos[i]);
        }
        return out;
    }

    /** The batch's streams, spans and floors without any event's place: what a head records. */
    Places spansOnly() {
        return stream == null && byEntity == null ? this : new Places(streams, spans, floors, null, null, null);
    }

    /** These places with {@code applied[s]} (where not null) taken out of stream s's span. */
    Places spansWithout(long[][] applied) {
        long[][] sp = spans.clone();
        for (int s = 0; s < sp.length; s++) {
            if (applied[s] != null) {
                sp[s] = Ranges.minus(sp[s], applied[s]);
            }
        }
        return new Places(streams, sp, floors, stream, pos, byEntity);
    }

    /** The places of one partition's share of a batch: the batch's streams and spans, these entities' events. */
    public Places forEntities(List<String> entities) {
        Map<String, long[]> m = new HashMap<>();
        for (String e : entities) {
            m.put(e, byEntity.get(e));
        }
        return new Places(streams, spans, floors, null, null, m);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("places");
        for (int s = 0; s < streams.length; s++) {
            b.append(' ').append(streams[s]).append(Arrays.toString(spans[s])).append(" floor ").append(floors[s]);
        }
        return b.toString();
    }

    /** Collects a batch's places: each accepted event's stream and position, per entity in arrival order. */
    public static final class Builder {
        private final Map<String, Integer> streamIndex = new LinkedHashMap<>();
        private final Map<String, long[]> spans = new HashMap<>();
        private final Map<String, Long> floors = new HashMap<>();
        private final Map<String, long[]> byEntity = new HashMap<>();
        private final Map<String, Integer> counts = new HashMap<>();

        /**
         * Declares a stream the batch reads: positions {@code [from, to)} (from the batch's first record on it to
         * past its last, rejected ones included), none below {@code floor} can come again.
         */
        public Builder stream(String name, long from, long to, long floor) {
            streamIndex.putIfAbsent(name, streamIndex.size());
            spans.merge(name, new long[] {from, to}, Ranges::union);
            floors.merge(name, floor, Math::max);
            return this;
        }

        /** The next accepted event of {@code entity} came from this stream and position. */
        public void add(String entity, String streamName, long position) {
            Integer s = streamIndex.get(streamName);
            if (s == null) {
                throw new IllegalArgumentException("stream " + streamName + " was not declared");
            }
            int n = counts.merge(entity, 1, Integer::sum);
            long[] p = byEntity.get(entity);
            if (p == null || p.length < 2 * n) {
                p = p == null ? new long[8] : Arrays.copyOf(p, p.length * 2);
                byEntity.put(entity, p);
            }
            p[2 * n - 2] = s;
            p[2 * n - 1] = position;
        }

        public boolean isEmpty() {
            return streamIndex.isEmpty();
        }

        public Places build() {
            String[] names = streamIndex.keySet().toArray(String[]::new);
            long[][] sp = new long[names.length][];
            long[] fl = new long[names.length];
            for (int s = 0; s < names.length; s++) {
                sp[s] = spans.get(names[s]);
                fl[s] = floors.get(names[s]);
            }
            Map<String, long[]> trimmed = new HashMap<>();
            byEntity.forEach((e, p) -> trimmed.put(e, Arrays.copyOf(p, 2 * counts.get(e))));
            return new Places(names, sp, fl, null, null, trimmed);
        }
    }
}

package io.hearth.compute.events;

import io.hearth.compute.ingest.Ranges;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.cache.processor.MutableEntry;

/**
 * The small, often-written half of a partition's manifest: the fresh deltas published since the last merge, each
 * with its publish sequence number; the next number; per stream the positions already applied here (see
 * {@link Places}); and the epoch, which counts the merges that took fresh deltas into {@link LogLevels}. Every
 * publish rewrites it, so it stays small: a few fresh deltas, a few ranges a stream.
 *
 * <p>Changed only by its entry processors ({@link Publish}, {@link TakeFresh}), atomically on the partition's
 * primary; backups get the result (an ATOMIC, FULL_SYNC cache). Each drops the primary's held copy first
 * ({@link ManifestView.Change}).
 */
public final class LogHead {
    static final LogHead EMPTY = new LogHead(1, 0, new RunRef[0], new String[0], new long[0][]);

    /**
     * The head of a partition's log when its first delta is published: sequence numbers start at the time (in
     * milliseconds, times 2^20), so that a log created again (its cache destroyed, its partition reset after a loss)
     * numbers its deltas above every number the entities' indexes recorded from the log before
     * ({@link EntityIndex#foldedThrough()}); else their new events would look folded already.
     */
    static LogHead first(long nowMillis) {
        return new LogHead(nowMillis << 20, 0, new RunRef[0], new String[0], new long[0][]);
    }

    private final long nextSeq;
    private final long epoch;
    private final RunRef[] fresh;
    private final String[] streams;
    private final long[][] applied;

    LogHead(long nextSeq, long epoch, RunRef[] fresh, String[] streams, long[][] applied) {
        this.nextSeq = nextSeq;
        this.epoch = epoch;
        this.fresh = fresh;
        this.streams = streams;
        this.applied = applied;
    }

    public long nextSeq() {
        return nextSeq;
    }

    public long epoch() {
        return epoch;
    }

    /** The fresh deltas, oldest first. */
    public List<RunRef> fresh() {
        return List.of(fresh);
    }

    public int freshEvents() {
        int n = 0;
        for (RunRef r : fresh) {
            n += r.events();
        }
        return n;
    }

    /** Positions of {@code stream} applied here at or above {@code floor} ({@link Ranges} form). */
    long[] applied(String stream, long floor) {
        for (int s = 0; s < streams.length; s++) {
            if (streams[s].equals(stream)) {
                return Ranges.atOrAbove(applied[s], floor);
            }
        }
        return Ranges.EMPTY;
    }

    /**
     * Per stream of {@code p}: the positions of its span already applied here, or null when there are none in any
     * stream.
     */
    long[][] overlap(Places p) {
        long[][] out = null;
        for (int s = 0; s < p.streamCount(); s++) {
            long[] o = Ranges.intersection(applied(p.stream(s), p.floor(s)), p.span(s));
            if (o.length > 0) {
                if (out == null) {
                    out = new long[p.streamCount()][];
                }
                out[s] = o;
            }
        }
        return out;
    }

    private LogHead published(RunRef ref, Places p) {
        RunRef[] f = Arrays.copyOf(fresh, fresh.length + 1);
        f[fresh.length] = ref.withSeq(nextSeq);
        List<String> st = new ArrayList<>(List.of(streams));
        List<long[]> ap = new ArrayList<>(List.of(applied));
        for (int s = 0; p != null && s < p.streamCount(); s++) {
            int at = st.indexOf(p.stream(s));
            if (at < 0) {
                st.add(p.stream(s));
                ap.add(Ranges.atOrAbove(p.span(s), p.floor(s)));
            } else {
                ap.set(at, Ranges.union(Ranges.atOrAbove(ap.get(at), p.floor(s)), p.span(s)));
            }
        }
        return new LogHead(nextSeq + 1, epoch, f, st.toArray(String[]::new), ap.toArray(long[][]::new));
    }

    /**
     * Publishes a delta: appends it to the fresh deltas under the next sequence number and records its batch's
     * spans, unless part of a span is applied already. Returns {@code long[]{seq, fresh deltas, fresh events}} when
     * published, or {@code long[][]} (per stream of the places, the positions already applied, or null) when not.
     */
    static final class Publish extends ManifestView.Change {
        private final RunRef ref;
        private final Places places; // the batch's streams, spans and floors; no per-event places

        Publish(RunRef ref, Places places) {
            this.ref = ref;
            this.places = places;
        }

        @Override
        Object change(MutableEntry<LogKey, Object> entry) {
            LogHead h = entry.exists() ? (LogHead) entry.getValue() : first(System.currentTimeMillis());
            for (RunRef r : h.fresh) {
                if (r.id() == ref.id()) { // the same call again (a data streamer retry): already published
                    return new long[] {r.seqLo(), h.fresh.length, h.freshEvents()};
                }
            }
            if (places != null) {
                long[][] overlap = h.overlap(places);
                if (overlap != null) {
                    return overlap;
                }
            }
            LogHead next = h.published(ref, places);
            entry.setValue(next);
            return new long[] {h.nextSeq, next.fresh.length, next.freshEvents()};
        }
    }

    /**
     * Second step of a merge: drops the fresh deltas up to {@code upToSeq} (now in {@link LogLevels}) and moves the
     * epoch to {@code epoch}, the one the levels already carry.
     */
    static final class TakeFresh extends ManifestView.Change {
        private final long upToSeq;
        private final long epoch;

        TakeFresh(long upToSeq, long epoch) {
            this.upToSeq = upToSeq;
            this.epoch = epoch;
        }

        @Override
        Object change(MutableEntry<LogKey, Object> entry) {
            LogHead h = entry.exists() ? (LogHead) entry.getValue() : EMPTY;
            List<RunRef> keep = new ArrayList<>();
            for (RunRef r : h.fresh) {
                if (r.seqHi() > upToSeq) {
                    keep.add(r);
                }
            }
            if (keep.size() != h.fresh.length || h.epoch < epoch) {
                entry.setValue(new LogHead(h.nextSeq, Math.max(h.epoch, epoch), keep.toArray(RunRef[]::new), h.streams,
                    h.applied));
            }
            return null;
        }
    }
}

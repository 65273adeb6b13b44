package io.hearth.compute.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.ignite.IgniteCache;

/**
 * Keeps one partition's log short, on the partition's primary: merges fresh deltas into a run, merges runs of like
 * size, and folds the oldest run into the entities' blocks with the one merge ({@link EventMergeReceiver#mergeAll}),
 * in transactions of a few hundred entities that also record the run in each index
 * ({@link EntityIndex#foldedThrough()}), so a fold cut short by a crash is done again without doubling anything.
 *
 * <p>Why runs rather than folding every delta at once: with many entities and uniform keys, a delta holds about one
 * event an entity, and a fold costs a transaction per entity whatever it brings, which is the cost the log exists to
 * avoid. A fold pays when each entity brings several events; runs keep the log cheap to read until then (a reader
 * decodes at most one chunk a run). Deltas and runs are immutable; a merged or folded one is retired, and deleted by
 * the caller after a grace period, since readers may still hold a manifest that names it.
 *
 * <p>Only one maintainer per partition should run at a time (the node that is its primary), but two at once (a
 * topology change) do no harm: every manifest change is an entry processor that checks what it replaces.
 */
public final class LogMaintenance {
    private LogMaintenance() {
    }

    /**
     * When to merge and fold.
     *
     * @param freshToMerge fresh deltas that make a merge
     * @param freshAgeMillis age of the oldest fresh delta that makes a merge however few there are
     * @param runsSoft runs above which the smallest adjacent four are merged even when unlike in size
     * @param runsHard runs above which the oldest is folded however small
     * @param foldPerEntity average events an entity that make the oldest run worth folding
     * @param foldEvents events that make the oldest run worth folding whatever its entities
     * @param foldAgeMillis age of the oldest run that makes it folded
     * @param foldBatch entities a fold transaction covers
     * @param targetBlockSize block size of the entities' storage ({@link EventMergeReceiver})
     * @param tailSize inline tail of the entities' storage
     */
    public record Settings(int freshToMerge, long freshAgeMillis, int runsSoft, int runsHard, int foldPerEntity,
                           int foldEvents, long foldAgeMillis, int foldBatch, int targetBlockSize, int tailSize) {
        public static Settings defaults(int targetBlockSize, int tailSize) {
            return new Settings(8, 500, 8, 16, 8, 65_536, 20_000, 256, targetBlockSize, tailSize);
        }

        public Settings withFold(int perEntity, int events, long ageMillis) {
            return new Settings(freshToMerge, freshAgeMillis, runsSoft, runsHard, perEntity, events, ageMillis, foldBatch,
                targetBlockSize, tailSize);
        }

        public Settings withMerge(int fresh, long freshAge, int soft, int hard) {
            return new Settings(fresh, freshAge, soft, hard, foldPerEntity, foldEvents, foldAgeMillis, foldBatch,
                targetBlockSize, tailSize);
        }
    }

    /** Runs a piece of work in one transaction over the events cache (the caller's kind: pessimistic in a node). */
    @FunctionalInterface
    public interface Tx {
        void run(Runnable work);
    }

    /** What is left in a partition's log. */
    public record Backlog(int fresh, long freshEvents, int runs, long runEvents, long oldestBorn) {
        public static final Backlog NONE = new Backlog(0, 0, 0, 0, Long.MAX_VALUE);

        public long events() {
            return freshEvents + runEvents;
        }

        public boolean isEmpty() {
            return fresh == 0 && runs == 0;
        }

        static Backlog of(LogHead h, LogLevels l) {
            long oldest = Long.MAX_VALUE;
            for (RunRef r : l.runs()) {
                oldest = Math.min(oldest, r.born());
            }
            for (RunRef r : h.fresh()) {
                oldest = Math.min(oldest, r.born());
            }
            return new Backlog(h.fresh().size(), h.freshEvents(), l.runs().size(), l.events(), oldest);
        }
    }

    /**
     * What one round did: deltas merged, runs merged, events folded (and whether that fold finished one a stop cut
     * short), chunks retired, and the backlog after.
     */
    public record Round(int mergedFresh, int mergedRuns, long foldedEvents, boolean resumedFold, List<LogKey> retired,
                        Backlog backlog) {
        public boolean didSomething() {
            return mergedFresh + mergedRuns > 0 || foldedEvents > 0;
        }
    }

    /**
     * One round of maintenance of the partition with this anchor: finishes a merge a crash cut short, merges fresh
     * deltas, merges runs, folds the oldest run, each when due ({@code force}: merge and fold whatever there is).
     */
    public static Round maintain(IgniteCache<LogKey, Object> log, IgniteCache<EventKey, Object> events, Tx tx, int anchor,
                                 Settings s, long now, boolean force) {
        LogKey hk = LogKey.head(anchor);
        LogKey lk = LogKey.levels(anchor);
        LogHead head = head(log, hk);
        LogLevels levels = levels(log, lk);
        List<LogKey> retired = new ArrayList<>();
        if (levels.epoch() > head.epoch()) { // a merge's first step landed, its second did not
            log.invoke(hk, new LogHead.TakeFresh(levels.coveredThrough(), levels.epoch()));
            head = head(log, hk);
        }
        int mergedFresh = 0;
        List<RunRef> fresh = head.fresh();
        if (!fresh.isEmpty() && levels.epoch() == head.epoch()
            && (force || fresh.size() >= s.freshToMerge() || now - fresh.get(0).born() >= s.freshAgeMillis())) {
            RunRef first = fresh.get(0);
            RunRef last = fresh.get(fresh.size() - 1);
            RunRef run;
            List<LogKey> newKeys = List.of();
            if (fresh.size() == 1) {
                run = first; // promoted as it is: its chunk stays
            } else {
                List<RunChunk> merged = RunChunk.merge(read(log, anchor, fresh), RunChunk.TARGET_EVENTS);
                long id = LogReceiver.newRunId();
                newKeys = put(log, anchor, id, merged);
                run = RunChunk.ref(id, first.seqLo(), last.seqHi(), oldest(fresh), merged);
            }
            if (!Boolean.TRUE.equals(log.invoke(lk, new LogLevels.AddRun(run, head.epoch())))) {
                removeAll(log, newKeys); // another maintainer got there first
                return new Round(0, 0, 0, false, retired, Backlog.of(head(log, hk), levels(log, lk)));
            }
            log.invoke(hk, new LogHead.TakeFresh(run.seqHi(), head.epoch() + 1));
            if (fresh.size() > 1) {
                retired.addAll(keysOf(anchor, fresh));
            }
            mergedFresh = fresh.size();
            levels = levels(log, lk);
        }
        int mergedRuns = 0;
        List<RunRef> runs = levels.runs();
        int[] window = mergeWindow(runs, levels.foldingId() != 0 ? 1 : 0, s, force);
        if (window != null) {
            List<RunRef> parts = runs.subList(window[0], window[1]);
            List<RunChunk> merged = RunChunk.merge(read(log, anchor, parts), RunChunk.TARGET_EVENTS);
            long id = LogReceiver.newRunId();
            List<LogKey> newKeys = put(log, anchor, id, merged);
            RunRef run = RunChunk.ref(id, parts.get(0).seqLo(), parts.get(parts.size() - 1).seqHi(), oldest(parts), merged);
            long[] ids = parts.stream().mapToLong(RunRef::id).toArray();
            if (Boolean.TRUE.equals(log.invoke(lk, new LogLevels.ReplaceRuns(ids, run)))) {
                retired.addAll(keysOf(anchor, parts));
                mergedRuns = parts.size();
            } else {
                removeAll(log, newKeys);
            }
            levels = levels(log, lk);
        }
        long folded = 0;
        boolean resumed = false;
        runs = levels.runs();
        if (!runs.isEmpty()) {
            RunRef oldest = runs.get(0);
            boolean due = force || levels.foldingId() == oldest.id() || runs.size() > s.runsHard()
                || oldest.events() >= s.foldEvents() || oldest.events() >= (long) s.foldPerEntity() * oldest.entities()
                || now - oldest.born() >= s.foldAgeMillis();
            resumed = levels.foldingId() == oldest.id();
            if (due && Boolean.TRUE.equals(log.invoke(lk, new LogLevels.StartFold(oldest.id())))) {
                // The index generation moves before the fold's first write and after its last, before the run leaves
                // the manifest: see IndexMemo.
                IndexMemo.changing(log, List.of(anchor));
                folded = fold(log, events, tx, anchor, oldest, s);
                IndexMemo.changing(log, List.of(anchor));
                if (Boolean.TRUE.equals(log.invoke(lk, new LogLevels.EndFold(oldest.id())))) {
                    retired.addAll(keysOf(anchor, List.of(oldest)));
                }
                levels = levels(log, lk);
            }
        }
        return new Round(mergedFresh, mergedRuns, folded, resumed && folded > 0, retired, Backlog.of(head(log, hk), levels));
    }

    /** The partition's backlog, from its manifests. */
    public static Backlog backlog(IgniteCache<LogKey, Object> log, int anchor) {
        return Backlog.of(head(log, LogKey.head(anchor)), levels(log, LogKey.levels(anchor)));
    }

    /**
     * Which adjacent runs (from index {@code start}, past the one being folded) to merge, as {@code [from, to)}, or
     * null: the newest four when they are of one size class (powers of four of events), else, when there are more
     * than {@code runsSoft}, the adjacent four with the fewest events. So a run is rewritten about once per size
     * class it passes through, not once per merge.
     */
    static int[] mergeWindow(List<RunRef> runs, int start, Settings s, boolean force) {
        int n = runs.size() - start;
        if (n < 2 || (n < 4 && !force)) {
            return null;
        }
        if (force) {
            return new int[] {start, runs.size()};
        }
        int end = runs.size();
        int cls = sizeClass(runs.get(end - 1));
        boolean alike = true;
        for (int i = end - 4; i < end; i++) {
            alike &= sizeClass(runs.get(i)) == cls;
        }
        if (alike) {
            return new int[] {end - 4, end};
        }
        if (n <= s.runsSoft()) {
            return null;
        }
        int best = start;
        long bestEvents = Long.MAX_VALUE;
        for (int i = start; i + 4 <= end; i++) {
            long e = 0;
            for (int k = i; k < i + 4; k++) {
                e += runs.get(k).events();
            }
            if (e < bestEvents) {
                bestEvents = e;
                best = i;
            }
        }
        return new int[] {best, best + 4};
    }

    private static int sizeClass(RunRef r) {
        return (63 - Long.numberOfLeadingZeros(Math.max(1, r.events()))) / 2;
    }

    /** Folds {@code run} into its entities' blocks; returns its events. */
    private static long fold(IgniteCache<LogKey, Object> log, IgniteCache<EventKey, Object> events, Tx tx, int anchor,
                             RunRef run, Settings s) {
        SortedMap<String, List<EventBlock>> all = new TreeMap<>();
        for (RunChunk c : read(log, anchor, List.of(run))) {
            for (int i = 0; i < c.entityCount(); i++) {
                all.put(c.entity(i), List.of(c.eventsAt(i)));
            }
        }
        SortedMap<String, List<EventBlock>> batch = new TreeMap<>();
        for (Map.Entry<String, List<EventBlock>> e : all.entrySet()) {
            batch.put(e.getKey(), e.getValue());
            if (batch.size() >= s.foldBatch()) {
                foldBatch(events, tx, batch, run, s);
                batch = new TreeMap<>();
            }
        }
        if (!batch.isEmpty()) {
            foldBatch(events, tx, batch, run, s);
        }
        return run.events();
    }

    private static void foldBatch(IgniteCache<EventKey, Object> events, Tx tx, SortedMap<String, List<EventBlock>> batch,
                                  RunRef run, Settings s) {
        tx.run(() -> EventMergeReceiver.mergeAll(events, batch, s.targetBlockSize(), s.tailSize(), run.seqHi()));
    }

    /** Every chunk of the runs, runs in the order given. */
    private static List<RunChunk> read(IgniteCache<LogKey, Object> log, int anchor, List<RunRef> runs) {
        List<LogKey> keys = keysOf(anchor, runs);
        Map<LogKey, Object> got = log.getAll(new TreeSet<>(keys));
        List<RunChunk> out = new ArrayList<>(keys.size());
        for (LogKey k : keys) {
            Object c = got.get(k);
            if (c == null) {
                throw new IllegalStateException("log chunk " + k + " named by the manifest is missing");
            }
            out.add((RunChunk) c);
        }
        return out;
    }

    private static List<LogKey> put(IgniteCache<LogKey, Object> log, int anchor, long id, List<RunChunk> chunks) {
        Map<LogKey, Object> m = new TreeMap<>();
        for (int c = 0; c < chunks.size(); c++) {
            m.put(new LogKey(anchor, id, c), chunks.get(c));
        }
        log.putAll(m);
        return new ArrayList<>(m.keySet());
    }

    private static void removeAll(IgniteCache<LogKey, Object> log, List<LogKey> keys) {
        if (!keys.isEmpty()) {
            log.removeAll(new TreeSet<>(keys));
        }
    }

    static List<LogKey> keysOf(int anchor, List<RunRef> runs) {
        List<LogKey> out = new ArrayList<>();
        for (RunRef r : runs) {
            for (int c = 0; c < r.chunks(); c++) {
                out.add(new LogKey(anchor, r.id(), c));
            }
        }
        return out;
    }

    private static long oldest(List<RunRef> runs) {
        long b = Long.MAX_VALUE;
        for (RunRef r : runs) {
            b = Math.min(b, r.born());
        }
        return b;
    }

    private static LogHead head(IgniteCache<LogKey, Object> log, LogKey k) {
        Object v = log.get(k);
        return v == null ? LogHead.EMPTY : (LogHead) v;
    }

    private static LogLevels levels(IgniteCache<LogKey, Object> log, LogKey k) {
        Object v = log.get(k);
        return v == null ? LogLevels.EMPTY : (LogLevels) v;
    }

    /** The runs a partition's manifests name, for finding chunks nobody names (left by a crash). */
    public static Set<Long> namedRuns(IgniteCache<LogKey, Object> log, int anchor) {
        Set<Long> out = new java.util.HashSet<>();
        for (RunRef r : head(log, LogKey.head(anchor)).fresh()) {
            out.add(r.id());
        }
        for (RunRef r : levels(log, LogKey.levels(anchor)).runs()) {
            out.add(r.id());
        }
        return out;
    }
}

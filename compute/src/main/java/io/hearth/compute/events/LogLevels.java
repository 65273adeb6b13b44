package io.hearth.compute.events;

import java.util.ArrayList;
import java.util.List;
import javax.cache.processor.MutableEntry;

/**
 * The larger, seldom-written half of a partition's manifest: the merged runs of its log not yet folded into the
 * entities' blocks, oldest first, covering contiguous publish sequence numbers; the run being folded (it may not be
 * merged with others: some entities may already hold its events); the highest sequence number folded; and the
 * epoch: the {@link LogHead} epoch its runs match.
 *
 * <p>Changed only by its entry processors, each of which drops the primary's held copy first
 * ({@link ManifestView.Change}). A merge of fresh deltas writes here first ({@link AddRun}: epoch becomes head
 * epoch + 1), then takes them out of the head ({@link LogHead.TakeFresh}: head epoch catches up). A reader that reads
 * both in one call sees levels.epoch equal to head.epoch (no merge under way), one ahead (the merged deltas appear
 * twice: it drops the fresh ones that a run covers), or behind (it read the levels before a merge and the head after:
 * it reads again).
 */
public final class LogLevels {
    static final LogLevels EMPTY = new LogLevels(0, 0, 0, new RunRef[0]);

    private final long epoch;
    private final long foldingId;
    private final long foldedThrough;
    private final RunRef[] runs;

    LogLevels(long epoch, long foldingId, long foldedThrough, RunRef[] runs) {
        this.epoch = epoch;
        this.foldingId = foldingId;
        this.foldedThrough = foldedThrough;
        this.runs = runs;
    }

    public long epoch() {
        return epoch;
    }

    /** The run being folded (the oldest), or 0. */
    public long foldingId() {
        return foldingId;
    }

    /** The highest publish sequence number whose events are folded into the entities' blocks. */
    public long foldedThrough() {
        return foldedThrough;
    }

    /** The runs, oldest first. */
    public List<RunRef> runs() {
        return List.of(runs);
    }

    public long events() {
        long n = 0;
        for (RunRef r : runs) {
            n += r.events();
        }
        return n;
    }

    /** The highest sequence number these levels account for: folded, or in a run. */
    long coveredThrough() {
        long c = foldedThrough;
        for (RunRef r : runs) {
            c = Math.max(c, r.seqHi());
        }
        return c;
    }

    private static LogLevels of(MutableEntry<LogKey, Object> entry) {
        return entry.exists() ? (LogLevels) entry.getValue() : EMPTY;
    }

    /** First step of a merge of fresh deltas: appends their run, when the levels still match head epoch {@code expect}. */
    static final class AddRun extends ManifestView.Change {
        private final RunRef run;
        private final long expect;

        AddRun(RunRef run, long expect) {
            this.run = run;
            this.expect = expect;
        }

        @Override
        Object change(MutableEntry<LogKey, Object> entry) {
            LogLevels l = of(entry);
            if (l.epoch != expect || run.seqLo() <= l.coveredThrough()) {
                return false;
            }
            RunRef[] r = java.util.Arrays.copyOf(l.runs, l.runs.length + 1);
            r[l.runs.length] = run;
            entry.setValue(new LogLevels(expect + 1, l.foldingId, l.foldedThrough, r));
            return true;
        }
    }

    /** Replaces the adjacent runs {@code ids} (none of them being folded) by their merge {@code run}. */
    static final class ReplaceRuns extends ManifestView.Change {
        private final long[] ids;
        private final RunRef run;

        ReplaceRuns(long[] ids, RunRef run) {
            this.ids = ids;
            this.run = run;
        }

        @Override
        Object change(MutableEntry<LogKey, Object> entry) {
            LogLevels l = of(entry);
            int at = -1;
            for (int i = 0; i < l.runs.length; i++) {
                if (l.runs[i].id() == ids[0]) {
                    at = i;
                }
            }
            if (at < 0 || at + ids.length > l.runs.length) {
                return false;
            }
            for (int k = 0; k < ids.length; k++) {
                if (l.runs[at + k].id() != ids[k] || ids[k] == l.foldingId) {
                    return false;
                }
            }
            List<RunRef> r = new ArrayList<>(List.of(l.runs).subList(0, at));
            r.add(run);
            r.addAll(List.of(l.runs).subList(at + ids.length, l.runs.length));
            entry.setValue(new LogLevels(l.epoch, l.foldingId, l.foldedThrough, r.toArray(RunRef[]::new)));
            return true;
        }
    }

    /** Marks the oldest run, {@code id}, as being folded; false when it is not the oldest. */
    static final class StartFold extends ManifestView.Change {
        private final long id;

        StartFold(long id) {
            this.id = id;
        }

        @Override
        Object change(MutableEntry<LogKey, Object> entry) {
            LogLevels l = of(entry);
            if (l.runs.length == 0 || l.runs[0].id() != id) {
                return false;
            }
            if (l.foldingId != id) {
                entry.setValue(new LogLevels(l.epoch, id, l.foldedThrough, l.runs));
            }
            return true;
        }
    }

    /** Takes the folded run {@code id} (the oldest) out, its events now all in the entities' blocks. */
    static final class EndFold extends ManifestView.Change {
        private final long id;

        EndFold(long id) {
            this.id = id;
        }

        @Override
        Object change(MutableEntry<LogKey, Object> entry) {
            LogLevels l = of(entry);
            if (l.runs.length == 0 || l.runs[0].id() != id) {
                return false;
            }
            RunRef[] r = java.util.Arrays.copyOfRange(l.runs, 1, l.runs.length);
            entry.setValue(new LogLevels(l.epoch, 0, Math.max(l.foldedThrough, l.runs[0].seqHi()), r));
            return true;
        }
    }
}

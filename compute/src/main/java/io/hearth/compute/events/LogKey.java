package io.hearth.compute.events;

/**
 * Key of a source's event log ({@code log_<source>}): chunk {@code chunk} of run {@code run}, or the partition's
 * {@link LogHead} ({@link #HEAD}) or {@link LogLevels} ({@link #LEVELS}), or the generation of the entities' indexes
 * ({@link #INDEXES}, see {@link IndexMemo}). Every key of one partition carries the same
 * {@code part}, the partition's anchor (see {@link LogPartitions#anchor}): an int whose affinity is that partition,
 * so the log of partition p lives with the events of the entities of partition p. The affinity field is declared to
 * Ignite by {@code io.hearth.node.codec.EventCodecs}; the field names are part of the stored form.
 */
public final class LogKey implements Comparable<LogKey> {
    public static final long HEAD = -1;
    public static final long LEVELS = -2;
    public static final long INDEXES = -3;

    private final int part;
    private final long run;
    private final int chunk;

    public LogKey(int part, long run, int chunk) {
        this.part = part;
        this.run = run;
        this.chunk = chunk;
    }

    public static LogKey head(int anchor) {
        return new LogKey(anchor, HEAD, 0);
    }

    public static LogKey levels(int anchor) {
        return new LogKey(anchor, LEVELS, 0);
    }

    public static LogKey indexes(int anchor) {
        return new LogKey(anchor, INDEXES, 0);
    }

    /** The partition's anchor (not the partition number itself: see {@link LogPartitions}). */
    public int anchor() {
        return part;
    }

    public long run() {
        return run;
    }

    public int chunk() {
        return chunk;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogKey k && k.part == part && k.run == run && k.chunk == chunk;
    }

    @Override
    public int hashCode() {
        return (Integer.hashCode(part) * 31 + Long.hashCode(run)) * 31 + chunk;
    }

    /** Keys written together are sorted so that concurrent writers touch them in one order. */
    @Override
    public int compareTo(LogKey o) {
        int c = Integer.compare(part, o.part);
        if (c != 0) {
            return c;
        }
        c = Long.compare(run, o.run);
        return c != 0 ? c : Integer.compare(chunk, o.chunk);
    }

    @Override
    public String toString() {
        return "log[" + part + "]#" + (run == HEAD ? "head" : run == LEVELS ? "levels"
            : run == INDEXES ? "indexes" : run + "/" + chunk);
    }
}

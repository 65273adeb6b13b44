package io.hearth.compute.events;

import java.util.Arrays;

/**
 * What a partition's manifest ({@link LogHead}, {@link LogLevels}) says of one run of its log: the run's id, the
 * publish sequence numbers it covers ({@code [seqLo, seqHi]}: one for a fresh delta, a contiguous span for a merged
 * run), its events, when its oldest delta was published, and where an entity's events are: chunk {@code i} holds the
 * entities whose hash ({@link #entityHash}) is at least {@code bounds[i]} and below {@code bounds[i + 1]}, and
 * {@code filters[4i .. 4i+3]} is a 256-bit filter of the hashes it holds, so that a reader skips chunks that cannot
 * hold its entity (a false positive costs one small read, never a wrong answer).
 *
 * <p>Immutable: a manifest that changes holds new {@code RunRef}s. Plain fields (not a record): Ignite's binary
 * form sets fields of the classes it reads, which records forbid.
 */
public final class RunRef {
    static final int FILTER_LONGS = 4;

    private final long id;
    private final long seqLo;
    private final long seqHi;
    private final int events;
    private final int entities;
    private final long born;
    private final long[] bounds;
    private final long[] filters;

    RunRef(long id, long seqLo, long seqHi, int events, int entities, long born, long[] bounds, long[] filters) {
        if (filters.length != bounds.length * FILTER_LONGS) {
            throw new IllegalArgumentException(bounds.length + " chunks need " + bounds.length * FILTER_LONGS
                + " filter words, got " + filters.length);
        }
        this.id = id;
        this.seqLo = seqLo;
        this.seqHi = seqHi;
        this.events = events;
        this.entities = entities;
        this.born = born;
        this.bounds = bounds;
        this.filters = filters;
    }

    /** The same run under sequence number {@code seq} (a delta gets its number when it is published). */
    RunRef withSeq(long seq) {
        return new RunRef(id, seq, seq, events, entities, born, bounds, filters);
    }

    /** The hash that orders entities in chunks and filters: the event-id hash of the entity key. */
    public static long entityHash(String entity) {
        return EventIdHash.of(entity);
    }

    private static int bit(long hash) {
        long h = hash * 0x9E3779B97F4A7C15L; // the filter's bit from bits the chunk bounds do not decide
        return (int) (h >>> 56);
    }

    /** A filter word array for chunks holding the given hashes ({@code chunkOf[i]} is hash i's chunk). */
    static long[] filters(int chunks, long[] hashes, int[] chunkOf) {
        long[] f = new long[chunks * FILTER_LONGS];
        for (int i = 0; i < hashes.length; i++) {
            int b = bit(hashes[i]);
            f[chunkOf[i] * FILTER_LONGS + (b >>> 6)] |= 1L << (b & 63);
        }
        return f;
    }

    public long id() {
        return id;
    }

    public long seqLo() {
        return seqLo;
    }

    public long seqHi() {
        return seqHi;
    }

    public int events() {
        return events;
    }

    /** Distinct entities (in a merged run; a delta's entities, summed over its deltas, before that). */
    public int entities() {
        return entities;
    }

    /** When the oldest delta in this run was published (milliseconds since the epoch, the publishing node's clock). */
    public long born() {
        return born;
    }

    public int chunks() {
        return bounds.length;
    }

    /** The chunk that would hold an entity with this hash. */
    public int chunkFor(long hash) {
        int i = Arrays.binarySearch(bounds, hash);
        return i >= 0 ? i : Math.max(0, -i - 2);
    }

    /** Whether chunk {@code c} may hold an entity with this hash (false: it surely does not). */
    public boolean mayHold(int c, long hash) {
        int b = bit(hash);
        return (filters[c * FILTER_LONGS + (b >>> 6)] & (1L << (b & 63))) != 0;
    }

    @Override
    public String toString() {
        return "run " + id + " [" + seqLo + ".." + seqHi + "] " + events + " events in " + bounds.length + " chunks";
    }
}

package io.hearth.compute.events;

import java.util.Arrays;

/**
 * Per entity: its blocks in time order ({@code starts[i]} is the smallest event time of block {@code ids[i]};
 * block i holds the events with {@code starts[i] <= ts < starts[i+1]}), and the sorted 64-bit hashes of the
 * event ids already stored, for idempotent writes. Invariant: events with equal event time live in one block.
 *
 * <p>An entity's newest events live in the index itself: {@link #inline()}, its tail, is then its last block,
 * listed with id {@link EventKey#INLINE}. New events mostly land there, so a write is one read and one write of
 * one entry instead of five (index, block, new block, removal, index), which is most of what ingest costs. The
 * tail is kept small, because every write of the entity rewrites it: when it grows past its limit, its older
 * part is sealed into an ordinary block (see {@link EventMergeReceiver}). Indexes written before tails existed
 * have an inline block only as their single block, or none.
 *
 * <p>Its stored form (Ignite's binary form, formats 1 to 3) is written by its serializer in {@code io.hearth.node.codec}.
 */
public final class EntityIndex {
    long[] starts = new long[0];
    long[] ids = new long[0];
    int[] sizes = new int[0];
    long nextBlockId;
    long[] idHashes = new long[0];
    EventBlock inline;
    BlockStats[] stats = new BlockStats[0]; // per block; null for the inline block and blocks written before stats
    long epoch; // random, fixed when the index is created; 0 for indexes written before epochs (see BlockCache)
    long foldedThrough; // the last log sequence number folded into these blocks; 0: none (see LogMaintenance)

    /** The entity's newest events kept in the index (its last block, id {@link EventKey#INLINE}), else null. */
    public EventBlock inline() {
        return inline;
    }

    /**
     * Makes {@code b} (sorted, without event ids) the entity's inline tail in place of the blocks at positions
     * {@code [from, blockCount())}: its last block, kept in the index itself.
     */
    void setTail(int from, EventBlock b) {
        inline = b;
        replace(from, ids.length, new long[] {b.ts(0)}, new long[] {EventKey.INLINE}, new int[] {b.size()},
            new BlockStats[1]);
    }

    /**
     * An id for a new block: random (non-negative), so that no two versions of an entity's storage ever give one id
     * to different blocks, even when an older state of the index comes back (a replica that missed writes, a restored
     * snapshot) and is written on from there. Readers may cache blocks by id ({@link BlockCache}).
     */
    long newBlockId() {
        while (true) {
            long id = java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            boolean taken = false;
            for (long x : ids) {
                taken |= x == id;
            }
            if (!taken) {
                return id; // (nextBlockId, the counter ids once came from, stays in the stored form, unused)
            }
        }
    }

    /** A new, empty index with a random epoch. */
    static EntityIndex fresh() {
        EntityIndex idx = new EntityIndex();
        idx.epoch = newEpoch();
        return idx;
    }

    /** A random epoch, never 0 (0 marks indexes written before epochs). */
    static long newEpoch() {
        long e;
        do {
            e = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        } while (e == 0);
        return e;
    }

    /**
     * Random and fixed for the life of this index: with the block id it names a block for good, also across an
     * index lost and created anew (a second guard beside random block ids). 0 when unknown (older indexes, whose
     * blocks readers do not cache).
     */
    public long epoch() {
        return epoch;
    }

    /**
     * The highest sequence number of the partition's log whose events of this entity are in its blocks: a reader
     * takes the entity's unfolded events from the log's runs above it, and a fold of a run up to it is done already.
     * 0 for an entity never folded (and for indexes written before the log existed, whose events are all here).
     */
    public long foldedThrough() {
        return foldedThrough;
    }

    /** The stats of the block at position i, or null when it has none (inline, or written before stats existed). */
    public BlockStats stats(int i) {
        return stats[i];
    }

    public int blockCount() {
        return ids.length;
    }

    public long blockId(int i) {
        return ids[i];
    }

    public long blockStart(int i) {
        return starts[i];
    }

    public int blockSize(int i) {
        return sizes[i];
    }

    public long eventCount() {
        long n = 0;
        for (int s : sizes) {
            n += s;
        }
        return n;
    }

    /** Smallest stored event time, or Long.MAX_VALUE when empty. */
    public long earliest() {
        return starts.length == 0 ? Long.MAX_VALUE : starts[0];
    }

    public boolean containsId(long hash) {
        return Arrays.binarySearch(idHashes, hash) >= 0;
    }

    /** Index of the block an event at {@code ts} belongs to (the last with start <= ts, else the first). */
    public int blockFor(long ts) {
        int lo = 0;
        int hi = starts.length - 1;
        int ans = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= ts) {
                ans = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return ans;
    }

    /** Positions of the blocks that may hold events with {@code lo <= ts <= hi}. */
    public int[] blocksOverlapping(long lo, long hi) {
        int n = starts.length;
        int count = 0;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            boolean startsBeforeEnd = starts[i] <= hi;
            boolean endsAfterStart = i == n - 1 || starts[i + 1] > lo;
            if (startsBeforeEnd && endsAfterStart) {
                out[count++] = i;
            }
        }
        return Arrays.copyOf(out, count);
    }

    void addIdHashes(long[] sortedNew) {
        long[] merged = new long[idHashes.length + sortedNew.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < idHashes.length || j < sortedNew.length) {
            if (j >= sortedNew.length || (i < idHashes.length && idHashes[i] <= sortedNew[j])) {
                merged[k++] = idHashes[i++];
            } else {
                merged[k++] = sortedNew[j++];
            }
        }
        idHashes = merged;
    }

    /** Replaces the blocks at positions {@code [from, to)} by consecutive blocks with the given starts, ids and sizes. */
    void replace(int from, int to, long[] newStarts, long[] newIds, int[] newSizes, BlockStats[] newStats) {
        int n = ids.length;
        int m = newIds.length;
        int len = n - (to - from) + m;
        long[] s = new long[len];
        long[] d = new long[len];
        int[] z = new int[len];
        BlockStats[] st = new BlockStats[len];
        System.arraycopy(starts, 0, s, 0, from);
        System.arraycopy(ids, 0, d, 0, from);
        System.arraycopy(sizes, 0, z, 0, from);
        System.arraycopy(stats, 0, st, 0, from);
        System.arraycopy(newStarts, 0, s, from, m);
        System.arraycopy(newIds, 0, d, from, m);
        System.arraycopy(newSizes, 0, z, from, m);
        System.arraycopy(newStats, 0, st, from, m);
        System.arraycopy(starts, to, s, from + m, n - to);
        System.arraycopy(ids, to, d, from + m, n - to);
        System.arraycopy(sizes, to, z, from + m, n - to);
        System.arraycopy(stats, to, st, from + m, n - to);
        stats = st;
        starts = s;
        ids = d;
        sizes = z;
    }

    /** Forgets the first {@code k} blocks (compaction), keeping at least one; id hashes stay. */
    void dropFirst(int k) {
        if (k <= 0 || k >= ids.length) {
            throw new IllegalArgumentException("can drop 1 to " + (ids.length - 1) + " blocks, not " + k);
        }
        starts = Arrays.copyOfRange(starts, k, starts.length);
        ids = Arrays.copyOfRange(ids, k, ids.length);
        sizes = Arrays.copyOfRange(sizes, k, sizes.length);
        stats = Arrays.copyOfRange(stats, k, stats.length);
    }

    // ------------------------------------------------------------------ for codecs (io.hearth.node.codec)

    /**
     * What an index is stored as: its blocks' starts, ids, sizes and stats (null for none), the block counter ids
     * once came from, the sorted id hashes, the inline block (or null) and the epoch. Arrays are the index's own.
     */
    public record Parts(long[] starts, long[] ids, int[] sizes, long nextBlockId, long[] idHashes, EventBlock inline,
                        BlockStats[] stats, long epoch, long foldedThrough) {
    }

    /** This index's parts, for a codec to write. Callers must not modify the arrays. */
    public Parts parts() {
        return new Parts(starts, ids, sizes, nextBlockId, idHashes, inline, stats, epoch, foldedThrough);
    }

    /**
     * Makes this index, which Ignite just made with the no-arg constructor, hold the parts a codec read (taking
     * the arrays): Ignite's serializer API fills an instance rather than returning one.
     */
    public void restore(Parts p) {
        starts = p.starts();
        ids = p.ids();
        sizes = p.sizes();
        nextBlockId = p.nextBlockId();
        idHashes = p.idHashes();
        inline = p.inline();
        stats = p.stats();
        epoch = p.epoch();
        foldedThrough = p.foldedThrough();
    }
}

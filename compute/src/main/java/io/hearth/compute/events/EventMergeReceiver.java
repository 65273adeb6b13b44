package io.hearth.compute.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.stream.StreamReceiver;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;

/**
 * Applies batches of new events to entities' block storage on the node that owns them. Streamed as
 * (entity key, unsorted {@link EventBlock} of new events in arrival order). One pessimistic transaction per
 * receiver call covers every entity of the call: lock the {@link EntityIndex}es (in key order, so concurrent
 * calls cannot deadlock), drop events whose id is already stored (idempotent replays), merge the rest into the
 * blocks their times fall in, write blocks and indexes. The cache is FULL_SYNC, so when the streamer's flush
 * returns, every event is on its primary and its backups.
 *
 * <p>Layout: sealed blocks of up to about {@code targetBlockSize} events, then the entity's newest events inline in
 * its index (the tail, at most about {@code tailSize} events). Events in time order land in the tail, so a write
 * rewrites one small entry: the cost of rewriting an entry grows with its size (measured, see
 * {@code docs/decisions/0013-small-tails-compact-blocks.md}). When the tail outgrows its limit, all but its newest
 * {@code tailSize / 2} events are sealed into a block; a sealed block absorbs the blocks before it that are no
 * bigger than it while the whole fits in a block, so block sizes grow geometrically and an event is rewritten
 * about log2(targetBlockSize / tailSize) times in all, not once per later write. A late event rewrites the sealed
 * block its time falls in, which is split into blocks of the target size once it outgrows it (no part under a
 * quarter of the target: {@link EventBlock#split}), so a block holds at most 1.25 targets' worth of times apart from
 * runs of equal times.
 *
 * <p>Blocks are immutable: a changed block is written under a new id and the old one removed. The index is the
 * only thing that changes in place, so a reader (which is not in a transaction, and may see the keys of a commit
 * land one by one) that finds every block its index names has a consistent snapshot, and one that finds a block
 * missing reads the index again.
 */
public final class EventMergeReceiver implements StreamReceiver<String, EventBlock> {
    private static final long serialVersionUID = 1L;

    private final int targetBlockSize;
    private final int tailSize;

    public EventMergeReceiver(int targetBlockSize, int tailSize) {
        if (targetBlockSize < 4) {
            throw new IllegalArgumentException("targetBlockSize must be at least 4, got " + targetBlockSize);
        }
        if (tailSize < 2 || tailSize > targetBlockSize) {
            throw new IllegalArgumentException("tailSize must be 2 to targetBlockSize (" + targetBlockSize + "), got "
                + tailSize);
        }
        this.targetBlockSize = targetBlockSize;
        this.tailSize = tailSize;
    }

    @Override
    public void receive(IgniteCache<String, EventBlock> cache, Collection<Map.Entry<String, EventBlock>> entries) {
        Ignite ignite = cache.unwrap(Ignite.class); // resource injection does not reach receivers run locally
        IgniteCache<EventKey, Object> events = ignite.cache(cache.getName());
        SortedMap<String, List<EventBlock>> byEntity = new TreeMap<>();
        for (Map.Entry<String, EventBlock> e : entries) {
            byEntity.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()); // arrival order kept
        }
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            mergeAll(events, byEntity, targetBlockSize, tailSize);
            tx.commit();
        }
    }

    /** One entity's work between reading its index and writing its blocks. */
    private static final class Plan {
        final String entity;
        final EntityIndex idx;
        final EventBlock in;          // deduplicated, sorted; null when nothing is new
        final long[] newHashes;
        final List<int[]> runs = new ArrayList<>(); // {position, from, to} into in, by target block

        Plan(String entity, EntityIndex idx, EventBlock in, long[] newHashes) {
            this.entity = entity;
            this.idx = idx;
            this.in = in;
            this.newHashes = newHashes;
        }
    }

    /** The merge itself, inside the caller's transaction: two getAll calls and one putAll for all entities. */
    static void mergeAll(IgniteCache<EventKey, Object> events, SortedMap<String, List<EventBlock>> byEntity, int target,
                         int tail) {
        mergeAll(events, byEntity, target, tail, 0);
    }

    /**
     * {@link #mergeAll(IgniteCache, SortedMap, int, int)} for a fold of a log run whose last sequence number is
     * {@code foldSeq} (0: not a fold): entities whose index says they already hold it are left alone (a fold done
     * again after a crash), and the others' indexes record it ({@link EntityIndex#foldedThrough()}), in the same
     * commit as their blocks.
     */
    static void mergeAll(IgniteCache<EventKey, Object> events, SortedMap<String, List<EventBlock>> byEntity, int target,
                         int tail, long foldSeq) {
        Set<EventKey> indexKeys = new TreeSet<>();
        for (String e : byEntity.keySet()) {
            indexKeys.add(EventKey.index(e));
        }
        Map<EventKey, Object> indexes = events.getAll(indexKeys);
        List<Plan> plans = new ArrayList<>();
        List<Plan> writesOfIndexOnly = new ArrayList<>();
        Set<EventKey> blockKeys = new TreeSet<>();
        for (Map.Entry<String, List<EventBlock>> e : byEntity.entrySet()) {
            EntityIndex idx = (EntityIndex) indexes.get(EventKey.index(e.getKey()));
            if (idx != null && idx.epoch == 0) {
                idx.epoch = EntityIndex.newEpoch(); // an index from before epochs gets one when next written
            }
            if (foldSeq > 0 && idx != null && idx.foldedThrough >= foldSeq) {
                continue; // folded before a crash cut this fold short
            }
            Plan p = prepare(e.getKey(), idx == null ? EntityIndex.fresh() : idx, e.getValue());
            if (foldSeq > 0) {
                p.idx.foldedThrough = foldSeq;
            }
            if (p.in == null) {
                if (foldSeq > 0 && idx != null) {
                    writesOfIndexOnly.add(p); // every event a duplicate: the index still records the fold
                }
                continue;
            }
            plans.add(p);
            for (int[] r : p.runs) {
                if (p.idx.blockId(r[0]) != EventKey.INLINE) {
                    blockKeys.add(new EventKey(p.entity, p.idx.blockId(r[0])));
                }
            }
            for (int pos : absorbedLikely(p, tail, target)) {
                blockKeys.add(new EventKey(p.entity, p.idx.blockId(pos)));
            }
        }
        Map<EventKey, Object> existing = blockKeys.isEmpty() ? Map.of() : events.getAll(blockKeys);
        Map<EventKey, Object> writes = new TreeMap<>();
        Set<EventKey> removes = new TreeSet<>();
        for (Plan p : writesOfIndexOnly) {
            writes.put(EventKey.index(p.entity), p.idx);
        }
        for (Plan p : plans) {
            apply(p, block -> {
                Object b = existing.get(block);
                return (EventBlock) (b != null ? b : events.get(block)); // a sealing that absorbs more than foreseen
            }, writes, removes, target, tail);
        }
        if (!writes.isEmpty()) {
            events.putAll(writes);
        }
        if (!removes.isEmpty()) {
            events.removeAll(removes);
        }
    }

    private static Plan prepare(String entity, EntityIndex idx, List<EventBlock> batches) {
        EventBlock incoming = batches.size() == 1 ? batches.get(0) : EventBlock.concatIncoming(batches);
        long[] newHashes = new long[0];
        if (incoming.hasIds()) {
            Set<Long> seen = new HashSet<>();
            int[] keep = new int[incoming.size()];
            int k = 0;
            for (int i = 0; i < incoming.size(); i++) {
                long h = incoming.idHash(i);
                if (h == 0 || (!idx.containsId(h) && seen.add(h))) {
                    keep[k++] = i;
                }
            }
            if (k < incoming.size()) {
                incoming = incoming.select(Arrays.copyOf(keep, k));
            }
            newHashes = seen.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        if (incoming.size() == 0) {
            return new Plan(entity, idx, null, newHashes);
        }
        Plan p = new Plan(entity, idx, incoming.sorted(), newHashes);
        if (idx.blockCount() > 0) {
            // Runs of the sorted batch by target block position (positions ascend with time).
            int from = 0;
            while (from < p.in.size()) {
                int pos = idx.blockFor(p.in.ts(from));
                int to = from + 1;
                while (to < p.in.size() && idx.blockFor(p.in.ts(to)) == pos) {
                    to++;
                }
                p.runs.add(new int[] {pos, from, to});
                from = to;
            }
        }
        return p;
    }

    /**
     * Positions of the sealed blocks a write of this plan will probably absorb (see {@link #settleEnd}), so that
     * they are read with the others; a sealing that absorbs other blocks reads them one by one.
     */
    private static int[] absorbedLikely(Plan p, int tail, int target) {
        int last = p.idx.blockCount() - 1;
        if (last < 1 || p.runs.isEmpty() || p.runs.get(p.runs.size() - 1)[0] != last) {
            return new int[0];
        }
        int[] run = p.runs.get(p.runs.size() - 1);
        int merged = p.idx.blockSize(last) + run[2] - run[1];
        if (merged <= tail) {
            return new int[0];
        }
        int floor = p.runs.size() > 1 ? p.runs.get(p.runs.size() - 2)[0] + 1 : 0;
        int from = absorbFrom(p.idx, floor, last, merged - tail / 2, target);
        int[] out = new int[last - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static void apply(Plan p, Function<EventKey, EventBlock> blocks, Map<EventKey, Object> writes,
                              Set<EventKey> removes, int target, int tail) {
        EntityIndex idx = p.idx;
        if (idx.blockCount() == 0) {
            // The slice drops the incoming event ids: the index keeps them.
            settleEnd(p.entity, idx, 0, 0, p.in.slice(0, p.in.size()), blocks, writes, removes, target, tail);
        } else {
            for (int r = p.runs.size() - 1; r >= 0; r--) { // from the back, so earlier positions stay valid
                int[] run = p.runs.get(r);
                int pos = run[0];
                boolean inline = idx.blockId(pos) == EventKey.INLINE;
                EventKey key = new EventKey(p.entity, idx.blockId(pos));
                EventBlock old = inline ? idx.inline : blocks.apply(key);
                if (old == null) {
                    throw new IllegalStateException("event block " + key + " listed in its index is missing");
                }
                if (inline && pos != idx.blockCount() - 1) {
                    throw new IllegalStateException("the inline block of " + p.entity + " is not its last");
                }
                EventBlock merged = old.merge(p.in.slice(run[1], run[2]));
                if (!inline) {
                    removes.add(key);
                }
                if (pos == idx.blockCount() - 1) {
                    int floor = r > 0 ? p.runs.get(r - 1)[0] + 1 : 0; // blocks that earlier runs write stay apart
                    settleEnd(p.entity, idx, floor, pos, merged, blocks, writes, removes, target, tail);
                } else { // a late event into a sealed block
                    writeParts(p.entity, idx, pos, pos + 1, merged.split(target), writes);
                }
            }
        }
        if (p.newHashes.length > 0) {
            idx.addIdHashes(p.newHashes);
        }
        writes.put(EventKey.index(p.entity), idx);
    }

    /**
     * Puts {@code merged}, the entity's newest events, in place of the blocks from position {@code pos} to the end
     * (none when the index is empty): its newest events as the inline tail, and when there are more than
     * {@code tail}, the rest sealed into a block together with the sealed blocks before it that are no bigger, while
     * the whole fits in {@code target}. Blocks before position {@code floor} are not absorbed.
     */
    private static void settleEnd(String entity, EntityIndex idx, int floor, int pos, EventBlock merged,
                                  Function<EventKey, EventBlock> blocks, Map<EventKey, Object> writes,
                                  Set<EventKey> removes, int target, int tail) {
        int n = merged.size();
        int cut = tailCut(merged, tail);
        if (cut == 0) { // it all fits in the tail, or it is one run of equal times
            if (n <= Math.max(tail, target)) {
                idx.setTail(pos, merged);
            } else {
                writeParts(entity, idx, pos, idx.blockCount(), List.of(merged), writes); // equal times: one block
                idx.inline = null;
            }
            return;
        }
        int from = absorbFrom(idx, floor, pos, cut, target);
        List<EventBlock> sealed = new ArrayList<>(pos - from + 1);
        for (int i = from; i < pos; i++) {
            EventKey key = new EventKey(entity, idx.blockId(i));
            EventBlock b = blocks.apply(key);
            if (b == null) {
                throw new IllegalStateException("event block " + key + " listed in its index is missing");
            }
            sealed.add(b);
            removes.add(key);
        }
        sealed.add(merged.slice(0, cut));
        EventBlock whole = EventBlock.concat(sealed);
        EventBlock newest = merged.slice(cut, n);
        writeParts(entity, idx, from, idx.blockCount(), whole.split(target), writes);
        idx.setTail(idx.blockCount(), newest);
    }

    /**
     * The first position whose block a newly sealed block of {@code size} events, going in at {@code pos}, absorbs:
     * the sealed blocks just before it that are no bigger than it so far, while the whole fits in {@code target}, and
     * none before {@code floor}. {@code pos} when it absorbs none.
     */
    private static int absorbFrom(EntityIndex idx, int floor, int pos, int size, int target) {
        int from = pos;
        while (from > floor && idx.blockId(from - 1) != EventKey.INLINE && idx.blockSize(from - 1) <= size
            && size + idx.blockSize(from - 1) <= target) {
            size += idx.blockSize(from - 1);
            from--;
        }
        return from;
    }

    /**
     * Where the tail of {@code merged} starts: 0 when it all stays inline (at most {@code tail} events, or no place
     * to cut), else the start of its newest {@code tail / 2} or so events, moved to a change of event time (events with
     * equal times live in one block).
     */
    private static int tailCut(EventBlock merged, int tail) {
        int n = merged.size();
        if (n <= tail) {
            return 0;
        }
        int keep = tail / 2;
        int cut = n - keep;
        while (cut > 0 && merged.ts(cut - 1) == merged.ts(cut)) {
            cut--;
        }
        if (cut == 0) {
            cut = n - keep;
            while (cut < n && merged.ts(cut - 1) == merged.ts(cut)) {
                cut++;
            }
            if (cut == n) {
                return 0;
            }
        }
        return cut;
    }

    /**
     * Writes {@code parts} as new blocks (new ids: a block is never rewritten in place) and puts them, with their
     * summaries, in the index in place of the blocks at positions {@code [from, to)}, all in the caller's commit.
     */
    private static void writeParts(String entity, EntityIndex idx, int from, int to, List<EventBlock> parts,
                                   Map<EventKey, Object> writes) {
        long[] starts = new long[parts.size()];
        long[] ids = new long[parts.size()];
        int[] sizes = new int[parts.size()];
        BlockStats[] stats = new BlockStats[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            starts[i] = parts.get(i).ts(0);
            ids[i] = idx.newBlockId();
            sizes[i] = parts.get(i).size();
            stats[i] = BlockStats.of(parts.get(i));
            writes.put(new EventKey(entity, ids[i]), parts.get(i));
        }
        idx.replace(from, to, starts, ids, sizes, stats);
    }
}

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
 * blocks their times fall in, split blocks that grew past twice the target size, write blocks and indexes. The
 * cache is FULL_SYNC, so when the streamer's flush returns, every event is on its primary and its backups.
 *
 * <p>Blocks are immutable: a changed block is written under a new id and the old one removed. The index is the
 * only thing that changes in place, so a reader (which is not in a transaction, and may see the keys of a commit
 * land one by one) that finds every block its index names has a consistent snapshot, and one that finds a block
 * missing reads the index again.
 */
public final class EventMergeReceiver implements StreamReceiver<String, EventBlock> {
    private static final long serialVersionUID = 1L;

    private final int targetBlockSize;

    public EventMergeReceiver(int targetBlockSize) {
        if (targetBlockSize < 4) {
            throw new IllegalArgumentException("targetBlockSize must be at least 4, got " + targetBlockSize);
        }
        this.targetBlockSize = targetBlockSize;
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
            mergeAll(events, byEntity, targetBlockSize);
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
    static void mergeAll(IgniteCache<EventKey, Object> events, SortedMap<String, List<EventBlock>> byEntity, int target) {
        Set<EventKey> indexKeys = new TreeSet<>();
        for (String e : byEntity.keySet()) {
            indexKeys.add(EventKey.index(e));
        }
        Map<EventKey, Object> indexes = events.getAll(indexKeys);
        List<Plan> plans = new ArrayList<>();
        Set<EventKey> blockKeys = new TreeSet<>();
        for (Map.Entry<String, List<EventBlock>> e : byEntity.entrySet()) {
            EntityIndex idx = (EntityIndex) indexes.get(EventKey.index(e.getKey()));
            if (idx != null && idx.epoch == 0) {
                idx.epoch = EntityIndex.newEpoch(); // an index from before epochs gets one when next written
            }
            Plan p = prepare(e.getKey(), idx == null ? EntityIndex.fresh() : idx, e.getValue());
            if (p.in == null) {
                continue;
            }
            plans.add(p);
            for (int[] r : p.runs) {
                if (p.idx.blockId(r[0]) != EventKey.INLINE) {
                    blockKeys.add(new EventKey(p.entity, p.idx.blockId(r[0])));
                }
            }
        }
        Map<EventKey, Object> existing = blockKeys.isEmpty() ? Map.of() : events.getAll(blockKeys);
        Map<EventKey, Object> writes = new TreeMap<>();
        Set<EventKey> removes = new TreeSet<>();
        for (Plan p : plans) {
            apply(p, existing, writes, removes, target);
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

    private static void apply(Plan p, Map<EventKey, Object> existing, Map<EventKey, Object> writes,
                              Set<EventKey> removes, int target) {
        EntityIndex idx = p.idx;
        if (idx.blockCount() == 0 && p.in.size() <= target) {
            idx.setInline(p.in.slice(0, p.in.size())); // the slice drops the incoming event ids: the index keeps them
        } else if (idx.blockCount() == 0) {
            idx.appendFirst(0, 0, 0, null); // one empty slot, which the parts replace
            writeParts(p.entity, idx, 0, p.in.split(target), writes);
        } else {
            for (int r = p.runs.size() - 1; r >= 0; r--) { // from the back, so earlier positions stay valid
                int[] run = p.runs.get(r);
                int pos = run[0];
                boolean inline = idx.blockId(pos) == EventKey.INLINE;
                EventKey key = new EventKey(p.entity, idx.blockId(pos));
                EventBlock old = inline ? idx.inline : (EventBlock) existing.get(key);
                if (old == null) {
                    throw new IllegalStateException("event block " + key + " listed in its index is missing");
                }
                EventBlock merged = old.merge(p.in.slice(run[1], run[2]));
                if (inline && merged.size() <= target) {
                    idx.setInline(merged);
                    continue;
                }
                writeParts(p.entity, idx, pos, inline || merged.size() > 2 * target ? merged.split(target) : List.of(merged),
                    writes);
                if (inline) {
                    idx.inline = null; // spilled into ordinary blocks
                } else {
                    removes.add(key);
                }
            }
        }
        if (p.newHashes.length > 0) {
            idx.addIdHashes(p.newHashes);
        }
        writes.put(EventKey.index(p.entity), idx);
    }

    /**
     * Writes {@code parts} as new blocks (new ids: a block is never rewritten in place) and puts them, with their
     * summaries, in the index in place of the block at {@code pos}, all in the caller's commit.
     */
    private static void writeParts(String entity, EntityIndex idx, int pos, List<EventBlock> parts,
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
        idx.replace(pos, starts, ids, sizes, stats);
    }
}

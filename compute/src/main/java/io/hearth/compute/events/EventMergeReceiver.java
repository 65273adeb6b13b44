package io.hearth.compute.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.stream.StreamReceiver;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;

/**
 * Applies batches of new events to an entity's block storage on the node that owns the entity. Streamed as
 * (entity key, unsorted {@link EventBlock} of new events). Per entity, one pessimistic transaction: lock the
 * {@link EntityIndex}, drop events whose id is already stored (idempotent replays), merge the rest into the
 * blocks their times fall in, split blocks that grew past twice the target size, write blocks and index. The
 * cache is FULL_SYNC, so when the streamer's flush returns, every event is on its primary and its backups.
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
        for (Map.Entry<String, EventBlock> e : entries) {
            try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
                TransactionIsolation.REPEATABLE_READ)) {
                merge(events, e.getKey(), e.getValue(), targetBlockSize);
                tx.commit();
            }
        }
    }

    /** The merge itself, inside the caller's transaction. Package-visible for tests. */
    static void merge(IgniteCache<EventKey, Object> events, String entity, EventBlock incoming, int target) {
        EventKey indexKey = EventKey.index(entity);
        EntityIndex idx = (EntityIndex) events.get(indexKey);
        if (idx == null) {
            idx = new EntityIndex();
        }
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
            return;
        }
        EventBlock in = incoming.sorted();
        Map<EventKey, Object> writes = new TreeMap<>();
        if (idx.blockCount() == 0) {
            List<EventBlock> parts = in.split(target);
            long[] starts = new long[parts.size()];
            long[] ids = new long[parts.size()];
            int[] sizes = new int[parts.size()];
            for (int p = 0; p < parts.size(); p++) {
                starts[p] = parts.get(p).ts(0);
                ids[p] = idx.nextBlockId++;
                sizes[p] = parts.get(p).size();
                writes.put(new EventKey(entity, ids[p]), parts.get(p));
            }
            idx.appendFirst(starts[0], ids[0], sizes[0]);
            if (parts.size() > 1) {
                idx.replace(0, starts, ids, sizes);
            }
        } else {
            // Runs of the sorted batch by target block position (positions ascend with time).
            List<int[]> runs = new ArrayList<>(); // {position, from, to}
            int from = 0;
            while (from < in.size()) {
                int pos = idx.blockFor(in.ts(from));
                int to = from + 1;
                while (to < in.size() && idx.blockFor(in.ts(to)) == pos) {
                    to++;
                }
                runs.add(new int[] {pos, from, to});
                from = to;
            }
            Set<EventKey> keys = new TreeSet<>();
            for (int[] r : runs) {
                keys.add(new EventKey(entity, idx.blockId(r[0])));
            }
            Map<EventKey, Object> existing = events.getAll(keys);
            for (int r = runs.size() - 1; r >= 0; r--) { // from the back, so earlier positions stay valid
                int[] run = runs.get(r);
                int pos = run[0];
                EventKey key = new EventKey(entity, idx.blockId(pos));
                EventBlock old = (EventBlock) existing.get(key);
                if (old == null) {
                    throw new IllegalStateException("event block " + key + " listed in its index is missing");
                }
                EventBlock merged = old.merge(in.slice(run[1], run[2]));
                List<EventBlock> parts = merged.size() > 2 * target ? merged.split(target) : List.of(merged);
                long[] starts = new long[parts.size()];
                long[] ids = new long[parts.size()];
                int[] sizes = new int[parts.size()];
                for (int p = 0; p < parts.size(); p++) {
                    starts[p] = parts.get(p).ts(0);
                    ids[p] = p == 0 ? idx.blockId(pos) : idx.nextBlockId++;
                    sizes[p] = parts.get(p).size();
                    writes.put(new EventKey(entity, ids[p]), parts.get(p));
                }
                idx.replace(pos, starts, ids, sizes);
            }
        }
        if (newHashes.length > 0) {
            idx.addIdHashes(newHashes);
        }
        writes.put(indexKey, idx);
        events.putAll(writes);
    }
}

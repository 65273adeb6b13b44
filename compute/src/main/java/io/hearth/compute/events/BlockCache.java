package io.hearth.compute.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deserialized event blocks kept by a reader (a gateway) between lookups, least recently used out first, bounded by
 * the number of events held. Safe without invalidation because a stored block never changes: a changed block is
 * written under a new id ({@link EventMergeReceiver}), ids only grow, and the key carries the index's random
 * {@link EntityIndex#epoch()} so that an index created anew (after lost partitions were reset, or a source's cache
 * was dropped and recreated) never meets the blocks of its predecessor. Indexes are never cached: every read still
 * starts from the current index, so a cached block is only used when the current index names it.
 */
public final class BlockCache {
    /** Key of a cached block: events cache, entity, index epoch, block id. */
    record Key(String cache, String entity, long epoch, long block) {
        @Override
        public boolean equals(Object o) { // written out: the generated methods go through method handles
            return o instanceof Key k && k.block == block && k.epoch == epoch && k.entity.equals(entity)
                && k.cache.equals(cache);
        }

        @Override
        public int hashCode() {
            return (entity.hashCode() * 31 + Long.hashCode(block)) * 31 + Long.hashCode(epoch);
        }
    }

    private final long maxEvents;
    private long events;
    private long hits;
    private long misses;
    private final LinkedHashMap<Key, EventBlock> map = new LinkedHashMap<>(256, 0.75f, true);

    /** @param maxEvents how many events the cached blocks may hold in all; 0 disables the cache */
    public BlockCache(long maxEvents) {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must be 0 (off) or positive, got " + maxEvents);
        }
        this.maxEvents = maxEvents;
    }

    boolean enabled() {
        return maxEvents > 0;
    }

    synchronized EventBlock get(Key k) {
        EventBlock b = map.get(k);
        if (b == null) {
            misses++;
        } else {
            hits++;
        }
        return b;
    }

    synchronized void put(Key k, EventBlock b) {
        if (b.size() > maxEvents / 4) {
            return; // one block never takes most of the cache
        }
        EventBlock old = map.put(k, b);
        events += b.size() - (old == null ? 0 : old.size());
        var it = map.entrySet().iterator();
        while (events > maxEvents && it.hasNext()) {
            Map.Entry<Key, EventBlock> e = it.next();
            events -= e.getValue().size();
            it.remove();
        }
    }

    /** {hits, misses, cached events}, for metrics. */
    public synchronized long[] counts() {
        return new long[] {hits, misses, events};
    }
}

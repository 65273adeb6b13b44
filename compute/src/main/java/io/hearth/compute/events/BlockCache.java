package io.hearth.compute.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deserialized event blocks kept by a reader (a gateway) between lookups, least recently used out first, bounded by
 * the number of events held. Safe without invalidation because a stored block never changes: a changed block is
 * written under a new id ({@link EventMergeReceiver}), ids only grow, and the key carries the index's random
 * {@link EntityIndex#epoch()} so that an index created anew (after lost partitions were reset, or a source's cache
 * was dropped and recreated) never meets the blocks of its predecessor. A cached block is only used when the index
 * a read starts from names it: the current index, or one {@link IndexMemo} kept under its partition's index
 * generation, which says when it stops being current. Chunks of a log ({@link RunChunk}) are kept the same way, by
 * run id (random, never reused) and chunk: a read uses one only when the manifest it just read names it.
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
    private final LinkedHashMap<Key, Object> map = new LinkedHashMap<>(256, 0.75f, true);
    private final IndexMemo.Store indexes;

    /**
     * Bytes of decoded indexes the readers of a block cache may keep by default ({@link IndexMemo}): an eighth of the
     * heap, or {@code -Dhearth.lookup.kept-index-bytes}.
     */
    public static final long KEPT_INDEX_BYTES = Long.getLong("hearth.lookup.kept-index-bytes",
        Runtime.getRuntime().maxMemory() / 8);

    /** @param maxEvents how many events the cached blocks may hold in all; 0 disables the cache */
    public BlockCache(long maxEvents) {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must be 0 (off) or positive, got " + maxEvents);
        }
        this.maxEvents = maxEvents;
        this.indexes = new IndexMemo.Store(maxEvents > 0 ? KEPT_INDEX_BYTES : 0);
    }

    /** The indexes readers keep beside the blocks (only where the block cache is on). */
    IndexMemo.Store indexes() {
        return indexes;
    }

    boolean enabled() {
        return maxEvents > 0;
    }

    synchronized EventBlock get(Key k) {
        return (EventBlock) lookUp(k);
    }

    synchronized RunChunk getChunk(Key k) {
        return (RunChunk) lookUp(k);
    }

    private Object lookUp(Key k) {
        Object b = map.get(k);
        if (b == null) {
            misses++;
        } else {
            hits++;
        }
        return b;
    }

    private static int weight(Object v) {
        return v instanceof EventBlock b ? b.size() : ((RunChunk) v).eventCount();
    }

    synchronized void put(Key k, EventBlock b) {
        keep(k, b);
    }

    synchronized void putChunk(Key k, RunChunk c) {
        keep(k, c);
    }

    private void keep(Key k, Object v) {
        int w = weight(v);
        if (w > maxEvents / 4) {
            return; // one block never takes most of the cache
        }
        Object old = map.put(k, v);
        events += w - (old == null ? 0 : weight(old));
        var it = map.entrySet().iterator();
        while (events > maxEvents && it.hasNext()) {
            Map.Entry<Key, Object> e = it.next();
            events -= weight(e.getValue());
            it.remove();
        }
    }

    /** {hits, misses, cached events}, for metrics. */
    public synchronized long[] counts() {
        return new long[] {hits, misses, events};
    }

    /** Of the kept indexes ({@link IndexMemo}): {hits, misses, estimated bytes}. */
    public long[] indexCounts() {
        return indexes.counts();
    }
}

package io.hearth.node;

import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.EventMergeReceiver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteDataStreamer;

/**
 * Writes and reads events in their per-entity block layout. Writes go through a data streamer to
 * {@link EventMergeReceiver} on the owning node; reads fetch indexes then only the blocks a time range needs,
 * one {@code getAll} each.
 */
public final class EventStore {
    /** Events per block a split aims at: ~8 KB of timestamps, few enough cache entries to scan fast. */
    public static final int TARGET_BLOCK_SIZE = 1024;

    private final Ignite ignite;

    public EventStore(Ignite ignite) {
        this.ignite = ignite;
    }

    /** The events of one entity at or before a time, as far back as a read asked for. */
    public record EntityEvents(EntityIndex index, EventBlock events) {
        /** Whether the entity has any event at or before {@code t}. */
        public boolean anyAtOrBefore(long t) {
            return index != null && index.earliest() <= t;
        }
    }

    /**
     * Writes new events (per entity, in arrival order) and returns once every one is durable on its primary and
     * backup. Events whose id is already stored are skipped, so replays are harmless.
     */
    public void write(String source, Map<String, EventBlock> byEntity) {
        if (byEntity.isEmpty()) {
            return;
        }
        try (IgniteDataStreamer<String, EventBlock> streamer = ignite.dataStreamer(CacheLayout.eventsCache(source))) {
            streamer.allowOverwrite(true);
            streamer.receiver(new EventMergeReceiver(TARGET_BLOCK_SIZE));
            streamer.perNodeBufferSize(1024); // entities per receiver call, i.e. per transaction
            byEntity.forEach(streamer::addData);
            streamer.flush();
        }
    }

    /** Attempts at a consistent read before giving up: a writer commits within milliseconds. */
    static final int READ_ATTEMPTS = 20;

    /**
     * Each entity's events with {@code lo <= ts <= hi} (plus the rest of the blocks that hold them). Blocks are
     * immutable and the index names them, so finding every named block means a consistent snapshot; an entity
     * whose index names a block already replaced by a concurrent write is read again.
     */
    public Map<String, EntityEvents> read(String source, Collection<String> entities, long lo, long hi) {
        IgniteCache<EventKey, Object> cache = ignite.cache(CacheLayout.eventsCache(source));
        Map<String, EntityEvents> out = new HashMap<>();
        if (cache == null || entities.isEmpty()) {
            return out;
        }
        Set<String> pending = new HashSet<>(entities);
        for (int attempt = 0; attempt < READ_ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                // The keys of a commit land one by one: give it time, 0.1 ms doubling up to 50 ms (about 1 s in all).
                LockSupport.parkNanos(Math.min(50_000_000L, 100_000L << Math.min(attempt - 1, 20)));
            }
            pending = readOnce(cache, pending, lo, hi, out);
        }
        if (!pending.isEmpty()) {
            throw new IllegalStateException("could not read a consistent snapshot of " + pending.size() + " entities of "
                + source + " (e.g. " + pending.iterator().next() + ") while they were being written; retry");
        }
        return out;
    }

    /** Reads what it can into {@code out}; returns the entities to read again. */
    private static Set<String> readOnce(IgniteCache<EventKey, Object> cache, Set<String> entities, long lo, long hi,
                                        Map<String, EntityEvents> out) {
        Set<EventKey> indexKeys = new HashSet<>();
        for (String e : entities) {
            indexKeys.add(EventKey.index(e));
        }
        Map<EventKey, Object> indexes = cache.getAll(indexKeys);
        Set<EventKey> blockKeys = new HashSet<>();
        Map<String, List<EventKey>> wanted = new HashMap<>();
        for (Map.Entry<EventKey, Object> e : indexes.entrySet()) {
            EntityIndex idx = (EntityIndex) e.getValue();
            List<EventKey> keys = new ArrayList<>();
            for (int pos : idx.blocksOverlapping(lo, hi)) {
                keys.add(new EventKey(e.getKey().entity(), idx.blockId(pos)));
            }
            blockKeys.addAll(keys);
            wanted.put(e.getKey().entity(), keys);
        }
        Map<EventKey, Object> blocks = blockKeys.isEmpty() ? Map.of() : cache.getAll(blockKeys);
        Set<String> retry = new HashSet<>();
        for (Map.Entry<EventKey, Object> e : indexes.entrySet()) {
            String entity = e.getKey().entity();
            List<EventBlock> parts = new ArrayList<>();
            for (EventKey k : wanted.get(entity)) {
                EventBlock b = (EventBlock) blocks.get(k);
                if (b == null) {
                    retry.add(entity);
                    break;
                }
                parts.add(b);
            }
            if (!retry.contains(entity)) {
                out.put(entity, new EntityEvents((EntityIndex) e.getValue(), parts.isEmpty() ? null : EventBlock.concat(parts)));
            }
        }
        return retry;
    }

    /** Number of stored events of an entity (from its index). */
    public long count(String source, String entity) {
        IgniteCache<EventKey, Object> cache = ignite.cache(CacheLayout.eventsCache(source));
        EntityIndex idx = cache == null ? null : (EntityIndex) cache.get(EventKey.index(entity));
        return idx == null ? 0 : idx.eventCount();
    }
}

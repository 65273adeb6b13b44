package io.hearth.node.store;

import io.hearth.node.CacheLayout;

import io.hearth.compute.events.BlockCache;
import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.EventMergeReceiver;
import io.hearth.compute.events.EventReads;
import io.hearth.compute.events.EventReads.EntityEvents;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteDataStreamer;
import org.apache.ignite.lang.IgniteFuture;

/**
 * Writes and reads events in their per-entity block layout. Writes go through a data streamer to
 * {@link EventMergeReceiver} on the owning node; reads fetch indexes then only the blocks a time range needs,
 * one {@code getAll} each.
 */
public final class EventStore {
    /** Events per block a split aims at: ~8 KB of timestamps, few enough cache entries to scan fast. */
    public static final int TARGET_BLOCK_SIZE = 1024;

    /** Newest events an entity keeps inline in its index, rewritten by every write of the entity: small (0013). */
    public static final int TAIL_SIZE = 256;

    private final Ignite ignite;
    private final Map<String, IgniteDataStreamer<String, EventBlock>> streamers = new java.util.concurrent.ConcurrentHashMap<>();

    /** Events the lookup block cache holds by default: about 20–60 MB of heap depending on the columns. */
    public static final long DEFAULT_CACHED_EVENTS = 262_144;

    private final BlockCache blocks;

    public EventStore(Ignite ignite) {
        this(ignite, DEFAULT_CACHED_EVENTS);
    }

    /** @param cachedEvents how many events of stored blocks lookups keep deserialized ({@link BlockCache}); 0: none */
    public EventStore(Ignite ignite, long cachedEvents) {
        this.ignite = ignite;
        this.blocks = new BlockCache(cachedEvents);
    }

    /** The cache of deserialized blocks that reads share. */
    public BlockCache blockCache() {
        return blocks;
    }

    /**
     * Writes new events (per entity, in arrival order) and returns once every one is durable on its primary and
     * backup. Events whose id is already stored are skipped, so replays are harmless.
     */
    public void write(String source, Map<String, EventBlock> byEntity) {
        if (byEntity.isEmpty()) {
            return;
        }
        // One streamer per source, shared by every writer: opening one per batch cost milliseconds per write. Each
        // writer waits for its own entries' future, so a failure is reported to the writer whose data failed.
        IgniteDataStreamer<String, EventBlock> streamer = streamers.computeIfAbsent(source, this::open);
        try {
            IgniteFuture<?> done = streamer.addData(byEntity);
            streamer.flush();
            done.get();
        } catch (RuntimeException e) {
            if (streamers.remove(source, streamer)) { // a failed streamer may be closed for good: the next write opens anew
                try {
                    streamer.close(true);
                } catch (RuntimeException ignored) {
                    // already broken
                }
            }
            throw e;
        }
    }

    private IgniteDataStreamer<String, EventBlock> open(String source) {
        IgniteDataStreamer<String, EventBlock> streamer = ignite.dataStreamer(CacheLayout.eventsCache(source));
        streamer.allowOverwrite(true);
        streamer.receiver(new EventMergeReceiver(TARGET_BLOCK_SIZE, TAIL_SIZE));
        streamer.perNodeBufferSize(1024); // entities per receiver call, i.e. per transaction
        streamer.autoFlushFrequency(0); // writers flush: an acknowledgement waits for durability, not a timer
        return streamer;
    }

    /** Closes the streamers (pending data is flushed). */
    public void close() {
        for (String s : streamers.keySet()) {
            IgniteDataStreamer<String, EventBlock> st = streamers.remove(s);
            if (st != null) {
                try {
                    st.close();
                } catch (RuntimeException e) {
                    // the grid is going away
                }
            }
        }
    }

    /**
     * Each entity's events with {@code lo <= ts <= hi} (plus the rest of the blocks that hold them), read as a
     * consistent snapshot per entity: see {@link EventReads}.
     */
    public Map<String, EntityEvents> read(String source, Collection<String> entities, long lo, long hi) {
        return read(source, null, entities, lo, hi);
    }

    /** {@link #read(String, Collection, long, long)} with each block conformed to {@code schema} before blocks are joined. */
    public Map<String, EntityEvents> read(String source, Map<String, io.hearth.catalog.ColumnType> schema,
                                          Collection<String> entities, long lo, long hi) {
        IgniteCache<EventKey, Object> cache = ignite.cache(CacheLayout.eventsCache(source));
        if (cache == null) {
            return new HashMap<>();
        }
        return EventReads.read(cache, source, entities, lo, hi, schema, blocks);
    }

    /**
     * Each entity's index and the blocks holding the given times, for lookups that take the blocks between from
     * their summaries: see {@link EventReads#readBlocksAt}.
     */
    public Map<String, EntityEvents> readBlocksAt(String source, Collection<String> entities, long[] times) {
        IgniteCache<EventKey, Object> cache = ignite.cache(CacheLayout.eventsCache(source));
        if (cache == null) {
            return new HashMap<>();
        }
        return EventReads.readBlocksAt(cache, source, entities, times, blocks);
    }

    /** Number of stored events of an entity (from its index). */
    public long count(String source, String entity) {
        IgniteCache<EventKey, Object> cache = ignite.cache(CacheLayout.eventsCache(source));
        EntityIndex idx = cache == null ? null : (EntityIndex) cache.get(EventKey.index(entity));
        return idx == null ? 0 : idx.eventCount();
    }
}

package io.hearth.node.store;

import io.hearth.node.CacheLayout;

import io.hearth.compute.events.BlockCache;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.EventReads;
import io.hearth.compute.events.EventReads.EntityEvents;
import io.hearth.compute.events.LogKey;
import io.hearth.compute.events.LogPartitions;
import io.hearth.compute.events.LogReceiver;
import io.hearth.compute.events.Places;
import io.hearth.compute.events.RunChunk;
import io.hearth.compute.events.SourceCaches;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteDataStreamer;
import org.apache.ignite.lang.IgniteFuture;

/**
 * Writes and reads events. Writes append to the source's log: a data streamer sends each partition's share of a
 * batch as one delta to {@link LogReceiver} on the partition's primary, which stores and publishes it without
 * reading or rewriting any entity; the node's {@code LogFolder} folds the log into the entities' blocks in the
 * background. Reads take the folded blocks a time range needs and the entity's unfolded events from the log, merged
 * ({@link EventReads}), a few {@code getAll} calls whatever the number of entities.
 */
public final class EventStore {
    /** Events per block a split aims at: ~8 KB of timestamps, few enough cache entries to scan fast. */
    public static final int TARGET_BLOCK_SIZE = 1024;

    /** Newest events an entity keeps inline in its index, rewritten by every fold of the entity: small (0013). */
    public static final int TAIL_SIZE = 256;

    private final Ignite ignite;
    private final Map<String, IgniteDataStreamer<LogKey, RunChunk>> streamers = new java.util.concurrent.ConcurrentHashMap<>();

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

    /** {@link #write(String, Map, Places)} of events that carry no places. */
    public void write(String source, Map<String, EventBlock> byEntity) {
        write(source, byEntity, null);
    }

    /**
     * Writes new events (per entity, in arrival order) and returns once every one is durable on its primary and
     * backup. Events whose id is already stored are not stored again (dropped when folded, and by readers before),
     * and events whose place ({@code places}, when not null) a partition has applied are dropped at once, so
     * replays are harmless.
     */
    public void write(String source, Map<String, EventBlock> byEntity, Places places) {
        if (byEntity.isEmpty()) {
            return;
        }
        LogPartitions lp = partitions(source);
        Map<Integer, Map<String, EventBlock>> byPartition = new HashMap<>();
        for (Map.Entry<String, EventBlock> e : byEntity.entrySet()) {
            byPartition.computeIfAbsent(lp.partitionOf(e.getKey()), k -> new HashMap<>()).put(e.getKey(), e.getValue());
        }
        Map<LogKey, RunChunk> deltas = new HashMap<>();
        byPartition.forEach((p, entities) -> deltas.put(new LogKey(lp.anchor(p), LogReceiver.newRunId(), 0),
            RunChunk.of(entities, places == null ? null : places.forEntities(List.copyOf(entities.keySet())))));
        // One streamer per source, shared by every writer: opening one per batch cost milliseconds per write. Each
        // writer waits for its own entries' future, so a failure is reported to the writer whose data failed.
        IgniteDataStreamer<LogKey, RunChunk> streamer = streamers.computeIfAbsent(source, this::open);
        try {
            IgniteFuture<?> done = streamer.addData(deltas);
            streamer.flush();
            done.get();
        } catch (RuntimeException e) {
            LogPartitions.forget(ignite, CacheLayout.logCache(source)); // the cache may have gone: map it anew
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

    private LogPartitions partitions(String source) {
        if (ignite.cache(CacheLayout.logCache(source)) == null) {
            throw new IllegalStateException("source " + source + " has no log cache (" + CacheLayout.logCache(source)
                + "): its definitions were not applied, or the cache was destroyed");
        }
        return LogPartitions.of(ignite, CacheLayout.logCache(source));
    }

    private IgniteDataStreamer<LogKey, RunChunk> open(String source) {
        IgniteDataStreamer<LogKey, RunChunk> streamer = ignite.dataStreamer(CacheLayout.logCache(source));
        streamer.allowOverwrite(true);
        streamer.receiver(new LogReceiver());
        streamer.perNodeBufferSize(CacheLayout.EVENT_PARTITIONS); // a batch's deltas to a node in one receiver call
        streamer.autoFlushFrequency(0); // writers flush: an acknowledgement waits for durability, not a timer
        return streamer;
    }

    /** Closes the streamers (pending data is flushed). */
    public void close() {
        for (String s : streamers.keySet()) {
            IgniteDataStreamer<LogKey, RunChunk> st = streamers.remove(s);
            if (st != null) {
                try {
                    st.close();
                } catch (RuntimeException e) {
                    // the grid is going away
                }
            }
        }
    }

    /** The source's caches as readers see them (null when the source has never been created). */
    private SourceCaches caches(String source) {
        IgniteCache<EventKey, Object> events = ignite.cache(CacheLayout.eventsCache(source));
        if (events == null) {
            return null;
        }
        IgniteCache<LogKey, Object> log = ignite.cache(CacheLayout.logCache(source));
        return log == null ? SourceCaches.foldedOnly(events)
            : new SourceCaches(events, log, LogPartitions.of(ignite, CacheLayout.logCache(source)));
    }

    /**
     * Each entity's events with {@code lo <= ts <= hi} (plus the rest of the blocks that hold them, and its unfolded
     * events), read as a consistent snapshot per entity: see {@link EventReads}.
     */
    public Map<String, EntityEvents> read(String source, Collection<String> entities, long lo, long hi) {
        return read(source, null, entities, lo, hi);
    }

    /** {@link #read(String, Collection, long, long)} with each block conformed to {@code schema} before blocks are joined. */
    public Map<String, EntityEvents> read(String source, Map<String, io.hearth.catalog.ColumnType> schema,
                                          Collection<String> entities, long lo, long hi) {
        SourceCaches c = caches(source);
        return c == null ? new HashMap<>() : EventReads.read(c, source, entities, lo, hi, schema, blocks);
    }

    /**
     * Each entity's index and the blocks holding the given times, for lookups that take the blocks between from
     * their summaries: see {@link EventReads#readBlocksAt}.
     */
    public Map<String, EntityEvents> readBlocksAt(String source, Collection<String> entities, long[] times) {
        SourceCaches c = caches(source);
        return c == null ? new HashMap<>() : EventReads.readBlocksAt(c, source, entities, times, blocks);
    }

    /**
     * {@link #readBlocksAt(String, Collection, long[])}, reading an entity that may have unfolded events as
     * {@link #read} reads {@code [lo, hi]} instead, in the same calls.
     */
    public Map<String, EntityEvents> readBlocksAt(String source, Map<String, io.hearth.catalog.ColumnType> schema,
                                                  Collection<String> entities, long[] times, long lo, long hi) {
        SourceCaches c = caches(source);
        return c == null ? new HashMap<>() : EventReads.readBlocksAt(c, source, schema, entities, times, lo, hi, blocks);
    }

    /**
     * Whether this node is a server holding the primary copy of every one of {@code entities}' events in
     * {@code source}, so that reading them waits for no other node (the read may still touch disk pages).
     */
    public boolean primaryHere(String source, Collection<String> entities) {
        org.apache.ignite.cluster.ClusterNode local = ignite.cluster().localNode();
        if (local.isClient() || ignite.cache(CacheLayout.eventsCache(source)) == null) {
            return false;
        }
        // By the entity itself: it is its keys' affinity key, so it maps to their partition, and as a plain string it
        // is hashed as it is, where a key would first be marshalled to find its affinity field.
        org.apache.ignite.cache.affinity.Affinity<Object> affinity = ignite.affinity(CacheLayout.eventsCache(source));
        for (String e : entities) {
            if (!affinity.isPrimary(local, e)) {
                return false;
            }
        }
        return true;
    }

    /** Number of stored events of an entity, folded or not. */
    public long count(String source, String entity) {
        EntityEvents ev = read(source, List.of(entity), Long.MIN_VALUE + 1, Long.MAX_VALUE).get(entity);
        return ev == null || ev.events() == null ? 0 : ev.events().size();
    }
}

package io.hearth.compute.events;

import io.hearth.catalog.ColumnType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import javax.cache.Cache;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;

/**
 * Reads entities' events as a consistent snapshot per entity, from any grid member (local reads when the caller
 * runs on the entity's primary). Blocks are immutable and the index names them (see
 * {@link EventMergeReceiver}): finding every named block means a consistent snapshot; an entity whose index names
 * a block that a concurrent commit already replaced is read again.
 */
public final class EventReads {
    /** Attempts at a consistent read before giving up: a writer commits within milliseconds. */
    static final int ATTEMPTS = 20;

    private EventReads() {
    }

    /**
     * The events of one entity, as far back as a read asked for; {@code events} is null when there are none.
     * When a read asked for the blocks at given times rather than a time range, {@code events} is null and
     * {@code blocks} holds the blocks read (in time order) with their index {@code positions}; both are null otherwise.
     */
    public record EntityEvents(EntityIndex index, EventBlock events, int[] positions, EventBlock[] blocks) {
        public EntityEvents(EntityIndex index, EventBlock events) {
            this(index, events, null, null);
        }

        /** Whether the entity has any event at or before {@code t}. */
        public boolean anyAtOrBefore(long t) {
            return index != null && index.earliest() <= t;
        }
    }

    /** Each entity's events with {@code lo <= ts <= hi}, plus the rest of the blocks that hold them. */
    public static Map<String, EntityEvents> read(IgniteCache<EventKey, Object> cache, String source,
                                                 Collection<String> entities, long lo, long hi) {
        return read(cache, source, entities, lo, hi, null, null);
    }

    /**
     * {@link #read(IgniteCache, String, Collection, long, long)}, with each block conformed to {@code schema} (when
     * not null) before blocks are joined ({@link EventBlock#conformTo}), taking blocks from and keeping them in
     * {@code blocks} (when not null).
     */
    public static Map<String, EntityEvents> read(IgniteCache<EventKey, Object> cache, String source,
                                                 Collection<String> entities, long lo, long hi,
                                                 Map<String, ColumnType> schema, BlockCache blocks) {
        return read(cache, source, entities, idx -> idx.blocksOverlapping(lo, hi), false, blocks, schema);
    }

    /**
     * Each entity's index and the blocks that hold the given times (one block per time, fewer when times share a
     * block), in time order: what a lookup reads when window summaries stand in for the blocks between.
     */
    public static Map<String, EntityEvents> readBlocksAt(IgniteCache<EventKey, Object> cache, String source,
                                                         Collection<String> entities, long[] times, BlockCache blocks) {
        return read(cache, source, entities, idx -> blocksAt(idx, times), true, blocks, null);
    }

    /** Distinct positions of the blocks holding the given times, ascending. */
    static int[] blocksAt(EntityIndex idx, long[] times) {
        if (idx.blockCount() == 0) {
            return new int[0];
        }
        int[] pos = new int[times.length];
        for (int i = 0; i < times.length; i++) {
            pos[i] = idx.blockFor(times[i]);
        }
        Arrays.sort(pos);
        int k = 0;
        for (int i = 0; i < pos.length; i++) {
            if (k == 0 || pos[i] != pos[k - 1]) {
                pos[k++] = pos[i];
            }
        }
        return Arrays.copyOf(pos, k);
    }

    private static Map<String, EntityEvents> read(IgniteCache<EventKey, Object> cache, String source,
                                                  Collection<String> entities, Function<EntityIndex, int[]> blocks,
                                                  boolean keepPositions, BlockCache blockCache,
                                                  Map<String, ColumnType> schema) {
        Map<String, EntityEvents> out = new HashMap<>();
        if (entities.isEmpty()) {
            return out;
        }
        Set<String> pending = new HashSet<>(entities);
        for (int attempt = 0; attempt < ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                // The keys of a commit land one by one: give it time, 0.1 ms doubling up to 50 ms (about 1 s in all).
                LockSupport.parkNanos(Math.min(50_000_000L, 100_000L << Math.min(attempt - 1, 20)));
            }
            pending = readOnce(cache, pending, blocks, keepPositions, blockCache, schema, out);
        }
        if (!pending.isEmpty()) {
            throw new io.hearth.catalog.HearthException(io.hearth.catalog.ErrorCode.GRID_SNAPSHOT, null, null, "could not read a consistent snapshot of "
                + pending.size() + " entities of " + source + " (e.g. " + pending.iterator().next()
                + ") while they were being written; retry", true, null);
        }
        return out;
    }

    /**
     * The same result as {@link #read} for the {@code wanted} entities of some local partitions, by scanning the
     * partitions instead of looking keys up: cheaper when the wanted entities are most of what the partitions hold
     * (a training join over a large spine). Only values of wanted entities are deserialized. An entity whose
     * index names a block the scan did not see (a concurrent write) is read again with {@link #read}.
     */
    public static Map<String, EntityEvents> scan(IgniteCache<EventKey, Object> cache, String source, int[] partitions,
                                                 Set<String> wanted, long lo, long hi, Map<String, ColumnType> schema) {
        IgniteCache<Object, Object> bin = cache.withKeepBinary();
        Map<String, EntityIndex> indexes = new HashMap<>();
        Map<String, Map<Long, BinaryObject>> blocks = new HashMap<>();
        for (int p : partitions) {
            try (QueryCursor<Cache.Entry<Object, Object>> cur = bin.query(new ScanQuery<>().setPartition(p).setLocal(true))) {
                for (Cache.Entry<Object, Object> e : cur) {
                    BinaryObject k = (BinaryObject) e.getKey();
                    String entity = k.field("entity");
                    if (!wanted.contains(entity)) {
                        continue;
                    }
                    long block = k.field("block");
                    if (block == EventKey.INDEX) {
                        indexes.put(entity, ((BinaryObject) e.getValue()).deserialize());
                    } else {
                        blocks.computeIfAbsent(entity, x -> new HashMap<>()).put(block, (BinaryObject) e.getValue());
                    }
                }
            }
        }
        Map<String, EntityEvents> out = new HashMap<>();
        Set<String> again = new HashSet<>();
        for (Map.Entry<String, EntityIndex> e : indexes.entrySet()) {
            EntityIndex idx = e.getValue();
            Map<Long, BinaryObject> mine = blocks.getOrDefault(e.getKey(), Map.of());
            List<EventBlock> parts = new ArrayList<>();
            for (int pos : idx.blocksOverlapping(lo, hi)) {
                if (idx.blockId(pos) == EventKey.INLINE) {
                    parts.add(idx.inline());
                    continue;
                }
                BinaryObject b = mine.get(idx.blockId(pos));
                if (b == null) {
                    again.add(e.getKey());
                    break;
                }
                parts.add(b.deserialize());
            }
            if (!again.contains(e.getKey())) {
                out.put(e.getKey(), new EntityEvents(idx, parts.isEmpty() ? null : EventBlock.concat(conform(parts, schema))));
            }
        }
        for (String entity : blocks.keySet()) {
            if (!indexes.containsKey(entity)) {
                again.add(entity); // blocks of a first write whose index the scan missed
            }
        }
        if (!again.isEmpty()) {
            out.putAll(read(cache, source, again, lo, hi, schema, null));
        }
        return out;
    }

    private static List<EventBlock> conform(List<EventBlock> parts, Map<String, ColumnType> schema) {
        if (schema == null) {
            return parts;
        }
        List<EventBlock> out = new ArrayList<>(parts.size());
        for (EventBlock b : parts) {
            out.add(b.conformTo(schema));
        }
        return out;
    }

    private static BlockCache.Key cacheKey(IgniteCache<EventKey, Object> cache, EntityIndex idx, EventKey k) {
        return new BlockCache.Key(cache.getName(), k.entity(), idx.epoch(), k.block());
    }

    /** Reads what it can into {@code out}; returns the entities to read again. */
    private static Set<String> readOnce(IgniteCache<EventKey, Object> cache, Set<String> entities,
                                        Function<EntityIndex, int[]> blocks, boolean keepPositions,
                                        BlockCache blockCache, Map<String, ColumnType> schema,
                                        Map<String, EntityEvents> out) {
        boolean caching = blockCache != null && blockCache.enabled();
        Map<EventKey, EventBlock> cached = caching ? new HashMap<>() : Map.of();
        Set<EventKey> indexKeys = new HashSet<>();
        for (String e : entities) {
            indexKeys.add(EventKey.index(e));
        }
        Map<EventKey, Object> indexes = cache.getAll(indexKeys);
        Set<EventKey> blockKeys = new HashSet<>();
        Map<String, int[]> wanted = new HashMap<>();
        for (Map.Entry<EventKey, Object> e : indexes.entrySet()) {
            EntityIndex idx = (EntityIndex) e.getValue();
            int[] positions = blocks.apply(idx);
            for (int pos : positions) {
                if (idx.blockId(pos) == EventKey.INLINE) {
                    continue;
                }
                EventKey k = new EventKey(e.getKey().entity(), idx.blockId(pos));
                EventBlock b = caching && idx.epoch() != 0 ? blockCache.get(cacheKey(cache, idx, k)) : null;
                if (b != null) {
                    cached.put(k, b);
                } else {
                    blockKeys.add(k);
                }
            }
            wanted.put(e.getKey().entity(), positions);
        }
        Map<EventKey, Object> found = blockKeys.isEmpty() ? Map.of() : cache.getAll(blockKeys);
        Set<String> retry = new HashSet<>();
        for (Map.Entry<EventKey, Object> e : indexes.entrySet()) {
            String entity = e.getKey().entity();
            EntityIndex idx = (EntityIndex) e.getValue();
            int[] positions = wanted.get(entity);
            List<EventBlock> parts = new ArrayList<>(positions.length);
            for (int pos : positions) {
                EventBlock b;
                if (idx.blockId(pos) == EventKey.INLINE) {
                    b = idx.inline();
                } else {
                    EventKey k = new EventKey(entity, idx.blockId(pos));
                    b = (EventBlock) found.get(k);
                    if (b == null) {
                        b = cached.get(k);
                    } else if (caching && idx.epoch() != 0) {
                        blockCache.put(cacheKey(cache, idx, k), b);
                    }
                }
                if (b == null) {
                    retry.add(entity);
                    break;
                }
                parts.add(b);
            }
            if (!retry.contains(entity)) {
                out.put(entity, keepPositions ? new EntityEvents(idx, null, positions, parts.toArray(EventBlock[]::new))
                    : new EntityEvents(idx, parts.isEmpty() ? null : EventBlock.concat(conform(parts, schema))));
            }
        }
        return retry;
    }
}

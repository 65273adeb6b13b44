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
 * runs on the entity's primary): the events folded into its blocks, and those still in its partition's log
 * ({@link LogReads}), merged by the one rule (event time, created time, ingest order; folded events were ingested
 * first). The log's manifests are read first, then the indexes: a fold writes indexes before it takes its run out of
 * the manifest. On a partition's primary an index kept from an earlier read may stand in for the current one while
 * the partition's index generation, read after the manifests, says it may ({@link IndexMemo}). Blocks and log chunks are immutable and named by the index or manifest: finding every one named
 * means a consistent snapshot; an entity whose index or manifest names one that a concurrent commit already
 * replaced is read again.
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
    public record EntityEvents(EntityIndex index, EventBlock events, int[] positions, EventBlock[] blocks,
                               long earliest, boolean needsRange) {
        public EntityEvents(EntityIndex index, EventBlock events) {
            this(index, events, null, null, index == null ? Long.MAX_VALUE : index.earliest(), false);
        }

        /** Whether the entity has any event at or before {@code t}. */
        public boolean anyAtOrBefore(long t) {
            return earliest <= t;
        }
    }

    /** Each entity's events with {@code lo <= ts <= hi}, plus the rest of the blocks that hold them. */
    public static Map<String, EntityEvents> read(IgniteCache<EventKey, Object> cache, String source,
                                                 Collection<String> entities, long lo, long hi) {
        return read(SourceCaches.foldedOnly(cache), source, entities, lo, hi, null, null);
    }

    /** {@link #read(SourceCaches, String, Collection, long, long, Map, BlockCache)} of storage without a log. */
    public static Map<String, EntityEvents> read(IgniteCache<EventKey, Object> cache, String source,
                                                 Collection<String> entities, long lo, long hi,
                                                 Map<String, ColumnType> schema, BlockCache blocks) {
        return read(SourceCaches.foldedOnly(cache), source, entities, lo, hi, schema, blocks);
    }

    /**
     * Each entity's events with {@code lo <= ts <= hi} (plus the rest of the blocks that hold them, and every unfolded
     * event), with each block conformed to {@code schema} (when not null) before blocks are joined
     * ({@link EventBlock#conformTo}), taking blocks from and keeping them in {@code blocks} (when not null).
     */
    public static Map<String, EntityEvents> read(SourceCaches caches, String source, Collection<String> entities, long lo,
                                                 long hi, Map<String, ColumnType> schema, BlockCache blocks) {
        return read(caches, source, entities, idx -> idx.blocksOverlapping(lo, hi), null, false, blocks, schema);
    }

    /** {@link #readBlocksAt(SourceCaches, String, Collection, long[], BlockCache)} of storage without a log. */
    public static Map<String, EntityEvents> readBlocksAt(IgniteCache<EventKey, Object> cache, String source,
                                                         Collection<String> entities, long[] times, BlockCache blocks) {
        return readBlocksAt(SourceCaches.foldedOnly(cache), source, entities, times, blocks);
    }

    /**
     * Each entity's index and the blocks that hold the given times (one block per time, fewer when times share a
     * block), in time order: what a lookup reads when window summaries stand in for the blocks between. An entity
     * with unfolded events comes back with {@link EntityEvents#needsRange()}: summaries do not cover its log, so
     * the caller reads its range.
     */
    public static Map<String, EntityEvents> readBlocksAt(SourceCaches caches, String source, Collection<String> entities,
                                                         long[] times, BlockCache blocks) {
        return read(caches, source, entities, idx -> blocksAt(idx, times), null, true, blocks, null);
    }

    /**
     * {@link #readBlocksAt(SourceCaches, String, Collection, long[], BlockCache)}, except that an entity that may
     * have unfolded events is read as {@link #read} reads {@code [lo, hi]} (conformed to {@code schema}) in the same
     * calls: its {@code events} are set and its {@code positions} null.
     */
    public static Map<String, EntityEvents> readBlocksAt(SourceCaches caches, String source, Map<String, ColumnType> schema,
                                                         Collection<String> entities, long[] times, long lo, long hi,
                                                         BlockCache blocks) {
        return read(caches, source, entities, idx -> blocksAt(idx, times), idx -> idx.blocksOverlapping(lo, hi), true,
            blocks, schema);
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

    private static Map<String, EntityEvents> read(SourceCaches caches, String source, Collection<String> entities,
                                                  Function<EntityIndex, int[]> blocks,
                                                  Function<EntityIndex, int[]> rangeBlocks, boolean keepPositions,
                                                  BlockCache blockCache, Map<String, ColumnType> schema) {
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
            pending = readOnce(caches, pending, blocks, rangeBlocks, keepPositions, blockCache, schema, out);
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
        return scan(SourceCaches.foldedOnly(cache), source, partitions, wanted, lo, hi, schema);
    }

    /** {@link #scan(IgniteCache, String, int[], Set, long, long, Map)} of storage with a log. */
    public static Map<String, EntityEvents> scan(SourceCaches caches, String source, int[] partitions,
                                                 Set<String> wanted, long lo, long hi, Map<String, ColumnType> schema) {
        Map<String, List<Object[]>> logged = Map.of();
        Set<String> again = new HashSet<>();
        if (caches.hasLog()) { // the log before the indexes: see the class comment
            List<Integer> anchors = new ArrayList<>();
            for (int p : partitions) {
                anchors.add(caches.partitions().anchor(p));
            }
            try {
                logged = LogReads.partitionPieces(caches.log(), anchors, wanted);
            } catch (LogReads.ChunkGone e) {
                return read(caches, source, wanted, lo, hi, schema, null); // a merge retired a chunk: read by key
            }
        }
        IgniteCache<Object, Object> bin = caches.events().withKeepBinary();
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
                EventBlock unfolded = unfoldedOf(logged.get(e.getKey()), idx);
                out.put(e.getKey(), combined(idx, parts, unfolded, false, null, schema));
            }
        }
        for (String entity : blocks.keySet()) {
            if (!indexes.containsKey(entity)) {
                again.add(entity); // blocks of a first write whose index the scan missed
            }
        }
        for (Map.Entry<String, List<Object[]>> e : logged.entrySet()) {
            if (!indexes.containsKey(e.getKey()) && !again.contains(e.getKey())) {
                EventBlock unfolded = unfoldedOf(e.getValue(), null);
                if (unfolded != null) {
                    out.put(e.getKey(), combined(null, List.of(), unfolded, false, null, schema));
                }
            }
        }
        if (!again.isEmpty()) {
            out.putAll(read(caches, source, again, lo, hi, schema, null));
        }
        return out;
    }

    /** An entity's unfolded events from a scan's pieces (run, events), those above its index's fold. */
    private static EventBlock unfoldedOf(List<Object[]> pieces, EntityIndex idx) {
        if (pieces == null) {
            return null;
        }
        long folded = idx == null ? 0 : idx.foldedThrough();
        List<EventBlock> parts = new ArrayList<>(pieces.size());
        for (Object[] p : pieces) {
            if (((RunRef) p[0]).seqHi() > folded) {
                parts.add((EventBlock) p[1]);
            }
        }
        return LogReads.finish(parts, idx);
    }

    /**
     * One entity's read: its folded {@code parts} (time order) and its {@code unfolded} events (sorted, or null),
     * merged; or, for a read of blocks at times, the blocks as they are unless there are unfolded events.
     */
    private static EntityEvents combined(EntityIndex idx, List<EventBlock> parts, EventBlock unfolded,
                                         boolean keepPositions, int[] positions, Map<String, ColumnType> schema) {
        EntityIndex index = idx == null ? new EntityIndex() : idx;
        long earliest = index.earliest();
        if (unfolded != null) {
            earliest = Math.min(earliest, unfolded.ts(0));
        }
        if (keepPositions) {
            if (unfolded != null) {
                return new EntityEvents(index, null, null, null, earliest, true);
            }
            return new EntityEvents(index, null, positions, parts.toArray(EventBlock[]::new), earliest, false);
        }
        EventBlock folded = parts.isEmpty() ? null : EventBlock.concat(conform(parts, schema));
        EventBlock events = folded;
        if (unfolded != null) {
            EventBlock u = schema == null ? unfolded : unfolded.conformTo(schema);
            events = folded == null ? u.slice(0, u.size()) : folded.merge(u);
        }
        return new EntityEvents(index, events, null, null, earliest, false);
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

    private static void forgetIndex(BlockCache blockCache, IgniteCache<EventKey, Object> cache, String entity) {
        if (blockCache != null && blockCache.enabled()) {
            IndexMemo.forget(blockCache.indexes(), cache.getName(), entity);
        }
    }

    /** Reads what it can into {@code out}; returns the entities to read again. */
    private static Set<String> readOnce(SourceCaches caches, Set<String> entities, Function<EntityIndex, int[]> blocks,
                                        Function<EntityIndex, int[]> rangeBlocks, boolean keepPositions,
                                        BlockCache blockCache, Map<String, ColumnType> schema,
                                        Map<String, EntityEvents> out) {
        IgniteCache<EventKey, Object> cache = caches.events();
        // The log's manifests first (see the class comment), then its chunks beside the indexes.
        Map<String, List<LogReads.Piece>> pieces = new HashMap<>();
        Map<LogKey, RunChunk> chunks = Map.of();
        boolean caching = blockCache != null && blockCache.enabled();
        Map<String, Integer> anchorOf = new HashMap<>();
        IndexMemo.Generations generations = IndexMemo.Generations.NONE;
        if (caches.hasLog()) {
            for (String e : entities) {
                anchorOf.put(e, caches.partitions().anchor(caches.partitions().partitionOf(e)));
            }
            Map<Integer, List<RunRef>> runs = LogReads.manifests(caches.log(), new HashSet<>(anchorOf.values()));
            Set<LogKey> chunkKeys = new java.util.TreeSet<>();
            for (String e : entities) {
                List<LogReads.Piece> ps = LogReads.piecesOf(e, anchorOf.get(e), runs.get(anchorOf.get(e)));
                if (!ps.isEmpty()) {
                    pieces.put(e, ps);
                    for (LogReads.Piece p : ps) {
                        chunkKeys.add(p.chunk());
                    }
                }
            }
            chunks = LogReads.chunks(caches.log(), chunkKeys, blockCache);
            if (caching) { // the generations before the indexes: see IndexMemo
                generations = IndexMemo.generations(caches.log(), new HashSet<>(anchorOf.values()));
            }
        }
        Map<EventKey, EventBlock> cached = caching ? new HashMap<>() : Map.of();
        Map<EventKey, Object> indexes = new HashMap<>();
        Set<EventKey> indexKeys = new HashSet<>();
        for (String e : entities) {
            IndexMemo.Held kept = generations.byAnchor().isEmpty() ? null
                : generations.valid(blockCache.indexes(), cache.getName(), e, anchorOf.get(e));
            if (kept == null) {
                indexKeys.add(EventKey.index(e));
            } else if (kept.index() != null) {
                indexes.put(EventKey.index(e), kept.index());
            }
        }
        if (!indexKeys.isEmpty()) {
            Map<EventKey, Object> read = cache.getAll(indexKeys);
            indexes.putAll(read);
            if (!generations.byAnchor().isEmpty()) {
                for (EventKey k : indexKeys) {
                    generations.keep(blockCache.indexes(), cache.getName(), k.entity(), anchorOf.get(k.entity()),
                        (EntityIndex) read.get(k));
                }
            }
        }
        Set<EventKey> blockKeys = new HashSet<>();
        Map<String, int[]> wanted = new HashMap<>();
        for (Map.Entry<EventKey, Object> e : indexes.entrySet()) {
            EntityIndex idx = (EntityIndex) e.getValue();
            boolean asRange = rangeBlocks != null && pieces.containsKey(e.getKey().entity());
            int[] positions = (asRange ? rangeBlocks : blocks).apply(idx);
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
        for (String entity : entities) {
            EntityIndex idx = (EntityIndex) indexes.get(EventKey.index(entity));
            EventBlock unfolded = null;
            List<LogReads.Piece> ps = pieces.get(entity);
            if (ps != null) {
                try {
                    unfolded = LogReads.unfolded(entity, ps, idx == null ? 0 : idx.foldedThrough(), chunks, idx);
                } catch (LogReads.ChunkGone gone) {
                    retry.add(entity);
                    forgetIndex(blockCache, cache, entity);
                    continue;
                }
            }
            boolean asRange = rangeBlocks != null && ps != null; // read as a range: may have unfolded events
            if (idx == null) {
                if (unfolded != null) {
                    out.put(entity, combined(null, List.of(), unfolded, keepPositions && !asRange, new int[0], schema));
                }
                continue;
            }
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
                    forgetIndex(blockCache, cache, entity); // a block it names is gone: it may be out of date
                    break;
                }
                parts.add(b);
            }
            if (!retry.contains(entity)) {
                out.put(entity, combined(idx, parts, unfolded, keepPositions && !asRange, positions, schema));
            }
        }
        return retry;
    }
}

package io.hearth.compute.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.ignite.IgniteCache;

/**
 * Reads the not-yet-folded events of entities from their partitions' logs, for {@link EventReads}. A read takes the
 * partition's {@link LogHead} and {@link LogLevels} in one call, from this member's {@link ManifestView} where the
 * partition is primary here (and again when the two do not match: see {@link LogLevels}), then the chunks that may hold its entities; an entity's unfolded events are then those of the
 * runs above its index's {@link EntityIndex#foldedThrough()}, which the caller reads after the manifests. A fold
 * writes the entities' indexes before it takes its run out of the levels, so a reader that saw the run gone sees the
 * indexes that hold it; and one that saw the run and an index that holds it skips the run by its sequence numbers.
 */
final class LogReads {
    /** Attempts at reading a head and levels that match; each mismatch is one merge finishing between two reads. */
    private static final int ATTEMPTS = 20;

    private LogReads() {
    }

    /** A run a reader takes events from, and the chunk of it that may hold its entity. */
    record Piece(RunRef run, LogKey chunk) {
    }

    /** The runs of a partition a reader must consider, oldest first: the levels' runs, then fresh deltas they do not cover. */
    static List<RunRef> runsOf(LogHead head, LogLevels levels) {
        List<RunRef> out = new ArrayList<>(levels.runs());
        long covered = levels.coveredThrough();
        for (RunRef r : head.fresh()) {
            if (r.seqLo() > covered) {
                out.add(r);
            }
        }
        return out;
    }

    /** Per partition anchor of the given entities: its runs, read consistently. */
    static Map<Integer, List<RunRef>> manifests(IgniteCache<LogKey, Object> log, Collection<Integer> anchors) {
        Map<Integer, List<RunRef>> out = new HashMap<>();
        Set<Integer> pending = new HashSet<>(anchors);
        for (int attempt = 0; attempt < ATTEMPTS && !pending.isEmpty(); attempt++) {
            Set<LogKey> keys = new TreeSet<>();
            for (int a : pending) {
                keys.add(LogKey.head(a));
                keys.add(LogKey.levels(a));
            }
            Map<LogKey, Object> got = ManifestView.getAll(log, keys);
            Set<Integer> again = new HashSet<>();
            for (int a : pending) {
                LogHead h = (LogHead) got.get(LogKey.head(a));
                LogLevels l = (LogLevels) got.get(LogKey.levels(a));
                h = h == null ? LogHead.EMPTY : h;
                l = l == null ? LogLevels.EMPTY : l;
                if (l.epoch() < h.epoch()) {
                    again.add(a); // the levels from before a merge, the head from after it
                } else {
                    out.put(a, runsOf(h, l));
                }
            }
            pending = again;
        }
        if (!pending.isEmpty()) {
            throw new io.hearth.catalog.HearthException(io.hearth.catalog.ErrorCode.GRID_SNAPSHOT, null, null,
                "could not read a consistent log manifest of " + pending.size() + " partitions while they were being "
                    + "merged; retry", true, null);
        }
        return out;
    }

    /** The pieces that may hold {@code entity}'s unfolded events, oldest first. */
    static List<Piece> piecesOf(String entity, int anchor, List<RunRef> runs) {
        if (runs.isEmpty()) {
            return List.of();
        }
        long h = RunRef.entityHash(entity);
        List<Piece> out = new ArrayList<>(2);
        for (RunRef r : runs) {
            int c = r.chunkFor(h);
            if (r.mayHold(c, h)) {
                out.add(new Piece(r, new LogKey(anchor, r.id(), c)));
            }
        }
        return out;
    }

    /** Thrown when a chunk a manifest named is gone (a merge or fold retired it since): the read starts again. */
    static final class ChunkGone extends Exception {
        ChunkGone() {
            super(null, null, false, false);
        }
    }

    /**
     * The entity's unfolded events: of its pieces whose runs lie above {@code foldedThrough}, in ingest order, less
     * events whose id {@code idx} holds or an earlier unfolded event has; sorted by the one rule. Null when none.
     */
    static EventBlock unfolded(String entity, List<Piece> pieces, long foldedThrough, Map<LogKey, RunChunk> chunks,
                               EntityIndex idx) throws ChunkGone {
        List<EventBlock> parts = new ArrayList<>(pieces.size());
        for (Piece p : pieces) {
            if (p.run().seqHi() <= foldedThrough) {
                continue;
            }
            RunChunk c = chunks.get(p.chunk());
            if (c == null) {
                throw new ChunkGone();
            }
            EventBlock b = c.eventsOf(entity);
            if (b != null) {
                parts.add(b);
            }
        }
        return finish(parts, idx);
    }

    /** Pieces of one entity in ingest order, less ids {@code idx} holds or seen before, sorted; null when none. */
    static EventBlock finish(List<EventBlock> parts, EntityIndex idx) {
        if (parts.isEmpty()) {
            return null;
        }
        EventBlock all = parts.size() == 1 ? parts.get(0) : EventBlock.concatIncoming(parts);
        if (all.hasIds()) {
            Set<Long> seen = new HashSet<>();
            int[] keep = new int[all.size()];
            int k = 0;
            for (int i = 0; i < all.size(); i++) {
                long id = all.idHash(i);
                if (id == 0 || ((idx == null || !idx.containsId(id)) && seen.add(id))) {
                    keep[k++] = i;
                }
            }
            if (k == 0) {
                return null;
            }
            if (k < all.size()) {
                all = all.select(java.util.Arrays.copyOf(keep, k));
            }
        }
        return all.sorted();
    }

    /** Chunks by key, from {@code cache} where it has them (immutable: a run id is never reused), else the log. */
    static Map<LogKey, RunChunk> chunks(IgniteCache<LogKey, Object> log, Set<LogKey> keys, BlockCache cache) {
        Map<LogKey, RunChunk> out = new HashMap<>();
        if (keys.isEmpty()) {
            return out;
        }
        boolean caching = cache != null && cache.enabled();
        Set<LogKey> fetch = new TreeSet<>();
        for (LogKey k : keys) {
            RunChunk c = caching ? cache.getChunk(cacheKey(log, k)) : null;
            if (c != null) {
                out.put(k, c);
            } else {
                fetch.add(k);
            }
        }
        if (!fetch.isEmpty()) {
            for (Map.Entry<LogKey, Object> e : log.getAll(fetch).entrySet()) {
                RunChunk c = (RunChunk) e.getValue();
                out.put(e.getKey(), c);
                if (caching) {
                    cache.putChunk(cacheKey(log, e.getKey()), c);
                }
            }
        }
        return out;
    }

    private static BlockCache.Key cacheKey(IgniteCache<LogKey, Object> log, LogKey k) {
        return new BlockCache.Key(log.getName(), "\u0000log" + k.anchor(), k.run(), k.chunk());
    }

    /**
     * Every unfolded piece of the given partitions' logs for the wanted entities, read at once (a training scan over
     * local partitions): per entity, (run, its events there) oldest first.
     */
    static Map<String, List<Object[]>> partitionPieces(IgniteCache<LogKey, Object> log, Collection<Integer> anchors,
                                                       Set<String> wanted) throws ChunkGone {
        Map<Integer, List<RunRef>> runs = manifests(log, anchors);
        Set<LogKey> keys = new TreeSet<>();
        runs.forEach((a, rs) -> {
            for (RunRef r : rs) {
                for (int c = 0; c < r.chunks(); c++) {
                    keys.add(new LogKey(a, r.id(), c));
                }
            }
        });
        Map<LogKey, Object> got = keys.isEmpty() ? Map.of() : log.getAll(keys);
        if (got.size() < keys.size()) {
            throw new ChunkGone();
        }
        Map<String, List<Object[]>> out = new HashMap<>();
        runs.forEach((a, rs) -> {
            for (RunRef r : rs) {
                for (int c = 0; c < r.chunks(); c++) {
                    RunChunk ch = (RunChunk) got.get(new LogKey(a, r.id(), c));
                    for (int i = 0; i < ch.entityCount(); i++) {
                        if (wanted.contains(ch.entity(i))) {
                            out.computeIfAbsent(ch.entity(i), k -> new ArrayList<>()).add(new Object[] {r, ch.eventsAt(i)});
                        }
                    }
                }
            }
        });
        return out;
    }
}

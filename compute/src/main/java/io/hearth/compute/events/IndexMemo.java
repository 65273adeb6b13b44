package io.hearth.compute.events;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.IgniteCache;

/**
 * Entities' indexes kept deserialized between lookups on the member that is primary for their partition, valid while
 * the partition's index generation has not moved: an index read was the largest cost of a small lookup once the
 * manifests were held ({@link ManifestView}), a B+ tree descent in page memory and a decoding per source.
 *
 * <p>The generation is a counter per partition in the log cache ({@link LogKey#indexes}), changed only by
 * {@link Bump}, so this member holds it like a manifest. Every writer of indexes (a fold, a compaction) bumps it
 * before its first transaction and again after its last commit ({@link #changing}); a reader reads the generation,
 * then the index, and keeps the index under the generation it read first. So a kept index is never used once a
 * writer that started after it was read has finished: its second bump moved the generation. While a writer is
 * between its bumps a reader may still use the index from before its commit, which gives the answer of a read made
 * just before that commit: a fold takes its run out of the manifest only after its second bump, so the reader merges
 * the run's events from the log, as it would have; a compaction's removed blocks are either still in the block cache
 * (the same old events) or missing, and a read that misses a block drops the kept index and reads again. Kept
 * indexes are stamped with the affinity version of the read and used only where it is still the ready one and the
 * partition is primary here, like the held manifests.
 */
public final class IndexMemo {
    private IndexMemo() {
    }

    /** An index as read (null: the entity had none), the generation read before it, and the affinity version. */
    record Held(EntityIndex index, long generation, Object at) {
        int weight() {
            return 1 + (index == null || index.inline() == null ? 0 : index.inline().size());
        }
    }

    /** Moves the index generation of the partitions of these anchors: before a writer's first write and after its last. */
    public static void changing(IgniteCache<LogKey, Object> log, Collection<Integer> anchors) {
        Set<LogKey> keys = new TreeSet<>();
        for (int a : anchors) {
            keys.add(LogKey.indexes(a));
        }
        if (!keys.isEmpty()) {
            log.invokeAll(keys, new Bump());
        }
    }

    /** The generations of a read's partitions, where they are primary here (none where not). */
    record Generations(Map<Integer, Long> byAnchor, Object at) {
        static final Generations NONE = new Generations(Map.of(), null);

        /** The kept index of {@code entity} if it is still good (its {@code index} null: it had none), else null. */
        Held valid(BlockCache cache, String events, String entity, int anchor) {
            Long g = byAnchor.get(anchor);
            if (g == null) {
                return null;
            }
            Held h = cache.getIndex(key(events, entity));
            return h != null && h.generation == g && h.at.equals(at) ? h : null;
        }

        /** Keeps what was read of {@code entity}, under the generation read before it. */
        void keep(BlockCache cache, String events, String entity, int anchor, EntityIndex index) {
            Long g = byAnchor.get(anchor);
            if (g != null) {
                cache.putIndex(key(events, entity), new Held(index, g, at));
            }
        }
    }

    /** The generations of the given anchors' partitions, read before their indexes. */
    static Generations generations(IgniteCache<LogKey, Object> log, Collection<Integer> anchors) {
        Set<LogKey> keys = new TreeSet<>();
        for (int a : anchors) {
            keys.add(LogKey.indexes(a));
        }
        ManifestView.Read r = ManifestView.read(log, keys);
        if (r.local().isEmpty()) {
            return Generations.NONE;
        }
        Map<Integer, Long> out = new HashMap<>();
        for (LogKey k : r.local()) {
            Object g = r.values().get(k);
            out.put(k.anchor(), g == null ? 0L : (Long) g);
        }
        return new Generations(out, r.at());
    }

    static void forget(BlockCache cache, String events, String entity) {
        cache.removeIndex(key(events, entity));
    }

    private static BlockCache.Key key(String events, String entity) {
        return new BlockCache.Key(events, entity, 0, EventKey.INDEX);
    }

    /** Moves a partition's index generation by one. */
    static final class Bump extends ManifestView.Change {
        @Override
        Object change(MutableEntry<LogKey, Object> entry) {
            long g = entry.exists() ? (Long) entry.getValue() : 0L;
            entry.setValue(g + 1);
            return null;
        }
    }
}

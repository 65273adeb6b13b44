package io.hearth.compute.events;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
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

    /** An index as read (null: the entity had none), the generation read before it, the affinity version, its size. */
    record Held(EntityIndex index, long generation, Object at, int bytes) {
    }

    /** About how many bytes of heap a decoded index takes: what the store counts against its bound. */
    static int bytesOf(EntityIndex idx) {
        if (idx == null) {
            return 64;
        }
        long b = 200 + 8L * idx.idHashes.length + 64L * idx.starts.length; // per block: start, id, size, stats
        EventBlock in = idx.inline();
        if (in != null) {
            b += 96 + (long) in.size() * (16 + 12L * in.storedNames().length);
        }
        return (int) Math.min(Integer.MAX_VALUE, b);
    }

    /**
     * A reader's kept indexes, per events cache and entity, bounded by their estimated bytes: past the bound about a
     * sixteenth of the entries go, whichever come first (by hash: no order is kept, so a hit costs one map read).
     */
    static final class Store {
        private final long maxBytes;
        private final ConcurrentHashMap<String, ConcurrentHashMap<String, Held>> byCache = new ConcurrentHashMap<>();
        private final AtomicLong bytes = new AtomicLong();
        private final LongAdder hits = new LongAdder();
        private final LongAdder misses = new LongAdder();

        Store(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        Held get(String cache, String entity) {
            ConcurrentHashMap<String, Held> m = byCache.get(cache);
            return m == null ? null : m.get(entity);
        }

        void put(String cache, String entity, Held h) {
            if (h.bytes() > maxBytes / 64) {
                return; // one index never takes much of the bound
            }
            ConcurrentHashMap<String, Held> m = byCache.computeIfAbsent(cache, k -> new ConcurrentHashMap<>());
            Held old = m.put(entity, h);
            if (bytes.addAndGet(h.bytes() - (old == null ? 0 : old.bytes())) > maxBytes) {
                shed();
            }
        }

        void remove(String cache, String entity) {
            ConcurrentHashMap<String, Held> m = byCache.get(cache);
            Held old = m == null ? null : m.remove(entity);
            if (old != null) {
                bytes.addAndGet(-old.bytes());
            }
        }

        private void shed() {
            for (ConcurrentHashMap<String, Held> m : byCache.values()) {
                int drop = m.size() / 16 + 1;
                for (var it = m.entrySet().iterator(); drop > 0 && it.hasNext(); drop--) {
                    Map.Entry<String, Held> e = it.next();
                    if (m.remove(e.getKey(), e.getValue())) {
                        bytes.addAndGet(-e.getValue().bytes());
                    }
                }
            }
        }

        /** {hits, misses, kept bytes}, for metrics and tests. */
        long[] counts() {
            return new long[] {hits.sum(), misses.sum(), bytes.get()};
        }
    }

    /** Moves the index generation of the partitions of these anchors: before a writer's first write and after its last. */
    public static void changing(IgniteCache<LogKey, Object> log, Collection<Integer> anchors) {
        Map<LogKey, Bump> bumps = new TreeMap<>();
        for (int a : anchors) {
            bumps.put(LogKey.indexes(a), new Bump());
        }
        if (!bumps.isEmpty()) {
            log.invokeAll(bumps);
        }
    }

    /** The generations of a read's partitions, where they are primary here (none where not). */
    record Generations(Map<Integer, Long> byAnchor, Object at) {
        static final Generations NONE = new Generations(Map.of(), null);

        /** The kept index of {@code entity} if it is still good (its {@code index} null: it had none), else null. */
        Held valid(Store store, String events, String entity, int anchor) {
            Long g = byAnchor.get(anchor);
            if (g == null) {
                return null;
            }
            Held h = store.get(events, entity);
            if (h != null && h.generation() == g && h.at().equals(at)) {
                store.hits.increment();
                return h;
            }
            store.misses.increment();
            return null;
        }

        /** Keeps what was read of {@code entity}, under the generation read before it. */
        void keep(Store store, String events, String entity, int anchor, EntityIndex index) {
            Long g = byAnchor.get(anchor);
            if (g != null) {
                store.put(events, entity, new Held(index, g, at, bytesOf(index)));
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

    static void forget(Store store, String events, String entity) {
        store.remove(events, entity);
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

package io.hearth.compute.events;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.affinity.AffinityFunction;

/**
 * How a source's entities map to partitions, and each partition's anchor: the smallest int whose affinity is that
 * partition, which {@link LogKey}s carry so that a partition's log lives on the nodes of its entities' events. The
 * events cache and the log cache have the same affinity function and partition count (see
 * {@code io.hearth.node.CacheLayout}), so one mapping serves both.
 */
public final class LogPartitions {
    /** Per grid member (tests start several in one JVM) and log cache. */
    private static final Map<Ignite, Map<String, LogPartitions>> BY_CACHE = java.util.Collections.synchronizedMap(
        new java.util.WeakHashMap<>());

    private final ToIntFunction<String> partitionOf;
    private final int[] anchors;

    public LogPartitions(ToIntFunction<String> partitionOf, int[] anchors) {
        this.partitionOf = partitionOf;
        this.anchors = anchors;
    }

    /**
     * The mapping of a log cache, from its affinity function (computed once per grid member, cache and partition
     * count). The function itself, not the grid's affinity view of the cache: it maps keys the same way whatever the
     * topology, and stays valid when the cache is destroyed and created again.
     */
    public static LogPartitions of(Ignite ignite, String logCache) {
        org.apache.ignite.IgniteCache<Object, Object> cache = ignite.cache(logCache);
        if (cache == null) {
            throw new IllegalStateException("no cache " + logCache);
        }
        @SuppressWarnings("unchecked")
        AffinityFunction fn = cache.getConfiguration(org.apache.ignite.configuration.CacheConfiguration.class)
            .getAffinity();
        int n = fn.partitions();
        Map<String, LogPartitions> mine = BY_CACHE.computeIfAbsent(ignite, k -> new ConcurrentHashMap<>());
        LogPartitions cached = mine.get(logCache);
        if (cached != null && cached.anchors.length == n) {
            return cached;
        }
        int[] anchors = new int[n];
        Arrays.fill(anchors, -1);
        int found = 0;
        for (int i = 0; found < n; i++) {
            if (i > n * 1000) {
                throw new IllegalStateException("no anchor found for every partition of " + logCache);
            }
            int p = fn.partition(i);
            if (anchors[p] < 0) {
                anchors[p] = i;
                found++;
            }
        }
        LogPartitions lp = new LogPartitions(fn::partition, anchors);
        mine.put(logCache, lp);
        return lp;
    }

    /** Drops what {@link #of} keeps for a cache (after a failure that may mean the cache was destroyed). */
    public static void forget(Ignite ignite, String logCache) {
        Map<String, LogPartitions> mine = BY_CACHE.get(ignite);
        if (mine != null) {
            mine.remove(logCache);
        }
    }

    public int partitions() {
        return anchors.length;
    }

    /** The partition of an entity's events (its key's affinity). */
    public int partitionOf(String entity) {
        return partitionOf.applyAsInt(entity);
    }

    public int anchor(int partition) {
        return anchors[partition];
    }

    /** The partition an anchor stands for. */
    public int partitionOfAnchor(int anchor) {
        for (int p = 0; p < anchors.length; p++) {
            if (anchors[p] == anchor) {
                return p;
            }
        }
        throw new IllegalArgumentException("not an anchor: " + anchor);
    }
}

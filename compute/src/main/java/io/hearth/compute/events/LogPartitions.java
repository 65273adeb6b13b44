package io.hearth.compute.events;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.affinity.Affinity;

/**
 * How a source's entities map to partitions, and each partition's anchor: the smallest int whose affinity is that
 * partition, which {@link LogKey}s carry so that a partition's log lives on the nodes of its entities' events. The
 * events cache and the log cache have the same affinity function and partition count (see
 * {@code io.hearth.node.CacheLayout}), so one mapping serves both.
 */
public final class LogPartitions {
    private static final Map<String, LogPartitions> BY_CACHE = new ConcurrentHashMap<>();

    private final ToIntFunction<String> partitionOf;
    private final int[] anchors;

    public LogPartitions(ToIntFunction<String> partitionOf, int[] anchors) {
        this.partitionOf = partitionOf;
        this.anchors = anchors;
    }

    /** The mapping of a log cache, from the grid's affinity (computed once per cache and partition count). */
    public static LogPartitions of(Ignite ignite, String logCache) {
        Affinity<Object> aff = ignite.affinity(logCache);
        int n = aff.partitions();
        LogPartitions cached = BY_CACHE.get(logCache);
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
            int p = aff.partition(i);
            if (anchors[p] < 0) {
                anchors[p] = i;
                found++;
            }
        }
        LogPartitions lp = new LogPartitions(aff::partition, anchors);
        BY_CACHE.put(logCache, lp);
        return lp;
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

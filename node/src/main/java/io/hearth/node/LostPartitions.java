package io.hearth.node;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;

/**
 * Partitions whose every copy left the cluster. Hearth's caches refuse reads and writes of them
 * ({@code READ_WRITE_SAFE}) rather than answer without their data; Ignite keeps them refused even after the nodes
 * holding the data return, until an operator resets them. Reset only once those nodes are back: a reset with the
 * data gone makes the partitions empty, and lookups would then answer NOT_FOUND for entities that have events.
 */
public final class LostPartitions {
    private LostPartitions() {
    }

    /** Per cache, how many of its partitions are lost (caches without lost partitions are left out). */
    public static Map<String, Integer> find(Ignite ignite) {
        Map<String, Integer> lost = new TreeMap<>();
        for (String name : ignite.cacheNames()) {
            IgniteCache<Object, Object> cache = ignite.cache(name);
            Collection<Integer> parts = cache == null ? null : cache.lostPartitions();
            if (parts != null && !parts.isEmpty()) {
                lost.put(name, parts.size());
            }
        }
        return lost;
    }

    /** Resets the lost partitions of every cache that has some; returns what was lost. */
    public static Map<String, Integer> reset(Ignite ignite) {
        Map<String, Integer> lost = find(ignite);
        if (!lost.isEmpty()) {
            ignite.resetLostPartitions(lost.keySet());
        }
        return lost;
    }
}

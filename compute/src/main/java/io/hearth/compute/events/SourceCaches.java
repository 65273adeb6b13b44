package io.hearth.compute.events;

import org.apache.ignite.IgniteCache;

/**
 * A source's event storage as readers and the fold see it: the events cache (entities' indexes and blocks) and, when
 * there is one, the log of events not yet folded into them, with the partition mapping both share.
 *
 * @param events the {@code events_<source>} cache
 * @param log the {@code log_<source>} cache, or null (storage without a log: every event is folded)
 * @param partitions how entities map to partitions and anchors; null when {@code log} is
 */
public record SourceCaches(IgniteCache<EventKey, Object> events, IgniteCache<LogKey, Object> log,
                           LogPartitions partitions) {
    /** Storage without a log. */
    public static SourceCaches foldedOnly(IgniteCache<EventKey, Object> events) {
        return new SourceCaches(events, null, null);
    }

    boolean hasLog() {
        return log != null;
    }
}

package io.hearth.compute.events;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Feature;
import io.hearth.catalog.FeatureView;
import io.hearth.catalog.Source;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.ignite.IgniteCache;

/**
 * Drops events that no answer inside a source's retention can read. A source with {@code retention: R} promises
 * exact lookups ({@code as_of}) and training rows for every time {@code t >= now - R}; such an answer reads events
 * back to {@code t - h}, where the horizon h is the longest ttl or window (plus hop) of the source's views. So
 * events before {@code cutoff = now - R - h} (less an hour for clocks that differ) may go, with one exception: a plain feature without ttl reads the
 * latest event at or before t however old, so the block holding the cutoff always stays.
 *
 * <p>Whole blocks are dropped, from the front: block i goes when the next block starts at or before the cutoff
 * (every event of block i is then older than the cutoff, and a later block holds an event at or before it). The
 * last block never goes. Event id hashes stay in the index, so a replay of a dropped event is still recognised.
 * Readers racing a compaction see a block named by their index go missing and read again ({@link EventReads}).
 */
public final class EventCompaction {
    private EventCompaction() {
    }

    /** The oldest event time the source's views can read for an answer at {@code t}: {@code t - horizon}. */
    public static long horizonMillis(Definitions defs, String source) {
        long h = 0;
        for (FeatureView v : defs.featureViews()) {
            if (!v.source().equals(source)) {
                continue;
            }
            h = Math.max(h, v.ttlMillis());
            for (Feature f : v.features()) {
                if (f.isWindowed()) {
                    h = Math.max(h, f.windowMillis() + v.hopMillis());
                }
            }
        }
        return h;
    }

    /**
     * Kept beyond the promise, because the gateway that refuses an {@code as_of} before the retention and the node
     * that compacts each read their own clock: a node clock up to this much ahead cannot drop what a gateway still
     * accepts.
     */
    public static final long CLOCK_GRACE_MILLIS = 3_600_000;

    /** Events strictly before the returned time may be dropped; Long.MIN_VALUE when the source keeps everything. */
    public static long cutoff(Definitions defs, Source source, long now) {
        if (source.retentionMillis() <= 0) {
            return Long.MIN_VALUE;
        }
        return now - source.retentionMillis() - horizonMillis(defs, source.name()) - CLOCK_GRACE_MILLIS;
    }

    /** How many leading blocks of {@code idx} hold only events that may go at {@code cutoff}. */
    public static int droppable(EntityIndex idx, long cutoff) {
        int k = 0;
        while (k + 1 < idx.blockCount() && idx.blockStart(k + 1) <= cutoff) {
            k++;
        }
        return k;
    }

    /** What one compaction call removed. */
    public record Dropped(long entities, long blocks, long events) {
        public Dropped plus(Dropped o) {
            return new Dropped(entities + o.entities, blocks + o.blocks, events + o.events);
        }
    }

    /**
     * Drops the droppable blocks of the given entities, inside the caller's (pessimistic) transaction: indexes are
     * read (and so locked) in key order, the receiver's order, so a compaction and a merge cannot deadlock.
     */
    public static Dropped compact(IgniteCache<EventKey, Object> cache, Collection<String> entities, long cutoff) {
        SortedSet<EventKey> keys = new TreeSet<>();
        for (String e : entities) {
            keys.add(EventKey.index(e));
        }
        Map<EventKey, Object> indexes = cache.getAll(keys);
        Map<EventKey, Object> writes = new TreeMap<>();
        Set<EventKey> removes = new TreeSet<>();
        long ents = 0;
        long events = 0;
        for (Map.Entry<EventKey, Object> e : indexes.entrySet()) {
            EntityIndex idx = (EntityIndex) e.getValue();
            int k = droppable(idx, cutoff);
            if (k == 0) {
                continue;
            }
            for (int i = 0; i < k; i++) {
                removes.add(new EventKey(e.getKey().entity(), idx.blockId(i)));
                events += idx.blockSize(i);
            }
            idx.dropFirst(k);
            writes.put(e.getKey(), idx);
            ents++;
        }
        if (!writes.isEmpty()) {
            cache.putAll(writes);
            cache.removeAll(removes);
        }
        return new Dropped(ents, removes.size(), events);
    }
}

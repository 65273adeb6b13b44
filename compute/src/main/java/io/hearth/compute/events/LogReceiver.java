package io.hearth.compute.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.stream.StreamReceiver;

/**
 * Appends deltas to partitions' logs, on the node that owns them. Streamed as (key of a new run, its one
 * {@link RunChunk}): per partition of a write, the batch's events of that partition's entities. For each: the chunk
 * is put (ATOMIC, FULL_SYNC: on primary and backup when the put returns), then published in the partition's
 * {@link LogHead} by an entry processor, which gives it the next sequence number. Readers find only published
 * deltas, and find their chunks there because the put came first. No entity's state is read or rewritten: the
 * cost of a write does not grow with what an entity already holds. Folding the log into the entities' blocks is
 * {@link LogMaintenance}'s, in the background.
 *
 * <p>A delta that carries places ({@link Places}: a Kafka batch) is checked against the positions the head has
 * applied: events already applied are dropped before the put, and the publish checks again atomically (a
 * concurrent replay), so a replayed batch, whole or in part, is applied once.
 */
public final class LogReceiver implements StreamReceiver<LogKey, RunChunk> {
    private static final long serialVersionUID = 1L;

    @Override
    public void receive(IgniteCache<LogKey, RunChunk> cache, Collection<Map.Entry<LogKey, RunChunk>> entries) {
        Ignite ignite = cache.unwrap(Ignite.class); // resource injection does not reach receivers run locally
        IgniteCache<LogKey, Object> log = ignite.cache(cache.getName());
        LogListener listener = (LogListener) ignite.cluster().nodeLocalMap().get(LogListener.KEY);
        for (int[] published : append(log, entries, System.currentTimeMillis())) {
            if (listener != null) {
                listener.published(cache.getName(), published[0], published[1]);
            }
        }
    }

    /**
     * Puts and publishes the deltas; returns, per published delta, its partition's anchor and the fresh deltas in
     * its head after it. Deltas all of whose events were applied before are dropped.
     */
    static List<int[]> append(IgniteCache<LogKey, Object> log, Collection<Map.Entry<LogKey, RunChunk>> entries, long now) {
        Map<LogKey, RunChunk> pending = new TreeMap<>();
        List<LogKey> placed = new ArrayList<>();
        for (Map.Entry<LogKey, RunChunk> e : entries) {
            pending.put(e.getKey(), e.getValue());
            if (e.getValue().places() != null) {
                placed.add(LogKey.head(e.getKey().anchor()));
            }
        }
        if (!placed.isEmpty()) { // drop what the heads say is applied; the publish checks again
            Map<LogKey, Object> heads = log.getAll(new java.util.TreeSet<>(placed));
            for (LogKey k : new ArrayList<>(pending.keySet())) {
                RunChunk c = pending.get(k);
                LogHead h = (LogHead) heads.get(LogKey.head(k.anchor()));
                long[][] overlap = h == null || c.places() == null ? null : h.overlap(c.places());
                if (overlap != null) {
                    pending.remove(k);
                    RunChunk rest = withoutApplied(c, overlap);
                    if (rest != null) {
                        pending.put(new LogKey(k.anchor(), newRunId(), 0), rest);
                    }
                }
            }
        }
        List<int[]> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            Map<LogKey, Object> stored = new TreeMap<>();
            pending.forEach((k, c) -> stored.put(k, c.stored()));
            log.putAll(stored);
            Map<LogKey, LogHead.Publish> publish = new TreeMap<>();
            Map<LogKey, LogKey> runOfHead = new TreeMap<>();
            Map<LogKey, RunChunk> again = new TreeMap<>();
            for (Map.Entry<LogKey, RunChunk> e : pending.entrySet()) {
                LogKey head = LogKey.head(e.getKey().anchor());
                if (publish.containsKey(head)) { // two deltas of one partition in one call: the next round
                    again.put(e.getKey(), e.getValue());
                    continue;
                }
                RunChunk c = e.getValue();
                RunRef ref = RunChunk.ref(e.getKey().run(), 0, 0, now, List.of(c));
                publish.put(head, new LogHead.Publish(ref, c.places() == null ? null : c.places().spansOnly()));
                runOfHead.put(head, e.getKey());
            }
            Map<LogKey, javax.cache.processor.EntryProcessorResult<Object>> results = log.invokeAll(publish);
            List<LogKey> unpublished = new ArrayList<>();
            for (Map.Entry<LogKey, LogKey> e : runOfHead.entrySet()) {
                Object r = results.get(e.getKey()).get();
                if (r instanceof long[] ok) {
                    out.add(new int[] {e.getKey().anchor(), (int) ok[1]});
                    continue;
                }
                // A replay of the same batch published in between: drop what it applied, publish the rest anew.
                unpublished.add(e.getValue());
                RunChunk rest = withoutApplied(pending.get(e.getValue()), (long[][]) r);
                if (rest != null) {
                    again.put(new LogKey(e.getValue().anchor(), newRunId(), 0), rest);
                }
            }
            if (!unpublished.isEmpty()) {
                log.removeAll(new java.util.TreeSet<>(unpublished));
            }
            pending = again;
        }
        return out;
    }

    private static RunChunk withoutApplied(RunChunk c, long[][] applied) {
        RunChunk rest = c.without(c.places().appliedAmong(applied));
        return rest == null ? null : rest.withPlaces(rest.places().spansWithout(applied));
    }

    /** A new run id: random, positive, so that ids never repeat across writers and restarts. */
    public static long newRunId() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }
}

package io.hearth.node;

import io.hearth.node.store.RegistryStore;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.Source;
import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventCompaction;
import io.hearth.compute.events.EventCompaction.Dropped;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.IndexMemo;
import io.hearth.compute.events.LogKey;
import io.hearth.compute.events.LogPartitions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link EventCompaction} over the entities whose primary copy is on this node, for every source that declares
 * a retention. Each server node compacts its own primaries on a schedule ({@link HearthNode}); the gateway can run it
 * on every node at once ({@link #onEveryNode}). Entities are compacted in transactions of up to {@link #BATCH}
 * entities, locking indexes in the receiver's order, so ingest goes on meanwhile.
 */
public final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    static final int BATCH = 256;

    private Compactor() {
    }

    /**
     * Compacts this node's primary partitions at time {@code now}, after folding their logs: compaction drops blocks,
     * and events still in the log are in none yet.
     */
    public static Dropped onThisNode(Ignite ignite, Definitions defs, long now) {
        io.hearth.node.fold.LogFolder folder = io.hearth.node.fold.LogFolder.of(ignite);
        if (folder != null) {
            folder.foldAll();
        }
        Dropped total = new Dropped(0, 0, 0);
        for (Source s : defs.sources()) {
            long cutoff = EventCompaction.cutoff(defs, s, now);
            IgniteCache<EventKey, Object> cache = cutoff == Long.MIN_VALUE ? null
                : ignite.cache(CacheLayout.eventsCache(s.name()));
            if (cache == null) {
                continue;
            }
            Dropped d = compact(ignite, cache, ignite.cache(CacheLayout.logCache(s.name())), cutoff);
            if (d.blocks() > 0) {
                LOG.info("Compacted source {} before {}: {} events in {} blocks of {} entities dropped", s.name(),
                    java.time.Instant.ofEpochMilli(cutoff), d.events(), d.blocks(), d.entities());
            }
            total = total.plus(d);
        }
        return total;
    }

    private static Dropped compact(Ignite ignite, IgniteCache<EventKey, Object> cache, IgniteCache<LogKey, Object> log,
                                   long cutoff) {
        IgniteCache<Object, Object> bin = cache.withKeepBinary();
        int[] parts = ignite.affinity(cache.getName()).primaryPartitions(ignite.cluster().localNode());
        Dropped total = new Dropped(0, 0, 0);
        List<String> due = new ArrayList<>();
        for (int p : parts) {
            try (QueryCursor<Cache.Entry<Object, Object>> cur = bin.query(new ScanQuery<>().setPartition(p).setLocal(true))) {
                for (Cache.Entry<Object, Object> e : cur) {
                    BinaryObject k = (BinaryObject) e.getKey();
                    if ((long) k.field("block") != EventKey.INDEX) {
                        continue;
                    }
                    EntityIndex idx = ((BinaryObject) e.getValue()).deserialize();
                    if (EventCompaction.droppable(idx, cutoff) > 0) {
                        due.add(k.field("entity"));
                    }
                    if (due.size() >= BATCH) { // small transactions: ingest waits on their locks
                        total = total.plus(inTx(ignite, cache, log, due, cutoff));
                        due.clear();
                    }
                }
            }
        }
        if (!due.isEmpty()) {
            total = total.plus(inTx(ignite, cache, log, due, cutoff));
        }
        return total;
    }

    private static Dropped inTx(Ignite ignite, IgniteCache<EventKey, Object> cache, IgniteCache<LogKey, Object> log,
                                Collection<String> entities, long cutoff) {
        // The index generations of the entities' partitions move before the transaction and after its commit, so that
        // lookups stop using indexes they kept from before it (IndexMemo).
        Set<Integer> anchors = new TreeSet<>();
        if (log != null) {
            LogPartitions lp = LogPartitions.of(ignite, log.getName());
            for (String e : entities) {
                anchors.add(lp.anchor(lp.partitionOf(e)));
            }
            IndexMemo.changing(log, anchors);
        }
        Dropped d;
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            d = EventCompaction.compact(cache, entities, cutoff); // re-reads each index under its lock
            tx.commit();
        }
        if (log != null) {
            IndexMemo.changing(log, anchors);
        }
        return d;
    }

    /** Compacts every server node's primaries now; returns the sum of what they dropped. */
    public static Dropped onEveryNode(Ignite ignite, long now) {
        Dropped total = new Dropped(0, 0, 0);
        for (long[] d : ignite.compute(ignite.cluster().forServers()).broadcast(new Job(now))) {
            total = total.plus(new Dropped(d[0], d[1], d[2]));
        }
        return total;
    }

    /** The compaction of one node, sent there by {@link #onEveryNode}. */
    static final class Job implements IgniteCallable<long[]> {
        private static final long serialVersionUID = 1L;
        private final long now;
        @IgniteInstanceResource
        private transient Ignite ignite;

        Job(long now) {
            this.now = now;
        }

        @Override
        public long[] call() {
            Dropped d = onThisNode(ignite, new RegistryStore(ignite, Clock.systemUTC()).definitions(), now);
            return new long[] {d.entities(), d.blocks(), d.events()};
        }
    }
}

package io.hearth.node.store;

import io.hearth.node.CacheLayout;

import io.hearth.compute.ingest.BreakerState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;

/**
 * Ingest state the cluster keeps so that any gateway can take over: circuit breakers per source and, per Kafka
 * consumer group, topic and partition, the offset of the next record to apply. Offsets are written after the
 * records before them are durable, so a consumer that starts from them never skips a record; records between
 * the stored offset and a crash are applied again and dropped as duplicates by their ids. And per source and
 * idempotency key (a file's hash, a client's key), the indexes of the records already accepted under it, so that
 * a resend says which records were already stored, and skips writing them again.
 */
public final class IngestStateStore {
    private final Ignite ignite;

    public IngestStateStore(Ignite ignite) {
        this.ignite = ignite;
    }

    private IgniteCache<String, Object> cache() {
        return ignite.cache(CacheLayout.INGEST_STATE);
    }

    private static String offsetKey(String group, String topic, int partition) {
        return "offset\u0000" + group + "\u0000" + topic + "\u0000" + partition;
    }

    private static String breakerKey(String source) {
        return "breaker\u0000" + source;
    }

    /** Stored next offsets of the given partitions (absent: never stored). */
    public Map<Integer, Long> offsets(String group, String topic, Set<Integer> partitions) {
        Set<String> keys = new HashSet<>();
        for (int p : partitions) {
            keys.add(offsetKey(group, topic, p));
        }
        Map<String, Object> got = cache().getAll(keys);
        Map<Integer, Long> out = new HashMap<>();
        for (int p : partitions) {
            Object v = got.get(offsetKey(group, topic, p));
            if (v != null) {
                out.put(p, (Long) v);
            }
        }
        return out;
    }

    /** Stores next offsets (partition to offset); durable on primary and backup when this returns. */
    public void storeOffsets(String group, String topic, Map<Integer, Long> next) {
        Map<String, Object> m = new java.util.TreeMap<>(); // sorted keys: concurrent putAlls lock in one order
        next.forEach((p, o) -> m.put(offsetKey(group, topic, p), o));
        cache().putAll(m);
    }

    public BreakerState breaker(String source) {
        Object v = cache().get(breakerKey(source));
        return v == null ? BreakerState.initial() : (BreakerState) v;
    }

    /**
     * Changes a breaker atomically: {@code change} sees the current state and returns the new one (or the same
     * object for no change). Returns the state after the call.
     */
    public BreakerState updateBreaker(String source, UnaryOperator<BreakerState> change) {
        IgniteCache<String, Object> c = cache();
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            Object v = c.get(breakerKey(source));
            BreakerState cur = v == null ? BreakerState.initial() : (BreakerState) v;
            BreakerState next = change.apply(cur);
            if (next != cur) {
                c.put(breakerKey(source), next);
            }
            tx.commit();
            return next;
        }
    }

    private static String ledgerKey(String source, String idempotencyKey) {
        return "ledger\u0000" + source + "\u0000" + idempotencyKey;
    }

    /** Indexes of the records accepted under an idempotency key ({@link io.hearth.compute.ingest.Ranges} form). */
    public long[] acceptedUnder(String source, String idempotencyKey) {
        Object v = cache().get(ledgerKey(source, idempotencyKey));
        return v == null ? io.hearth.compute.ingest.Ranges.EMPTY : (long[]) v;
    }

    /**
     * Adds record indexes accepted under an idempotency key, once the records are durable; durable on primary and
     * backup itself when this returns.
     */
    public void addAccepted(String source, String idempotencyKey, long[] ranges) {
        if (ranges.length == 0) {
            return;
        }
        IgniteCache<String, Object> c = cache();
        String key = ledgerKey(source, idempotencyKey);
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            Object v = c.get(key);
            c.put(key, io.hearth.compute.ingest.Ranges.union(v == null ? io.hearth.compute.ingest.Ranges.EMPTY
                : (long[]) v, ranges));
            tx.commit();
        }
    }
}

package io.hearth.node.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.node.CacheLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;

/**
 * How much each feature is served, summed over every gateway: per feature ({@code view:feature}), the last time a
 * lookup served it and, per feature service, how many lookups read it ({@value #NO_SERVICE} for lookups that named
 * features). Gateways count in memory and {@link #add} what they counted since their last flush: read, summed and
 * written in one transaction per batch of features, keys in order so two gateways flushing at once wait for each other
 * instead of deadlocking.
 */
public final class UsageStore {
    /** The service of lookups that named features rather than a feature service. */
    public static final String NO_SERVICE = "-";
    private static final int BATCH = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A feature's usage: when it was last served (epoch ms, 0: never) and lookups per service. */
    public record Usage(long lastServed, Map<String, Long> lookups) {
        public Usage {
            lookups = java.util.Collections.unmodifiableMap(new TreeMap<>(lookups == null ? Map.of() : lookups));
        }

        public static final Usage NONE = new Usage(0, Map.of());

        /** This usage with {@code more} added. */
        public Usage plus(Usage more) {
            Map<String, Long> sum = new TreeMap<>(lookups);
            more.lookups.forEach((k, v) -> sum.merge(k, v, Long::sum));
            return new Usage(Math.max(lastServed, more.lastServed), sum);
        }
    }

    private final Ignite ignite;

    public UsageStore(Ignite ignite) {
        this.ignite = ignite;
    }

    private IgniteCache<String, String> cache() {
        return ignite.cache(CacheLayout.USAGE);
    }

    /** Adds counts, per feature. */
    public void add(Map<String, Usage> counted) {
        List<String> keys = new ArrayList<>(new TreeMap<>(counted).keySet());
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
            try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
                TransactionIsolation.REPEATABLE_READ)) {
                IgniteCache<String, String> c = cache();
                Map<String, String> stored = c.getAll(new java.util.LinkedHashSet<>(batch));
                Map<String, String> out = new TreeMap<>();
                for (String k : batch) {
                    Usage before = stored.containsKey(k) ? read(stored.get(k)) : Usage.NONE;
                    out.put(k, json(before.plus(counted.get(k))));
                }
                c.putAll(out);
                tx.commit();
            }
        }
    }

    /** A feature's usage as flushed so far. */
    public Optional<Usage> get(String feature) {
        String v = cache().get(feature);
        return v == null ? Optional.empty() : Optional.of(read(v));
    }

    private static String json(Usage u) {
        try {
            return JSON.writeValueAsString(u);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write usage as JSON", e);
        }
    }

    private static Usage read(String json) {
        try {
            return JSON.readValue(json, Usage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored usage is not readable: " + e.getOriginalMessage(), e);
        }
    }
}

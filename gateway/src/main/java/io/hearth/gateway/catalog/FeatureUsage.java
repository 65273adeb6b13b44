package io.hearth.gateway.catalog;

import io.hearth.catalog.FeatureRef;
import io.hearth.node.store.UsageStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, in this gateway, the lookups that read each feature, per feature service ({@link UsageStore#NO_SERVICE} for
 * lookups that named features), and when each was last served; and adds the counts to the cluster's
 * ({@link UsageStore}) every flush interval, on a thread of its own, so that every gateway's counts add up and survive
 * restarts. A lookup pays one map read for its shape (the service or the list of features it asked for, remembered per
 * shape), then a {@link LongAdder} increment and a time write per feature: no allocation once a shape was seen. A flush
 * that fails puts its counts back, to be added by the next one.
 */
public final class FeatureUsage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureUsage.class);
    /** Shapes remembered; past this the memory starts over (clients asking arbitrary lists). */
    private static final int MAX_SHAPES = 4096;

    /** One (feature, service) pair's count since the last flush, and when it was last served. */
    private static final class Counter {
        final String feature;
        final String service;
        final LongAdder lookups = new LongAdder();
        volatile long last;

        Counter(String feature, String service) {
            this.feature = feature;
            this.service = service;
        }
    }

    /** The counters of a service's features, and the feature list they were made for (a service may change). */
    private record ServiceShape(List<FeatureRef> features, Counter[] counters) {
    }

    private final UsageStore store;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, ServiceShape> services = new ConcurrentHashMap<>();
    private final Map<List<FeatureRef>, Counter[]> lists = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    /** @param flushMillis how often counts go to the cluster; 0: only when {@link #flush()} is called */
    public FeatureUsage(UsageStore store, long flushMillis) {
        this.store = store;
        if (flushMillis > 0) {
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hearth-usage-flush");
                t.setDaemon(true);
                return t;
            });
            flusher.scheduleWithFixedDelay(this::flushQuietly, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
        } else {
            flusher = null;
        }
    }

    /** Counts one lookup of {@code features}, asked by {@code service} (null: named), served at {@code now}. */
    public void served(String service, List<FeatureRef> features, long now) {
        Counter[] cs;
        if (service != null) {
            ServiceShape s = services.get(service);
            if (s == null || !s.features().equals(features)) {
                s = new ServiceShape(List.copyOf(features), counters(service, features));
                remember(services, service, s);
            }
            cs = s.counters();
        } else {
            cs = lists.get(features);
            if (cs == null) {
                cs = counters(UsageStore.NO_SERVICE, features);
                remember(lists, List.copyOf(features), cs);
            }
        }
        for (Counter c : cs) {
            c.lookups.increment();
            if (c.last != now) {
                c.last = now;
            }
        }
    }

    private static <K, V> void remember(Map<K, V> shapes, K key, V value) {
        if (shapes.size() >= MAX_SHAPES) {
            shapes.clear();
        }
        shapes.put(key, value);
    }

    private Counter[] counters(String service, List<FeatureRef> features) {
        Counter[] out = new Counter[features.size()];
        for (int i = 0; i < out.length; i++) {
            String f = features.get(i).qualified();
            out[i] = counters.computeIfAbsent(f + '\u0000' + service, k -> new Counter(f, service));
        }
        return out;
    }

    /** Adds what was counted since the last flush to the cluster's counts; on failure the counts stay for the next. */
    public synchronized void flush() {
        Map<String, UsageStore.Usage> out = new HashMap<>();
        Map<Counter, Long> taken = new HashMap<>();
        for (Counter c : counters.values()) {
            long n = c.lookups.sumThenReset();
            if (n > 0) {
                taken.put(c, n);
                UsageStore.Usage u = new UsageStore.Usage(c.last, Map.of(c.service, n));
                out.merge(c.feature, u, UsageStore.Usage::plus);
            }
        }
        if (out.isEmpty()) {
            return;
        }
        try {
            store.add(out);
        } catch (RuntimeException e) {
            taken.forEach((c, n) -> c.lookups.add(n));
            throw e;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Feature usage not flushed to the cluster (kept for the next flush): {}", e.toString());
        }
    }

    /** A feature's usage in the cluster, with this gateway's counts flushed first. */
    public UsageStore.Usage of(String feature) {
        flush();
        return store.get(feature).orElse(UsageStore.Usage.NONE);
    }

    /** Stops flushing on schedule and flushes what is left. */
    @Override
    public void close() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        flushQuietly();
    }
}

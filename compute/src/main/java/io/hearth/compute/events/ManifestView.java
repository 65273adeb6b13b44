package io.hearth.compute.events;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.internal.processors.affinity.AffinityTopologyVersion;
import org.apache.ignite.internal.processors.cache.GridCacheContext;
import org.apache.ignite.internal.processors.cache.IgniteCacheProxy;
import org.apache.ignite.internal.processors.cache.distributed.dht.topology.GridDhtLocalPartition;
import org.apache.ignite.internal.processors.cache.distributed.dht.topology.GridDhtPartitionState;

/**
 * A grid member's own copy of the manifests ({@link LogHead}, {@link LogLevels}) of the log partitions it is primary
 * for, so that a lookup reads them without a grid read: two page-memory tree searches and two decodings per source
 * were about 30% of a 1 × 20 lookup.
 *
 * <p>Why a held copy is never stale. Manifests change only through entry processors ({@link Change}), which run on
 * the partition's primary under the entry's lock: each drops the member's copy before it returns its new value, so
 * no copy outlives the value it was taken from. A copy is taken only by {@link Capture}, a processor that changes
 * nothing and so reads the value under the same lock, serialized with every change. A copy is stamped with the
 * cache's affinity version at that moment and used only while that version is still the ready one and the partition
 * is primary and owned here: every write made while this member is primary ran its processor here, and a change of
 * primary is a new affinity version (the exchange waits for updates in flight). Backups may run processors too;
 * their copies carry a version at which they were not primary and are never used. The copy lives in the member's
 * node-local map: a member started again starts empty.
 *
 * <p>Only Ignite's internal API gives the cache context, its affinity version and the partition's state; it is
 * confined to this class.
 */
public final class ManifestView {
    private static final String KEY = ManifestView.class.getName();

    private final ConcurrentHashMap<String, ConcurrentHashMap<LogKey, Held>> byCache = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder captures = new LongAdder();
    private final LongAdder drops = new LongAdder();

    /** A manifest as taken (null: no entry), and the affinity version it is good for. */
    private record Held(Object value, AffinityTopologyVersion at) {
    }

    private ManifestView() {
    }

    private static ManifestView of(GridCacheContext<?, ?> cctx) {
        ConcurrentMap<String, Object> local = cctx.kernalContext().grid().cluster().nodeLocalMap();
        Object v = local.get(KEY);
        return v != null ? (ManifestView) v : (ManifestView) local.computeIfAbsent(KEY, k -> new ManifestView());
    }

    /** This member's view, for tests and metrics: {hits, captures, drops}. */
    public static long[] counts(org.apache.ignite.Ignite ignite) {
        Object v = ignite.cluster().nodeLocalMap().get(KEY);
        if (v == null) {
            return new long[3];
        }
        ManifestView m = (ManifestView) v;
        return new long[] {m.hits.sum(), m.captures.sum(), m.drops.sum()};
    }

    private static GridCacheContext<?, ?> contextOf(MutableEntry<LogKey, Object> entry) {
        try {
            return entry.unwrap(GridCacheContext.class);
        } catch (RuntimeException notAGridEntry) { // the map-backed caches of unit tests
            return null;
        }
    }

    /**
     * What {@link #read} found: the entries of the keys (as {@link IgniteCache#getAll} gives them), which of them came
     * from this member's held copies (partitions primary here), and the affinity version those are good for.
     */
    record Read(Map<LogKey, Object> values, Set<LogKey> local, Object at) {
    }

    /** {@link #read}'s entries alone. */
    static Map<LogKey, Object> getAll(IgniteCache<LogKey, Object> log, Set<LogKey> keys) {
        return read(log, keys).values();
    }

    /**
     * The entries of {@code keys} (manifest keys only): those of partitions primary here from the held copies,
     * captured first where there is none; the rest from the grid.
     */
    static Read read(IgniteCache<LogKey, Object> log, Set<LogKey> keys) {
        GridCacheContext<?, ?> cctx = log instanceof IgniteCacheProxy<?, ?> p ? p.context() : null;
        if (cctx == null || cctx.kernalContext().clientNode()) {
            return new Read(log.getAll(keys), Set.of(), null);
        }
        ManifestView view = of(cctx);
        AffinityTopologyVersion at = cctx.affinity().affinityTopologyVersion();
        ConcurrentHashMap<LogKey, Held> held = view.byCache.computeIfAbsent(cctx.name(), k -> new ConcurrentHashMap<>());
        Map<LogKey, Object> out = new HashMap<>();
        Set<LogKey> local = new HashSet<>();
        Set<LogKey> capture = null;
        Set<LogKey> remote = null;
        for (LogKey k : keys) {
            if (!primaryHere(cctx, k.anchor(), at)) {
                remote = add(remote, k);
                continue;
            }
            local.add(k);
            Held h = held.get(k);
            if (h != null && h.at.equals(at)) {
                view.hits.increment();
                if (h.value != null) {
                    out.put(k, h.value);
                }
            } else {
                capture = add(capture, k);
            }
        }
        if (capture != null) {
            view.captures.add(capture.size());
            Map<LogKey, EntryProcessorResult<Object>> got = log.invokeAll(capture, new Capture());
            got.forEach((k, r) -> {
                Object v = r.get();
                if (v != null) {
                    out.put(k, v);
                }
            });
        }
        if (remote != null) {
            out.putAll(log.getAll(remote));
        }
        return new Read(out, local, at);
    }

    private static Set<LogKey> add(Set<LogKey> s, LogKey k) {
        Set<LogKey> out = s == null ? new TreeSet<>() : s;
        out.add(k);
        return out;
    }

    /** Whether the partition of {@code anchor} is primary here at {@code at} and owned (not being rebalanced). */
    private static boolean primaryHere(GridCacheContext<?, ?> cctx, int anchor, AffinityTopologyVersion at) {
        int p = cctx.affinity().partition(anchor); // an anchor is an int whose affinity is its partition
        if (!cctx.affinity().primaryByPartition(cctx.localNode(), p, at)) {
            return false;
        }
        GridDhtLocalPartition part = cctx.topology().localPartition(p);
        return part != null && part.state() == GridDhtPartitionState.OWNING;
    }

    /**
     * A manifest's entry processor that changes it: drops this member's copy first (under the entry's lock, before
     * the new value is stored), then makes the change.
     */
    abstract static class Change implements EntryProcessor<LogKey, Object, Object> {
        @Override
        public final Object process(MutableEntry<LogKey, Object> entry, Object... args) {
            GridCacheContext<?, ?> cctx = contextOf(entry);
            if (cctx != null) {
                ManifestView view = of(cctx);
                ConcurrentHashMap<LogKey, Held> held = view.byCache.get(cctx.name());
                if (held != null && held.remove(entry.getKey()) != null) {
                    view.drops.increment();
                }
            }
            return change(entry);
        }

        abstract Object change(MutableEntry<LogKey, Object> entry);
    }

    /** Takes this member's copy of a manifest, under the entry's lock; changes nothing; returns the value. */
    static final class Capture implements EntryProcessor<LogKey, Object, Object> {
        @Override
        public Object process(MutableEntry<LogKey, Object> entry, Object... args) {
            Object v = entry.exists() ? entry.getValue() : null;
            GridCacheContext<?, ?> cctx = contextOf(entry);
            if (cctx != null) {
                of(cctx).byCache.computeIfAbsent(cctx.name(), k -> new ConcurrentHashMap<>())
                    .put(entry.getKey(), new Held(v, cctx.affinity().affinityTopologyVersion()));
            }
            return v;
        }
    }
}

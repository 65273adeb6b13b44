package io.hearth.security.audit;

import io.hearth.node.CacheLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.query.ScanQuery;

/**
 * The audit trail in the grid's {@value CacheLayout#AUDIT} cache: persistent, a backup copy, written FULL_SYNC, so
 * an entry appended is on two nodes and survives restarts. Append-only: each entry gets a new key (its time, this
 * writer's id, a counter: sortable by time) written with {@code putIfAbsent}; nothing in Hearth removes or rewrites
 * one. Values are the entries' JSON, readable by any tool.
 *
 * <p>Reads scan the cache: the trail holds admin actions and refusals (the latter thinned per address), thousands of
 * entries, not millions; a time index is the next step if it grows past that.
 */
public final class GridAuditTrail implements AuditTrail {
    private final IgniteCache<String, String> cache;
    private final String writer = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong counter = new AtomicLong();

    public GridAuditTrail(Ignite ignite) {
        this.cache = ignite.cache(CacheLayout.AUDIT);
        if (cache == null) {
            throw new IllegalStateException("the grid has no " + CacheLayout.AUDIT + " cache (created by every Hearth node)");
        }
    }

    @Override
    public void append(AuditEntry entry) {
        String json = entry.toJson().toString();
        while (!cache.putIfAbsent(key(entry.atMillis()), json)) {
            // a key is unique by construction; a clash means two trails share an id: take the next key
        }
    }

    private String key(long at) {
        return String.format("%013d-%s-%010d", at, writer, counter.incrementAndGet());
    }

    @Override
    public List<AuditEntry> read(AuditQuery q) {
        String from = String.format("%013d", Math.max(0, q.fromMillis()));
        TreeMap<String, AuditEntry> newest = new TreeMap<>();
        try (var cursor = cache.query(new ScanQuery<String, String>())) {
            for (Cache.Entry<String, String> e : cursor) {
                if (e.getKey().compareTo(from) < 0) {
                    continue;
                }
                AuditEntry a = AuditEntry.fromJson(e.getValue());
                if (q.matches(a)) {
                    newest.put(e.getKey(), a);
                    if (newest.size() > q.limit()) {
                        newest.pollFirstEntry();
                    }
                }
            }
        }
        List<AuditEntry> out = new ArrayList<>(newest.size());
        for (Map.Entry<String, AuditEntry> e : newest.entrySet()) {
            out.add(e.getValue());
        }
        return out;
    }
}

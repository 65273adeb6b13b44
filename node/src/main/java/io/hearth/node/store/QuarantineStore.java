package io.hearth.node.store;

import io.hearth.node.CacheLayout;

import io.hearth.compute.ingest.QuarantinedRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.query.SqlFieldsQuery;

/** Records that broke their source's rules, durable (FULL_SYNC) before the request that sent them is answered. */
public final class QuarantineStore {
    private final Ignite ignite;

    public QuarantineStore(Ignite ignite) {
        this.ignite = ignite;
    }

    private IgniteCache<String, QuarantinedRecord> cache() {
        return ignite.cache(CacheLayout.QUARANTINE);
    }

    public void add(List<QuarantinedRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<String, QuarantinedRecord> m = new HashMap<>();
        for (QuarantinedRecord r : records) {
            m.put(key(r), r);
        }
        cache().putAll(m);
    }

    /**
     * One entry per record place: (source, origin, index), so that a replayed Kafka record (same topic/partition
     * and offset) or a resent request under the same idempotency key lands on its earlier entry; or (source, id)
     * for a record with an id sent without a key, as its event would be stored once. Other HTTP records carry a
     * request id as origin, so never meet, as their events would not.
     */
    static String key(QuarantinedRecord r) {
        return r.place() != null ? r.source() + '\u0000' + r.place()
            : r.source() + '\u0000' + r.origin() + '\u0000' + r.rowIndex();
    }

    /** The newest records of a source (all sources when null), newest first. */
    public List<QuarantinedRecord> list(String source, int limit) {
        return list(source, null, limit);
    }

    /** The newest records of a source and rule (either null: all), newest first. */
    public List<QuarantinedRecord> list(String source, String rule, int limit) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT _val FROM " + CacheLayout.SQL_SCHEMA + ".QUARANTINE" + where(source, rule, args)
            + " ORDER BY receivedAt DESC, rowIndex DESC LIMIT ?";
        args.add(limit);
        SqlFieldsQuery q = new SqlFieldsQuery(sql).setSchema(CacheLayout.SQL_SCHEMA).setArgs(args.toArray());
        List<QuarantinedRecord> out = new ArrayList<>();
        for (List<?> row : cache().query(q).getAll()) {
            out.add((QuarantinedRecord) row.get(0));
        }
        return out;
    }

    public long count(String source) {
        return count(source, null);
    }

    /** Records of a source and rule (either null: all). */
    public long count(String source, String rule) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT COUNT(*) FROM " + CacheLayout.SQL_SCHEMA + ".QUARANTINE" + where(source, rule, args);
        SqlFieldsQuery q = new SqlFieldsQuery(sql).setSchema(CacheLayout.SQL_SCHEMA).setArgs(args.toArray());
        return ((Number) cache().query(q).getAll().get(0).get(0)).longValue();
    }

    /** Records of a source (all sources when null) per rule they broke, most first (then by rule). */
    public Map<String, Long> countByRule(String source) {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT rule, COUNT(*) AS n FROM " + CacheLayout.SQL_SCHEMA + ".QUARANTINE" + where(source, null, args)
            + " GROUP BY rule ORDER BY n DESC, rule";
        SqlFieldsQuery q = new SqlFieldsQuery(sql).setSchema(CacheLayout.SQL_SCHEMA).setArgs(args.toArray());
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (List<?> row : cache().query(q).getAll()) {
            out.put(String.valueOf(row.get(0)), ((Number) row.get(1)).longValue());
        }
        return out;
    }

    private static String where(String source, String rule, List<Object> args) {
        List<String> cond = new ArrayList<>();
        if (source != null) {
            cond.add("source = ?");
            args.add(source);
        }
        if (rule != null) {
            cond.add("rule = ?");
            args.add(rule);
        }
        return cond.isEmpty() ? "" : " WHERE " + String.join(" AND ", cond);
    }
}

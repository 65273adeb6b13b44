package io.hearth.node;

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
     * One entry per record place (source, origin, index): a replayed Kafka record (same topic/partition and offset)
     * lands on its earlier entry instead of adding one; HTTP origins carry a request id, so never meet.
     */
    static String key(QuarantinedRecord r) {
        return r.source() + '\u0000' + r.origin() + '\u0000' + r.rowIndex();
    }

    /** The newest records of a source (all sources when null), newest first. */
    public List<QuarantinedRecord> list(String source, int limit) {
        String sql = "SELECT _val FROM " + CacheLayout.SQL_SCHEMA + ".QUARANTINE"
            + (source == null ? "" : " WHERE source = ?") + " ORDER BY receivedAt DESC, rowIndex DESC LIMIT ?";
        SqlFieldsQuery q = new SqlFieldsQuery(sql).setSchema(CacheLayout.SQL_SCHEMA);
        q.setArgs(source == null ? new Object[] {limit} : new Object[] {source, limit});
        List<QuarantinedRecord> out = new ArrayList<>();
        for (List<?> row : cache().query(q).getAll()) {
            out.add((QuarantinedRecord) row.get(0));
        }
        return out;
    }

    public long count(String source) {
        String sql = "SELECT COUNT(*) FROM " + CacheLayout.SQL_SCHEMA + ".QUARANTINE" + (source == null ? "" : " WHERE source = ?");
        SqlFieldsQuery q = new SqlFieldsQuery(sql).setSchema(CacheLayout.SQL_SCHEMA);
        if (source != null) {
            q.setArgs(source);
        }
        return ((Number) cache().query(q).getAll().get(0).get(0)).longValue();
    }
}

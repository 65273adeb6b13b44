package io.hearth.quality;

import io.hearth.catalog.Expectation;
import io.hearth.node.CacheLayout;
import io.hearth.node.CacheLayout.QualityFields;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.binary.BinaryObjectBuilder;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.transactions.Transaction;
import org.apache.ignite.transactions.TransactionConcurrency;
import org.apache.ignite.transactions.TransactionIsolation;

/**
 * Where quality lives in the cluster: every judged window ({@value CacheLayout#QUALITY}, SQL table
 * {@code HEARTH.QUALITY}), reference distributions and the record counts per period that {@code row_count} judges
 * ({@value CacheLayout#QUALITY_STATE}).
 */
public final class QualityStore {
    /** Most results one query answers. */
    public static final int MAX_RESULTS = 10_000;
    private static final String REF_PREFIX = "ref|";
    private static final String COUNT_PREFIX = "count|";

    private final Ignite ignite;
    private final AtomicLong seq = new AtomicLong();
    private final String process;

    public QualityStore(Ignite ignite) {
        this.ignite = ignite;
        this.process = ignite.cluster().localNode().id().toString();
    }

    private IgniteCache<String, Object> results() {
        return ignite.<String, Object>cache(CacheLayout.QUALITY).withKeepBinary();
    }

    private IgniteCache<String, Object> state() {
        return ignite.cache(CacheLayout.QUALITY_STATE);
    }

    /** Stores results durably (primary and backup) before it returns. */
    public void record(List<QualityResult> rs) {
        if (rs.isEmpty()) {
            return;
        }
        Map<String, Object> batch = new TreeMap<>(); // sorted keys: no deadlock between concurrent putAlls
        for (QualityResult r : rs) {
            batch.put(key(r), binary(r));
        }
        results().putAll(batch);
    }

    /** A result's key: one per window and expectation; a result with an origin of its own (a period) keeps one. */
    private String key(QualityResult r) {
        String subject = r.column() != null ? r.column() : r.feature() != null ? r.feature() : "";
        if ("row_count".equals(r.expect())) {
            return r.source() + "|row_count|" + r.windowStart(); // every gateway judges the same count: one row
        }
        return r.source() + "|" + subject + "|" + r.expect() + "|" + r.windowEnd() + "|" + process + "|"
            + seq.incrementAndGet();
    }

    private BinaryObject binary(QualityResult r) {
        BinaryObjectBuilder b = ignite.binary().builder(CacheLayout.QUALITY_TYPE);
        b.setField(QualityFields.SOURCE, r.source(), String.class);
        b.setField(QualityFields.COLUMN, r.column(), String.class);
        b.setField(QualityFields.FEATURE, r.feature(), String.class);
        b.setField(QualityFields.EXPECT, r.expect(), String.class);
        b.setField(QualityFields.WINDOW_START, new Timestamp(r.windowStart()), Timestamp.class);
        b.setField(QualityFields.WINDOW_END, new Timestamp(r.windowEnd()), Timestamp.class);
        b.setField(QualityFields.ELEMENT_COUNT, r.elementCount(), Long.class);
        b.setField(QualityFields.UNEXPECTED_COUNT, r.unexpectedCount(), Long.class);
        b.setField(QualityFields.OBSERVED, Double.isNaN(r.observed()) ? null : r.observed(), Double.class);
        b.setField(QualityFields.SUCCESS, r.success(), Boolean.class);
        b.setField(QualityFields.SEVERITY, r.severity().spelling(), String.class);
        b.setField(QualityFields.DETAIL, r.detail(), String.class);
        b.setField(QualityFields.ORIGIN, r.origin(), String.class);
        return b.build();
    }

    /** What to read back: each null field matches anything; times in epoch milliseconds, {@code from} inclusive. */
    public record Query(String source, String column, String feature, String expect, Long from, Long to, Boolean success) {
    }

    /** Results in window order (then start, subject, expectation), at most {@link #MAX_RESULTS}. */
    public List<QualityResult> results(Query q) {
        StringBuilder sql = new StringBuilder("SELECT source, column, feature, expect, window_start, window_end, "
            + "element_count, unexpected_count, observed, success, severity, detail, origin FROM HEARTH.QUALITY WHERE 1=1");
        List<Object> args = new ArrayList<>();
        where(sql, args, "source", q.source());
        where(sql, args, "column", q.column());
        where(sql, args, "feature", q.feature());
        where(sql, args, "expect", q.expect());
        if (q.success() != null) {
            sql.append(" AND success = ?");
            args.add(q.success());
        }
        if (q.from() != null) {
            sql.append(" AND window_end >= ?");
            args.add(new Timestamp(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND window_end < ?");
            args.add(new Timestamp(q.to()));
        }
        sql.append(" ORDER BY window_end, window_start, source, column, feature, expect LIMIT ").append(MAX_RESULTS);
        List<QualityResult> out = new ArrayList<>();
        try (var cur = results().query(new SqlFieldsQuery(sql.toString()).setArgs(args.toArray()))) {
            for (List<?> row : cur) {
                Double observed = (Double) row.get(8);
                out.add(new QualityResult((String) row.get(0), (String) row.get(1), (String) row.get(2), (String) row.get(3),
                    ((Timestamp) row.get(4)).getTime(), ((Timestamp) row.get(5)).getTime(), (Long) row.get(6),
                    (Long) row.get(7), observed == null ? Double.NaN : observed, (Boolean) row.get(9),
                    Expectation.Severity.parse((String) row.get(10)), (String) row.get(11), (String) row.get(12)));
            }
        }
        return out;
    }

    private static void where(StringBuilder sql, List<Object> args, String col, String v) {
        if (v != null) {
            sql.append(" AND ").append(col).append(" = ?");
            args.add(v);
        }
    }

    // ---- references

    public void putReference(Reference r) {
        state().put(REF_PREFIX + r.name(), r.stored());
    }

    /** The reference of a name, or null. */
    public Reference reference(String name) {
        Object s = state().get(REF_PREFIX + name);
        return s == null ? null : Reference.parse((String) s);
    }

    /** Every reference, by name. */
    public Map<String, Reference> references() {
        Map<String, Reference> out = new TreeMap<>();
        try (QueryCursor<Cache.Entry<String, Object>> cur = state().query(new ScanQuery<String, Object>(
            (k, v) -> k.startsWith(REF_PREFIX)))) {
            for (Cache.Entry<String, Object> e : cur) {
                Reference r = Reference.parse((String) e.getValue());
                out.put(r.name(), r);
            }
        }
        return out;
    }

    // ---- column profiles

    private static final String PROFILE_PREFIX = "profile|";

    /** Stores one process's profile parts of a source: per hour start, per column (each replaces its earlier self). */
    public void putProfiles(String source, String process, Map<Long, Map<String, ColumnProfile.Part>> parts) {
        Map<String, Object> batch = new TreeMap<>();
        parts.forEach((hour, cols) -> cols.forEach((col, part) -> batch.put(PROFILE_PREFIX + source + "|" + hour + "|" + col
            + "|" + process, ProfileCodec.encode(part))));
        state().putAll(batch);
    }

    /** Every stored part of a source's columns with hours overlapping {@code [from, to)}, by column. */
    public Map<String, List<ColumnProfile.Part>> profiles(String source, long from, long to) {
        String prefix = PROFILE_PREFIX + source + "|";
        Map<String, List<ColumnProfile.Part>> out = new TreeMap<>();
        try (QueryCursor<Cache.Entry<String, Object>> cur = state().query(new ScanQuery<String, Object>(
            (k, v) -> k.startsWith(prefix)))) {
            for (Cache.Entry<String, Object> e : cur) {
                String[] f = e.getKey().substring(prefix.length()).split("\\|", 3);
                long hour = Long.parseLong(f[0]);
                if (hour + Profiles.HOUR <= from || hour >= to) {
                    continue;
                }
                out.computeIfAbsent(f[1], k -> new ArrayList<>()).add(ProfileCodec.decode((byte[]) e.getValue()));
            }
        }
        return out;
    }

    /**
     * Drops what ended before {@code cutoff}: judged windows, profile parts of hours and record counts of periods. Every
     * gateway sweeps hourly; sweeps racing each other remove the same entries.
     */
    public void dropBefore(long cutoff) {
        try (var cur = results().query(new SqlFieldsQuery("DELETE FROM HEARTH.QUALITY WHERE window_end < ?")
            .setArgs(new Timestamp(cutoff)))) {
            cur.getAll();
        }
        List<String> old = new ArrayList<>();
        try (QueryCursor<Cache.Entry<String, Object>> cur = state().query(new ScanQuery<String, Object>(
            (k, v) -> k.startsWith(PROFILE_PREFIX) || k.startsWith(COUNT_PREFIX)))) {
            for (Cache.Entry<String, Object> e : cur) {
                String k = e.getKey();
                boolean profile = k.startsWith(PROFILE_PREFIX);
                // profile|source|hour|column|process and count|source|period
                String[] f = k.split("\\|", 4);
                long start = Long.parseLong(f[2]);
                if (start + (profile ? Profiles.HOUR : 0) <= cutoff) {
                    old.add(k);
                }
            }
        }
        if (!old.isEmpty()) {
            state().removeAll(new java.util.TreeSet<>(old));
        }
    }

    // ---- record counts per period (row_count)

    /** Adds what this process accepted: per source, per period start, a count. One transaction. */
    public void addCounts(Map<String, Map<Long, Long>> counts) {
        if (counts.isEmpty()) {
            return;
        }
        Map<String, Long> add = new TreeMap<>();
        counts.forEach((src, byPeriod) -> byPeriod.forEach((p, c) -> add.merge(COUNT_PREFIX + src + "|" + p, c, Long::sum)));
        IgniteCache<String, Object> st = state();
        try (Transaction tx = ignite.transactions().txStart(TransactionConcurrency.PESSIMISTIC,
            TransactionIsolation.REPEATABLE_READ)) {
            Map<String, Object> now = st.getAll(add.keySet());
            Map<String, Object> next = new HashMap<>();
            add.forEach((k, c) -> next.put(k, (now.get(k) == null ? 0L : (Long) now.get(k)) + c));
            st.putAll(new TreeMap<>(next));
            tx.commit();
        }
    }

    /** Records the cluster accepted into a source in the period starting at {@code periodStart}. */
    public long count(String source, long periodStart) {
        Object v = state().get(COUNT_PREFIX + source + "|" + periodStart);
        return v == null ? 0 : (Long) v;
    }
}

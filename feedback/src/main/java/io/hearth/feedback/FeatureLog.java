package io.hearth.feedback;

import io.hearth.catalog.Definitions;
import io.hearth.catalog.FeatureLogging;
import io.hearth.catalog.FeatureService;
import io.hearth.node.CacheLayout;
import io.hearth.node.CacheLayout.FeatureLogFields;
import io.hearth.node.store.RegistryStore;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.cache.query.FieldsQueryCursor;
import org.apache.ignite.cache.query.SqlFieldsQuery;

/**
 * Reads the feature log (cache {@value CacheLayout#FEATURE_LOG}, SQL table {@code HEARTH.FEATURE_LOG}): one log by
 * request id (from this gateway's logger while the grid has not acknowledged it yet, so that a read right after the
 * lookup finds it), a service's logs in a time range (both ends inclusive) in served order or in sample order, and deletes
 * logs past their service's retention. Logs are decoded with the definitions of the registry version that served
 * them, each version parsed once.
 */
public final class FeatureLog {
    static final String TABLE = CacheLayout.SQL_SCHEMA + ".FEATURE_LOG";
    static final String COLUMNS = String.join(", ", FeatureLogFields.REQUEST_ID, FeatureLogFields.SERVICE,
        FeatureLogFields.REGISTRY_VERSION, FeatureLogFields.MODEL, FeatureLogFields.MODEL_VERSION, FeatureLogFields.AS_OF,
        FeatureLogFields.SERVED_AT, FeatureLogFields.ENTITIES, FeatureLogFields.FEATURES);

    private final Ignite ignite;
    private final RegistryStore registry;
    private final FeatureLogger logger;
    private final Map<Long, Optional<Definitions>> versions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Optional<Definitions>> eldest) {
            return size() > 32;
        }
    };

    public FeatureLog(Ignite ignite, RegistryStore registry, FeatureLogger logger) {
        this.ignite = ignite;
        this.registry = registry;
        this.logger = logger;
    }

    private IgniteCache<String, BinaryObject> cache() {
        return ignite.<String, Object>cache(CacheLayout.FEATURE_LOG).withKeepBinary();
    }

    /** The definitions of a registry version, when the registry still has it. */
    public synchronized Optional<Definitions> definitions(long version) {
        Optional<RegistryStore.Version> current = registry.current();
        if (current.isPresent() && current.get().version() == version) {
            return Optional.of(current.get().definitions());
        }
        return versions.computeIfAbsent(version, v -> registry.load(v).map(RegistryStore.Version::definitions));
    }

    /** The log of a request, when it was logged (and its log is written and not past retention). */
    public Optional<LogRecord> get(String requestId) {
        Optional<LogRecord> pending = logger.pending(requestId);
        if (pending.isPresent()) {
            return pending;
        }
        BinaryObject o = cache().get(requestId);
        if (o == null) {
            return Optional.empty();
        }
        LogCodec.Stored s = LogCodec.Stored.of(o);
        return Optional.of(LogCodec.decode(s, definitions(s.registryVersion())));
    }

    /** Of {@code requestIds}, those logged, each with the service that served it. */
    public Map<String, String> servicesOf(Collection<String> requestIds) {
        Map<String, String> out = new HashMap<>();
        if (requestIds.isEmpty()) {
            return out;
        }
        Set<String> keys = new HashSet<>(requestIds);
        for (String id : requestIds) {
            logger.pending(id).ifPresent(l -> {
                out.put(id, l.service());
                keys.remove(id);
            });
        }
        if (!keys.isEmpty()) {
            cache().getAll(keys).forEach((k, v) -> out.put(k, v.field(FeatureLogFields.SERVICE)));
        }
        return out;
    }

    /**
     * Each log of {@code service} served from {@code from} to {@code to} (inclusive), oldest first, handed to
     * {@code each} as the cursor reads it (nothing is held in memory).
     */
    public void forEach(String service, long from, long to, Consumer<LogRecord> each) {
        query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE " + FeatureLogFields.SERVICE + " = ? AND "
            + FeatureLogFields.SERVED_AT + " >= ? AND " + FeatureLogFields.SERVED_AT + " <= ? ORDER BY "
            + FeatureLogFields.SERVED_AT + ", " + FeatureLogFields.REQUEST_ID, each, service, new Timestamp(from),
            new Timestamp(to));
    }

    /**
     * Up to {@code n} logs of {@code service} from {@code from} to {@code to}, drawn in sample-key order: a uniform
     * random sample, the same for the same logs.
     */
    public List<LogRecord> sample(String service, long from, long to, int n) {
        List<LogRecord> out = new ArrayList<>();
        query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE " + FeatureLogFields.SERVICE + " = ? AND "
            + FeatureLogFields.SERVED_AT + " >= ? AND " + FeatureLogFields.SERVED_AT + " <= ? ORDER BY "
            + FeatureLogFields.SAMPLE_KEY + ", " + FeatureLogFields.REQUEST_ID + " LIMIT ?", out::add, service,
            new Timestamp(from), new Timestamp(to), n);
        return out;
    }

    /** The registry versions that served the logs of {@code service} from {@code from} to {@code to}, ascending. */
    public List<Long> versions(String service, long from, long to) {
        List<Long> out = new ArrayList<>();
        SqlFieldsQuery q = new SqlFieldsQuery("SELECT DISTINCT " + FeatureLogFields.REGISTRY_VERSION + " FROM " + TABLE
            + " WHERE " + FeatureLogFields.SERVICE + " = ? AND " + FeatureLogFields.SERVED_AT + " >= ? AND "
            + FeatureLogFields.SERVED_AT + " <= ? ORDER BY 1").setSchema(CacheLayout.SQL_SCHEMA)
            .setArgs(service, new Timestamp(from), new Timestamp(to));
        for (List<?> row : cache().query(q).getAll()) {
            out.add(((Number) row.get(0)).longValue());
        }
        return out;
    }

    private void query(String sql, Consumer<LogRecord> each, Object... args) {
        SqlFieldsQuery q = new SqlFieldsQuery(sql).setSchema(CacheLayout.SQL_SCHEMA).setArgs(args).setLazy(true)
            .setPageSize(1024);
        try (FieldsQueryCursor<List<?>> cursor = cache().query(q)) {
            for (Iterator<List<?>> it = cursor.iterator(); it.hasNext(); ) {
                LogCodec.Stored s = LogCodec.Stored.of(it.next());
                each.accept(LogCodec.decode(s, definitions(s.registryVersion())));
            }
        }
    }

    /**
     * Deletes the logs past their service's retention at {@code now} (a service without {@code logging:}, or no longer
     * defined, keeps logs for {@link FeatureLogging#DEFAULT_RETENTION_MILLIS}). Returns how many were deleted.
     */
    public long sweep(Definitions defs, long now) {
        long deleted = 0;
        List<String> named = new ArrayList<>();
        for (FeatureService s : defs.featureServices()) {
            named.add(s.name());
            deleted += delete(FeatureLogFields.SERVICE + " = ?", s.name(), now - s.logging().retentionMillis());
        }
        String others = named.isEmpty() ? "TRUE" : FeatureLogFields.SERVICE + " NOT IN ("
            + String.join(", ", java.util.Collections.nCopies(named.size(), "?")) + ")";
        List<Object> args = new ArrayList<>(named);
        args.add(new Timestamp(now - FeatureLogging.DEFAULT_RETENTION_MILLIS));
        deleted += update("DELETE FROM " + TABLE + " WHERE " + others + " AND " + FeatureLogFields.SERVED_AT + " < ?",
            args.toArray());
        return deleted;
    }

    private long delete(String where, String service, long before) {
        return update("DELETE FROM " + TABLE + " WHERE " + where + " AND " + FeatureLogFields.SERVED_AT + " < ?", service,
            new Timestamp(before));
    }

    private long update(String sql, Object... args) {
        SqlFieldsQuery q = new SqlFieldsQuery(sql).setSchema(CacheLayout.SQL_SCHEMA).setArgs(args);
        return ((Number) cache().query(q).getAll().get(0).get(0)).longValue();
    }
}

package io.hearth.node;

import io.hearth.compute.events.EventKey;
import io.hearth.compute.ingest.QuarantinedRecord;
import io.hearth.node.codec.EventCodecs;
import io.hearth.catalog.ColumnType;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.PartitionLossPolicy;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;

/**
 * Every cache Hearth keeps, with its configuration: the one place that knows cache names and layouts.
 *
 * <ul>
 *   <li>{@value #REGISTRY}: replicated, transactional; the versions of the definitions.</li>
 *   <li>{@code events_<source>}: partitioned, backups=1, FULL_SYNC, transactional; per entity an
 *       {@link io.hearth.compute.events.EntityIndex} and time-sorted columnar
 *       {@link io.hearth.compute.events.EventBlock}s, all colocated by entity key.</li>
 *   <li>{@value #QUARANTINE}: partitioned, backups=1, FULL_SYNC; rejected records, SQL table
 *       {@code HEARTH.QUARANTINE}.</li>
 *   <li>{@value #INGEST_STATE}: partitioned, backups=1, FULL_SYNC, transactional; per source its circuit
 *       breaker, and per consumer group and Kafka partition the next offset to apply.</li>
 *   <li>{@code training_<name>}: partitioned, no backup, in the in-memory {@value #TRAINING_REGION} region; a
 *       training set, SQL table {@code TRAINING.<NAME>}, key = spine row number.</li>
 *   <li>{@value #LINEAGE}: replicated, transactional, persistent; what lineage learns at run time (every training-set
 *       run and back-fill run) and a sequence number that moves with each, so every gateway knows when its catalog
 *       index and lineage graph are stale. Replicated: small, read whole by every gateway, and read locally on
 *       server nodes.</li>
 *   <li>{@value #USAGE}: partitioned, backups=1, transactional; per feature, when it was last served and how many
 *       lookups read it per feature service, the sums of every gateway's periodic flushes (added in a transaction, so
 *       concurrent gateways never lose each other's counts).</li>
 * </ul>
 * Writes that a client is told are durable go to FULL_SYNC caches: the call returns once primary and backup
 * hold them. Lost partitions refuse reads and writes rather than answer wrongly.
 */
public final class CacheLayout {
    public static final String REGISTRY = "hearth_registry";
    public static final String QUARANTINE = "hearth_quarantine";
    public static final String INGEST_STATE = "hearth_ingest_state";
    public static final String LINEAGE = "hearth_lineage";
    public static final String USAGE = "hearth_usage";
    public static final String EVENTS_PREFIX = "events_";
    public static final String SQL_SCHEMA = "HEARTH";
    public static final String TRAINING_PREFIX = "training_";
    public static final String TRAINING_SCHEMA = "TRAINING";
    /** In-memory region of training tables: they are recomputed exactly from the events, so they skip the WAL. */
    public static final String TRAINING_REGION = "training";
    static final long DEFAULT_TRAINING_REGION_BYTES = 512L * 1024 * 1024;
    public static final int BACKUPS = 1;

    private CacheLayout() {
    }

    public static String eventsCache(String source) {
        return EVENTS_PREFIX + source;
    }

    static CacheConfiguration<String, Object> registry() {
        return new CacheConfiguration<String, Object>(REGISTRY)
            .setCacheMode(CacheMode.REPLICATED)
            .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE);
    }

    static CacheConfiguration<String, QuarantinedRecord> quarantine() {
        return new CacheConfiguration<String, QuarantinedRecord>(QUARANTINE)
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
            .setSqlSchema(SQL_SCHEMA)
            .setQueryEntities(List.of(new QueryEntity(String.class, QuarantinedRecord.class).setTableName("QUARANTINE")));
    }

    static CacheConfiguration<String, Object> ingestState() {
        return new CacheConfiguration<String, Object>(INGEST_STATE)
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE);
    }

    static CacheConfiguration<String, Object> lineage() {
        return new CacheConfiguration<String, Object>(LINEAGE)
            .setCacheMode(CacheMode.REPLICATED)
            .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE);
    }

    static CacheConfiguration<String, String> usage() {
        return new CacheConfiguration<String, String>(USAGE)
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE);
    }

    public static CacheConfiguration<EventKey, Object> events(String source) {
        return new CacheConfiguration<EventKey, Object>(eventsCache(source))
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
            .setKeyConfiguration(EventCodecs.eventKeyAffinity());
    }

    static void createFixedCaches(Ignite ignite) {
        ignite.getOrCreateCache(registry());
        ignite.getOrCreateCache(quarantine());
        ignite.getOrCreateCache(ingestState());
        ignite.getOrCreateCache(lineage());
        ignite.getOrCreateCache(usage());
    }

    /** Table names are case-insensitive in SQL, so cache names are too: {@code t2} and {@code T2} are one set. */
    public static String trainingCache(String name) {
        return TRAINING_PREFIX + name.toLowerCase(java.util.Locale.ROOT);
    }

    /** A training table: columns in order, typed; {@code valueType} names its binary row type. */
    public static CacheConfiguration<Long, Object> training(String name, List<String> columns, List<ColumnType> types,
                                                           String valueType) {
        LinkedHashMap<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            fields.put(columns.get(i), switch (types.get(i)) {
                case STRING -> String.class.getName();
                case INT, LONG -> Long.class.getName();
                case FLOAT, DOUBLE -> Double.class.getName();
                case BOOL -> Boolean.class.getName();
                case TIMESTAMP -> java.sql.Timestamp.class.getName();
            });
        }
        QueryEntity e = new QueryEntity(Long.class.getName(), valueType).setTableName(name.toUpperCase(java.util.Locale.ROOT))
            .setFields(fields).setKeyFieldName(null);
        return new CacheConfiguration<Long, Object>(trainingCache(name))
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(0)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setDataRegionName(TRAINING_REGION)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
            .setSqlSchema(TRAINING_SCHEMA)
            .setQueryEntities(List.of(e));
    }

    /** Data regions beyond the default persistent one: the in-memory region of training tables. */
    static DataRegionConfiguration[] extraRegions(long regionMaxBytes) {
        long max = regionMaxBytes > 0 ? Math.max(32L << 20, regionMaxBytes / 2) : DEFAULT_TRAINING_REGION_BYTES;
        return new DataRegionConfiguration[] {new DataRegionConfiguration().setName(TRAINING_REGION)
            .setPersistenceEnabled(false).setInitialSize(Math.min(16L << 20, max)).setMaxSize(max)};
    }
}

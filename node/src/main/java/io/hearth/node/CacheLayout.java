package io.hearth.node;

import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.LogKey;
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
import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;

/**
 * Every cache Hearth keeps, with its configuration: the one place that knows cache names and layouts.
 *
 * <ul>
 *   <li>{@value #REGISTRY}: replicated, transactional; the versions of the definitions.</li>
 *   <li>{@code events_<source>}: partitioned ({@value #EVENT_PARTITIONS} partitions), backups=1, FULL_SYNC,
 *       transactional; per entity an {@link io.hearth.compute.events.EntityIndex} and time-sorted columnar
 *       {@link io.hearth.compute.events.EventBlock}s, all colocated by entity key: the folded events.</li>
 *   <li>{@code log_<source>}: the same partitions, backups=1, FULL_SYNC, atomic; per partition a manifest
 *       ({@link io.hearth.compute.events.LogHead}, {@link io.hearth.compute.events.LogLevels}) and the chunks of the
 *       events appended and not yet folded ({@link io.hearth.compute.events.RunChunk}), keyed by the partition's
 *       anchor so they live with the partition's entities. Writes append here; the fold moves events into
 *       {@code events_<source>} (see docs/decisions/0016-write-path-v2.md).</li>
 *   <li>{@value #QUARANTINE}: partitioned, backups=1, FULL_SYNC; rejected records, SQL table
 *       {@code HEARTH.QUARANTINE}.</li>
 *   <li>{@value #INGEST_STATE}: partitioned, backups=1, FULL_SYNC, transactional; per source its circuit
 *       breaker, and per consumer group and Kafka partition the next offset to apply.</li>
 *   <li>{@value #AUDIT}: partitioned, backups=1, FULL_SYNC, persistent; the audit trail (who applied definitions,
 *       reset a breaker, ran compaction, exported a training set, failed to authenticate), appended to only.</li>
 *   <li>{@code training_<name>}: partitioned, no backup, in the in-memory {@value #TRAINING_REGION} region; a
 *       training set, SQL table {@code TRAINING.<NAME>}, key = spine row number.</li>
 * </ul>
 * Writes that a client is told are durable go to FULL_SYNC caches: the call returns once primary and backup
 * hold them. Lost partitions refuse reads and writes rather than answer wrongly.
 */
public final class CacheLayout {
    public static final String REGISTRY = "hearth_registry";
    public static final String QUARANTINE = "hearth_quarantine";
    public static final String INGEST_STATE = "hearth_ingest_state";
    public static final String AUDIT = "hearth_audit";
    public static final String EVENTS_PREFIX = "events_";
    public static final String LOG_PREFIX = "log_";
    /**
     * Partitions of a source's events and log: Ignite's default of 1024 is sized for large clusters; a write appends
     * one delta per partition it touches, so fewer, fuller deltas (a batch of 5,000 events gives ~40 events a delta
     * here, ~5 at 1024) make the write path cheaper, and 128 still spreads over dozens of nodes. Caches created
     * before keep their count: the log takes its events cache's.
     */
    public static final int EVENT_PARTITIONS = 128;
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

    public static String logCache(String source) {
        return LOG_PREFIX + source;
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

    /** Entries are JSON text keyed by time: readable by any tool, and no binary type a future version must keep. */
    static CacheConfiguration<String, String> audit() {
        return new CacheConfiguration<String, String>(AUDIT)
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
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
            .setAffinity(new RendezvousAffinityFunction(false, EVENT_PARTITIONS))
            .setKeyConfiguration(EventCodecs.eventKeyAffinity());
    }

    /** A source's log, with the partition count of its events cache (so a partition's log lives with its events). */
    public static CacheConfiguration<LogKey, Object> log(String source, int partitions) {
        return new CacheConfiguration<LogKey, Object>(logCache(source))
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
            .setAffinity(new RendezvousAffinityFunction(false, partitions))
            .setKeyConfiguration(EventCodecs.logKeyAffinity());
    }

    /** Creates a source's events cache and log when missing (idempotent; not inside a transaction). */
    public static void createSourceCaches(Ignite ignite, String source) {
        ignite.getOrCreateCache(events(source));
        ignite.getOrCreateCache(log(source, ignite.affinity(eventsCache(source)).partitions()));
    }

    static void createFixedCaches(Ignite ignite) {
        ignite.getOrCreateCache(registry());
        ignite.getOrCreateCache(quarantine());
        ignite.getOrCreateCache(ingestState());
        ignite.getOrCreateCache(audit());
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

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
 *   <li>{@value #FEATURE_LOG}: partitioned, backups=1, FULL_SYNC, atomic; one entry per logged lookup, key = request
 *       id, SQL table {@code HEARTH.FEATURE_LOG} (binary type {@value #FEATURE_LOG_TYPE}, no Java class: written by the
 *       feedback module's data streamer, read as binary). Indexed by (service, served_at): exports, training sets
 *       from logs and the retention sweep read a service's time range.</li>
 *   <li>{@value #OUTCOMES}: partitioned, backups=1, FULL_SYNC, atomic; what happened after a lookup, one entry per
 *       (request id, label), SQL table {@code HEARTH.OUTCOMES}.</li>
 *   <li>{@value #FEEDBACK_FACTS}: replicated, transactional; run-time facts for lineage (models named in lookups
 *       per service, labels per service), a few entries merged in transactions.</li>
 *   <li>{@code training_<name>}: partitioned, no backup, in the in-memory {@value #TRAINING_REGION} region; a
 *       training set, SQL table {@code TRAINING.<NAME>}, key = spine row number.</li>
 *   <li>{@value #LINEAGE}: replicated, transactional, persistent; what lineage learns at run time (every training-set
 *       run and back-fill run) and a sequence number that moves with each, so every gateway knows when its catalog
 *       index and lineage graph are stale. Replicated: small, read whole by every gateway, and read locally on
 *       server nodes.</li>
 *   <li>{@value #USAGE}: partitioned, backups=1, transactional; per feature, when it was last served and how many
 *       lookups read it per feature service, the sums of every gateway's periodic flushes (added in a transaction, so
 *       concurrent gateways never lose each other's counts).</li>
 *   <li>{@value #QUALITY}: partitioned, backups=1, FULL_SYNC, atomic; one entry per expectation judged over a window
 *       (binary type {@value #QUALITY_TYPE}), SQL table {@code HEARTH.QUALITY}, indexed by (source, window_end) and by window_end (the 7-day retention).</li>
 *   <li>{@value #QUALITY_STATE}: replicated, transactional; reference distributions by name (JSON text) and the
 *       cluster's record counts per source and period that {@code row_count} expectations judge.</li>
 * </ul>
 * Writes that a client is told are durable go to FULL_SYNC caches: the call returns once primary and backup
 * hold them. Lost partitions refuse reads and writes rather than answer wrongly.
 */
public final class CacheLayout {
    public static final String REGISTRY = "hearth_registry";
    public static final String QUARANTINE = "hearth_quarantine";
    public static final String INGEST_STATE = "hearth_ingest_state";
    public static final String AUDIT = "hearth_audit";
    public static final String LINEAGE = "hearth_lineage";
    public static final String USAGE = "hearth_usage";
    public static final String EVENTS_PREFIX = "events_";
    public static final String LOG_PREFIX = "log_";
    /**
     * Partitions of a source's events and log: Ignite's default of 1024 is sized for large clusters; a write appends
     * one delta per partition it touches, so fewer, fuller deltas (a batch of 5,000 events gives ~40 events a delta
     * here, ~5 at 1024) make the write path cheaper, and 128 still spreads over dozens of nodes. Caches created
     * before keep their count: the log takes its events cache's.
     */
    public static final int EVENT_PARTITIONS = 128;
    public static final String FEATURE_LOG = "hearth_feature_log";
    public static final String FEATURE_LOG_TYPE = "HearthFeatureLog";
    public static final String OUTCOMES = "hearth_outcomes";
    public static final String OUTCOME_TYPE = "HearthOutcome";
    public static final String FEEDBACK_FACTS = "hearth_feedback_facts";
    public static final String QUALITY = "hearth_quality";
    public static final String QUALITY_TYPE = "HearthQualityResult";
    public static final String QUALITY_STATE = "hearth_quality_state";
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
            .setAffinity(new RendezvousAffinityFunction(false, EVENT_PARTITIONS))
            .setKeyConfiguration(EventCodecs.eventKeyAffinity());
    }

    /**
     * The fields of a feature log entry, in table order. Entity keys and features are JSON text, so that SQL shows a
     * whole served vector in one row; {@code sample_key} is the request id's sampling hash (a uniform random order
     * that samples of logs are drawn in).
     */
    public static final class FeatureLogFields {
        public static final String REQUEST_ID = "request_id";
        public static final String SERVICE = "service";
        public static final String REGISTRY_VERSION = "registry_version";
        public static final String MODEL = "model";
        public static final String MODEL_VERSION = "model_version";
        public static final String AS_OF = "as_of";
        public static final String SERVED_AT = "served_at";
        public static final String ENTITIES = "entities";
        public static final String FEATURES = "features";
        public static final String SAMPLE_KEY = "sample_key";

        private FeatureLogFields() {
        }
    }

    /** The fields of an outcome entry, in table order; {@code label_value} is the value as JSON text. */
    public static final class OutcomeFields {
        public static final String REQUEST_ID = "request_id";
        public static final String LABEL = "label";
        public static final String LABEL_VALUE = "label_value";
        public static final String OUTCOME_TS = "outcome_ts";
        public static final String RECEIVED_AT = "received_at";

        private OutcomeFields() {
        }
    }

    /**
     * Bytes of a request id the feature log's primary key index holds inline: a UUIDv7 (36 characters) whole, and most
     * ids callers give. Ignite's default (10) holds only the first 7 characters, which UUIDv7 ids made within minutes
     * share: every comparison of an insert then read the other entry's row (measured: decision 0018).
     */
    static final int FEATURE_LOG_KEY_INLINE = 64;
    /** Bytes the (service, served_at) index holds inline: a service name of up to 25 characters, the time, and a UUIDv7. */
    static final int FEATURE_LOG_TIME_INLINE = 28 + 17 + 39;

    static CacheConfiguration<String, Object> featureLog() {
        LinkedHashMap<String, String> f = new LinkedHashMap<>();
        f.put(FeatureLogFields.REQUEST_ID, String.class.getName());
        f.put(FeatureLogFields.SERVICE, String.class.getName());
        f.put(FeatureLogFields.REGISTRY_VERSION, Long.class.getName());
        f.put(FeatureLogFields.MODEL, String.class.getName());
        f.put(FeatureLogFields.MODEL_VERSION, String.class.getName());
        f.put(FeatureLogFields.AS_OF, java.sql.Timestamp.class.getName());
        f.put(FeatureLogFields.SERVED_AT, java.sql.Timestamp.class.getName());
        f.put(FeatureLogFields.ENTITIES, String.class.getName());
        f.put(FeatureLogFields.FEATURES, String.class.getName());
        f.put(FeatureLogFields.SAMPLE_KEY, Long.class.getName());
        // QueryEntityEx is how Ignite's own CREATE TABLE ... WITH "PK_INLINE_SIZE=n" sets the primary key index's inline
        // size; the public QueryEntity has no such setting (and the cache's max inline size does not reach that index).
        QueryEntity e = new org.apache.ignite.internal.processors.query.QueryEntityEx(new QueryEntity(String.class.getName(),
            FEATURE_LOG_TYPE)).setPrimaryKeyInlineSize(FEATURE_LOG_KEY_INLINE).setTableName("FEATURE_LOG").setFields(f)
            .setIndexes(List.of(new org.apache.ignite.cache.QueryIndex(List.of(FeatureLogFields.SERVICE,
                FeatureLogFields.SERVED_AT), org.apache.ignite.cache.QueryIndexType.SORTED).setName("FEATURE_LOG_SERVICE_TIME")
                .setInlineSize(FEATURE_LOG_TIME_INLINE)));
        return new CacheConfiguration<String, Object>(FEATURE_LOG)
            .setSqlIndexMaxInlineSize(FEATURE_LOG_KEY_INLINE)
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
            .setSqlSchema(SQL_SCHEMA)
            .setQueryEntities(List.of(e));
    }

    static CacheConfiguration<String, Object> outcomes() {
        LinkedHashMap<String, String> f = new LinkedHashMap<>();
        f.put(OutcomeFields.REQUEST_ID, String.class.getName());
        f.put(OutcomeFields.LABEL, String.class.getName());
        f.put(OutcomeFields.LABEL_VALUE, String.class.getName());
        f.put(OutcomeFields.OUTCOME_TS, java.sql.Timestamp.class.getName());
        f.put(OutcomeFields.RECEIVED_AT, java.sql.Timestamp.class.getName());
        QueryEntity e = new QueryEntity(String.class.getName(), OUTCOME_TYPE).setTableName("OUTCOMES").setFields(f)
            .setIndexes(List.of(new org.apache.ignite.cache.QueryIndex(OutcomeFields.LABEL).setName("OUTCOMES_LABEL"),
                new org.apache.ignite.cache.QueryIndex(OutcomeFields.RECEIVED_AT).setName("OUTCOMES_RECEIVED")));
        return new CacheConfiguration<String, Object>(OUTCOMES)
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
            .setSqlSchema(SQL_SCHEMA)
            .setQueryEntities(List.of(e));
    }

    /** The fields of a quality result ({@link #QUALITY}): the JSON keys of {@code GET /v1/quality/results}. */
    public static final class QualityFields {
        public static final String SOURCE = "source";
        public static final String COLUMN = "column";
        public static final String FEATURE = "feature";
        public static final String EXPECT = "expect";
        public static final String WINDOW_START = "window_start";
        public static final String WINDOW_END = "window_end";
        public static final String ELEMENT_COUNT = "element_count";
        public static final String UNEXPECTED_COUNT = "unexpected_count";
        public static final String OBSERVED = "observed";
        public static final String SUCCESS = "success";
        public static final String SEVERITY = "severity";
        public static final String DETAIL = "detail";
        public static final String ORIGIN = "origin";

        private QualityFields() {
        }
    }

    static CacheConfiguration<String, Object> quality() {
        LinkedHashMap<String, String> f = new LinkedHashMap<>();
        f.put(QualityFields.SOURCE, String.class.getName());
        f.put(QualityFields.COLUMN, String.class.getName());
        f.put(QualityFields.FEATURE, String.class.getName());
        f.put(QualityFields.EXPECT, String.class.getName());
        f.put(QualityFields.WINDOW_START, java.sql.Timestamp.class.getName());
        f.put(QualityFields.WINDOW_END, java.sql.Timestamp.class.getName());
        f.put(QualityFields.ELEMENT_COUNT, Long.class.getName());
        f.put(QualityFields.UNEXPECTED_COUNT, Long.class.getName());
        f.put(QualityFields.OBSERVED, Double.class.getName());
        f.put(QualityFields.SUCCESS, Boolean.class.getName());
        f.put(QualityFields.SEVERITY, String.class.getName());
        f.put(QualityFields.DETAIL, String.class.getName());
        f.put(QualityFields.ORIGIN, String.class.getName());
        QueryEntity e = new QueryEntity(String.class.getName(), QUALITY_TYPE).setTableName("QUALITY").setFields(f)
            .setIndexes(List.of(new org.apache.ignite.cache.QueryIndex(List.of(QualityFields.SOURCE,
                QualityFields.WINDOW_END), org.apache.ignite.cache.QueryIndexType.SORTED).setName("QUALITY_SOURCE_TIME"),
                new org.apache.ignite.cache.QueryIndex(QualityFields.WINDOW_END).setName("QUALITY_TIME"))); // retention
        return new CacheConfiguration<String, Object>(QUALITY)
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
            .setSqlSchema(SQL_SCHEMA)
            .setQueryEntities(List.of(e));
    }

    static CacheConfiguration<String, Object> qualityState() {
        return new CacheConfiguration<String, Object>(QUALITY_STATE)
            .setCacheMode(CacheMode.REPLICATED)
            .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE);
    }

    static CacheConfiguration<String, Object> feedbackFacts() {
        return new CacheConfiguration<String, Object>(FEEDBACK_FACTS)
            .setCacheMode(CacheMode.REPLICATED)
            .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE);
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
        whenStateSettled(() -> ignite.getOrCreateCache(events(source)));
        whenStateSettled(() -> ignite.getOrCreateCache(log(source, ignite.affinity(eventsCache(source)).partitions())));
    }

    /** How long a cache creation waits for a cluster state change (activation, baseline change) to finish. */
    static final long STATE_CHANGE_WAIT_MILLIS = 30_000;

    /**
     * Runs a cache creation, again while Ignite refuses it because a cluster state change is in progress (it does so
     * for a moment after nodes join and the baseline adjusts, even when the cluster already reports itself active),
     * for up to {@link #STATE_CHANGE_WAIT_MILLIS}; any other failure at once.
     */
    static void whenStateSettled(Runnable create) {
        long deadline = System.currentTimeMillis() + STATE_CHANGE_WAIT_MILLIS;
        while (true) {
            try {
                create.run();
                return;
            } catch (javax.cache.CacheException e) {
                if (!stateChangeInProgress(e) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100); // Ignite offers no event to wait on for the end of a state change
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a cluster state change", ie);
            }
        }
    }

    static boolean stateChangeInProgress(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("cluster state change is in progress")) {
                return true;
            }
        }
        return false;
    }

    static void createFixedCaches(Ignite ignite) {
        ignite.getOrCreateCache(registry());
        ignite.getOrCreateCache(quarantine());
        ignite.getOrCreateCache(ingestState());
        ignite.getOrCreateCache(audit());
        ignite.getOrCreateCache(featureLog());
        ignite.getOrCreateCache(outcomes());
        ignite.getOrCreateCache(feedbackFacts());
        ignite.getOrCreateCache(lineage());
        ignite.getOrCreateCache(usage());
        ignite.getOrCreateCache(quality());
        ignite.getOrCreateCache(qualityState());
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

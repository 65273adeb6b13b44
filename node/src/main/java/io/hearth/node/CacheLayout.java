package io.hearth.node;

import io.hearth.compute.events.EventKey;
import io.hearth.compute.ingest.QuarantinedRecord;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheKeyConfiguration;
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
 * </ul>
 * Writes that a client is told are durable go to FULL_SYNC caches: the call returns once primary and backup
 * hold them. Lost partitions refuse reads and writes rather than answer wrongly.
 */
public final class CacheLayout {
    public static final String REGISTRY = "hearth_registry";
    public static final String QUARANTINE = "hearth_quarantine";
    public static final String EVENTS_PREFIX = "events_";
    public static final String SQL_SCHEMA = "HEARTH";
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

    public static CacheConfiguration<EventKey, Object> events(String source) {
        return new CacheConfiguration<EventKey, Object>(eventsCache(source))
            .setCacheMode(CacheMode.PARTITIONED)
            .setBackups(BACKUPS)
            .setAtomicityMode(CacheAtomicityMode.TRANSACTIONAL)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setPartitionLossPolicy(PartitionLossPolicy.READ_WRITE_SAFE)
            .setKeyConfiguration(new CacheKeyConfiguration(EventKey.class.getName(), "entity"));
    }

    static void createFixedCaches(Ignite ignite) {
        ignite.getOrCreateCache(registry());
        ignite.getOrCreateCache(quarantine());
    }

    /** Data regions beyond the default persistent one (none yet). */
    static DataRegionConfiguration[] extraRegions(long regionMaxBytes) {
        return new DataRegionConfiguration[0];
    }
}

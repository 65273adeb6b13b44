package io.hearth.node.codec;

import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import io.hearth.compute.events.LogKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.ignite.binary.BinaryTypeConfiguration;
import org.apache.ignite.cache.CacheKeyConfiguration;
import org.apache.ignite.configuration.BinaryConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * Declares event storage's types to Ignite: the serializers of {@link EventBlock} and {@link EntityIndex}, and the
 * affinity key of {@link EventKey}. Every grid member (server node or gateway client) that holds or reads these types
 * must be configured with it, and alike: Ignite refuses a node whose binary configuration differs from the cluster's.
 */
public final class EventCodecs {
    /** The field of {@link EventKey} that places all keys of an entity in one partition. */
    static final String AFFINITY_FIELD = "entity";

    private EventCodecs() {
    }

    /** Adds the serializers and the key's affinity field to {@code cfg}, keeping whatever it declares already. */
    public static void register(IgniteConfiguration cfg) {
        BinaryConfiguration bin = cfg.getBinaryConfiguration() != null ? cfg.getBinaryConfiguration()
            : new BinaryConfiguration();
        List<BinaryTypeConfiguration> types = new ArrayList<>();
        if (bin.getTypeConfigurations() != null) {
            types.addAll(bin.getTypeConfigurations());
        }
        types.add(new BinaryTypeConfiguration(EventBlock.class.getName()).setSerializer(new EventBlockSerializer()));
        types.add(new BinaryTypeConfiguration(EntityIndex.class.getName()).setSerializer(new EntityIndexSerializer()));
        bin.setTypeConfigurations(types);
        cfg.setBinaryConfiguration(bin);
        // Here, not only on the events caches (CacheLayout): the binary type's metadata takes its affinity field
        // from the node's configuration, and must keep the one it was first stored with when EventKey carried
        // @AffinityKeyMapped, or Ignite refuses to write keys ("Binary type has different affinity key fields").
        CacheKeyConfiguration[] keys = cfg.getCacheKeyConfiguration();
        List<CacheKeyConfiguration> all = new ArrayList<>(keys == null ? List.of() : Arrays.asList(keys));
        all.add(eventKeyAffinity());
        all.add(logKeyAffinity());
        cfg.setCacheKeyConfiguration(all.toArray(CacheKeyConfiguration[]::new));
    }

    /** The affinity key of {@link LogKey}: its partition's anchor. */
    public static CacheKeyConfiguration logKeyAffinity() {
        return new CacheKeyConfiguration(LogKey.class.getName(), "part");
    }

    /** The affinity key of {@link EventKey}: its entity. */
    public static CacheKeyConfiguration eventKeyAffinity() {
        return new CacheKeyConfiguration(EventKey.class.getName(), AFFINITY_FIELD);
    }
}

package io.hearth.compute.events;

/**
 * Key of an entity's event storage: block {@code n >= 0} of the entity's time-sorted blocks, or its
 * {@link EntityIndex} at {@link #INDEX}. All keys of one entity share a partition: the affinity key is the field
 * {@code entity}, declared to Ignite by {@code io.hearth.node.codec.EventCodecs} (for the binary type) and
 * {@code io.hearth.node.CacheLayout#events} (for the cache), so that this class need not know Ignite. The field names
 * are part of the stored form: readers and compaction take {@code entity} and {@code block} from binary keys.
 */
public final class EventKey implements Comparable<EventKey> {
    public static final long INDEX = -1;
    /** The block id an index gives its inline block: never a cache key (see {@link EntityIndex#inline()}). */
    public static final long INLINE = -2;

    private final String entity;
    private final long block;

    public EventKey(String entity, long block) {
        this.entity = entity;
        this.block = block;
    }

    public static EventKey index(String entity) {
        return new EventKey(entity, INDEX);
    }

    public String entity() {
        return entity;
    }

    public long block() {
        return block;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventKey k && k.block == block && k.entity.equals(entity);
    }

    @Override
    public int hashCode() {
        return entity.hashCode() * 31 + Long.hashCode(block);
    }

    /** Keys written together are locked in this order, so concurrent writers cannot deadlock. */
    @Override
    public int compareTo(EventKey o) {
        int c = entity.compareTo(o.entity);
        return c != 0 ? c : Long.compare(block, o.block);
    }

    @Override
    public String toString() {
        return entity + "#" + block;
    }
}

package io.hearth.compute.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ColumnType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ignite.IgniteCache;
import org.junit.jupiter.api.Test;

class BlockCacheTest {
    private static EventBlock block(int n, long firstTs, long value) {
        EventBlock.Builder b = new EventBlock.Builder(List.of("x"), List.of(ColumnType.LONG));
        for (int i = 0; i < n; i++) {
            b.add(firstTs + i, EventBlock.NO_CREATED, 0, new Object[] {value});
        }
        return b.build();
    }

    private static BlockCache.Key key(long id) {
        return new BlockCache.Key("c", "e", 1, id);
    }

    @Test
    void keepsTheMostRecentlyUsedBlocksWithinItsEventBound() {
        BlockCache c = new BlockCache(100);
        for (long id = 0; id < 10; id++) {
            c.put(key(id), block(10, 0, id));
        }
        assertThat(c.get(key(0))).isNotNull(); // 0 is now the most recently used
        c.put(key(10), block(10, 0, 10));
        c.put(key(11), block(10, 0, 11));
        assertThat(c.get(key(1))).as("least recently used goes first").isNull();
        assertThat(c.get(key(2))).isNull();
        assertThat(c.get(key(0))).isNotNull();
        assertThat(c.get(key(11))).isNotNull();
        assertThat(c.counts()[2]).isEqualTo(100);
        c.put(key(99), block(26, 0, 99));
        assertThat(c.get(key(99))).as("a block over a quarter of the bound is not kept").isNull();
        assertThat(new BlockCache(0).enabled()).isFalse();
        assertThatThrownBy(() -> new BlockCache(-1)).hasMessageContaining("maxEvents");
    }

    /** Reads that go through the cache give what reads without it give, across rewrites and a recreated index. */
    @Test
    void readsThroughTheCacheNeverSeeABlockTheCurrentIndexDoesNotName() {
        Map<EventKey, Object> store = new HashMap<>();
        IgniteCache<EventKey, Object> cache = EventStorageDuelTest.mapCache(store);
        BlockCache blocks = new BlockCache(10_000);
        String e = "E";
        EventMergeReceiver.mergeAll(cache, new TreeMap<>(Map.of(e, List.of(block(20, 1000, 1)))), 4, 4);
        List<Long> first = values(EventReads.read(cache, "s", List.of(e), Long.MIN_VALUE + 1, Long.MAX_VALUE, null, blocks).get(e));
        List<Long> again = values(EventReads.read(cache, "s", List.of(e), Long.MIN_VALUE + 1, Long.MAX_VALUE, null, blocks).get(e));
        assertThat(again).isEqualTo(first).hasSize(20);
        EntityIndex idx = (EntityIndex) store.get(EventKey.index(e));
        assertThat(blocks.counts()[0]).as("the second read found every stored block cached (the inline tail is no entry)")
            .isEqualTo(idx.blockCount() - 1).isGreaterThan(1);

        // A late event rewrites its block under a new id: the read sees it.
        EventMergeReceiver.mergeAll(cache, new TreeMap<>(Map.of(e, List.of(block(1, 1001, 7)))), 4, 4);
        assertThat(values(EventReads.read(cache, "s", List.of(e), Long.MIN_VALUE + 1, Long.MAX_VALUE, null, blocks).get(e)))
            .hasSize(21).contains(7L);

        // The entity's storage lost and written anew: block ids start again at 0, under a new epoch.
        long epoch = ((EntityIndex) store.get(EventKey.index(e))).epoch();
        store.keySet().removeIf(k -> k.entity().equals(e));
        EventMergeReceiver.mergeAll(cache, new TreeMap<>(Map.of(e, List.of(block(20, 1000, 2)))), 4, 4);
        assertThat(((EntityIndex) store.get(EventKey.index(e))).epoch()).isNotEqualTo(epoch).isNotZero();
        List<Long> fresh = values(EventReads.read(cache, "s", List.of(e), Long.MIN_VALUE + 1, Long.MAX_VALUE, null, blocks).get(e));
        assertThat(fresh).hasSize(20).containsOnly(2L);
        // and the sparse read used by lookups agrees
        EventReads.EntityEvents at = EventReads.readBlocksAt(cache, "s", List.of(e), new long[] {1000, 1019}, blocks).get(e);
        assertThat(values(at)).containsOnly(2L);
    }

    private static List<Long> values(EventReads.EntityEvents ev) {
        EventBlock events = ev.events() != null ? ev.events() : EventBlock.concat(List.of(ev.blocks()));
        List<Long> out = new ArrayList<>();
        var col = events.column("x", ColumnType.LONG);
        for (int i = 0; i < events.size(); i++) {
            out.add(col.longAt(i));
        }
        return out;
    }
}

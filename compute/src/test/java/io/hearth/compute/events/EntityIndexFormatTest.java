package io.hearth.compute.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.ColumnType;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinaryWriter;
import org.junit.jupiter.api.Test;

/**
 * The stored forms of {@link EntityIndex}: format 3 (epoch, block summaries) reads back what it wrote, and indexes
 * written by earlier versions (format 2 with an inline block, format 1 without) still read. The raw writer and
 * reader are a tape of the values in call order, which is all a raw binary form is.
 */
class EntityIndexFormatTest {
    static BinaryWriter tapeWriter(List<Object> tape) {
        return (BinaryWriter) Proxy.newProxyInstance(EntityIndexFormatTest.class.getClassLoader(),
            new Class<?>[] {BinaryWriter.class, BinaryRawWriter.class}, (proxy, m, args) -> {
                if (m.getName().equals("rawWriter")) {
                    return proxy;
                }
                if (!m.getName().startsWith("write") || args.length != 1) {
                    throw new UnsupportedOperationException(m.getName());
                }
                tape.add(args[0]);
                return null;
            });
    }

    static BinaryReader tapeReader(List<Object> tape) {
        Deque<Object> left = new ArrayDeque<>();
        tape.forEach(x -> left.add(x == null ? NULL : x));
        return (BinaryReader) Proxy.newProxyInstance(EntityIndexFormatTest.class.getClassLoader(),
            new Class<?>[] {BinaryReader.class, BinaryRawReader.class}, (proxy, m, args) -> {
                if (m.getName().equals("rawReader")) {
                    return proxy;
                }
                if (!m.getName().startsWith("read") || (args != null && args.length > 0)) {
                    throw new UnsupportedOperationException(m.getName());
                }
                Object x = left.removeFirst();
                return x == NULL ? null : x;
            });
    }

    private static final Object NULL = new Object();

    private static EventBlock block(int n, long first) {
        EventBlock.Builder b = new EventBlock.Builder(List.of("d", "s"), List.of(ColumnType.DOUBLE, ColumnType.STRING));
        for (int i = 0; i < n; i++) {
            b.add(first + i, EventBlock.NO_CREATED, EventBlock.idHash("e" + first + "-" + i),
                new Object[] {i % 5 == 0 ? null : i / 3.0, "s" + i});
        }
        return b.build();
    }

    @Test
    void format3ReadsBackEverythingItWrote() {
        Map<EventKey, Object> store = new HashMap<>();
        EventMergeReceiver.mergeAll(EventStorageDuelTest.mapCache(store), new TreeMap<>(Map.of("E", List.of(block(40, 0)))), 8, 8);
        EntityIndex idx = (EntityIndex) store.get(EventKey.index("E"));
        assertThat(idx.blockCount()).isGreaterThan(2);
        List<Object> tape = new ArrayList<>();
        idx.writeBinary(tapeWriter(tape));
        EntityIndex back = new EntityIndex();
        back.readBinary(tapeReader(tape));
        assertThat(back.epoch()).isEqualTo(idx.epoch()).isNotZero();
        assertThat(back.starts).containsExactly(idx.starts);
        assertThat(back.ids).containsExactly(idx.ids);
        assertThat(back.sizes).containsExactly(idx.sizes);
        assertThat(back.idHashes).containsExactly(idx.idHashes);
        assertThat(back.inline()).isSameAs(idx.inline()).isNotNull();
        for (int i = 0; i < idx.blockCount(); i++) {
            if (idx.blockId(i) == EventKey.INLINE) {
                assertThat(back.stats(i)).as("the inline tail has no summary").isNull();
                continue;
            }
            BlockStats a = idx.stats(i);
            BlockStats b = back.stats(i);
            assertThat(b.names).containsExactly(a.names);
            assertThat(b.types).containsExactly(a.types);
            assertThat(b.counts).containsExactly(a.counts);
            assertThat(b.mins).containsExactly(a.mins);
            assertThat(b.maxs).containsExactly(a.maxs);
            assertThat(b.longSums).containsExactly(a.longSums);
            assertThat(b.doubleSums).isDeepEqualTo(a.doubleSums);
            assertThat(b.find("s", ColumnType.STRING)).as("strings have no stats").isEqualTo(-2);
        }

        Map<EventKey, Object> small = new HashMap<>();
        EventMergeReceiver.mergeAll(EventStorageDuelTest.mapCache(small), new TreeMap<>(Map.of("E", List.of(block(3, 0)))), 8, 8);
        EntityIndex inline = (EntityIndex) small.get(EventKey.index("E"));
        List<Object> tape2 = new ArrayList<>();
        inline.writeBinary(tapeWriter(tape2));
        EntityIndex back2 = new EntityIndex();
        back2.readBinary(tapeReader(tape2));
        assertThat(back2.inline()).isSameAs(inline.inline());
        assertThat(back2.blockCount()).isEqualTo(1);
        assertThat(back2.stats(0)).isNull();
    }

    @Test
    void indexesOfEarlierFormatsStillRead() {
        EventBlock inline = block(3, 100);
        // Format 2: the block counter written negative (-counter - 1) marks an inline block after the id hashes.
        List<Object> v2 = List.of(new long[] {100}, new long[] {EventKey.INLINE}, new int[] {3}, -7L - 1,
            new long[] {5, 9}, inline);
        EntityIndex two = new EntityIndex();
        two.readBinary(tapeReader(v2));
        assertThat(two.inline()).isSameAs(inline);
        assertThat(two.nextBlockId).isEqualTo(7);
        assertThat(two.containsId(9)).isTrue();
        assertThat(two.epoch()).as("no epoch: its blocks are never cached").isZero();
        assertThat(two.stats(0)).isNull();
        // Format 1: no inline block, the counter as is.
        List<Object> v1 = List.of(new long[] {100, 200}, new long[] {0, 1}, new int[] {4, 6}, 2L, new long[0]);
        EntityIndex one = new EntityIndex();
        one.readBinary(tapeReader(v1));
        assertThat(one.blockCount()).isEqualTo(2);
        assertThat(one.inline()).isNull();
        assertThat(one.eventCount()).isEqualTo(10);
        assertThat(one.stats(0)).as("blocks from before summaries have none: windows scan them").isNull();
        assertThat(one.stats(1)).isNull();
    }
}

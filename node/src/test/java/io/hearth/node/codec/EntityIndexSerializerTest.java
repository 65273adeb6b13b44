package io.hearth.node.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.events.BlockStats;
import io.hearth.compute.events.EntityIndex;
import io.hearth.compute.events.EventBlock;
import io.hearth.compute.events.EventKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stored forms of {@link EntityIndex}: format 3 (epoch, block summaries) reads back what it wrote, and indexes
 * written by earlier versions (format 2 with an inline block, format 1 without) still read.
 */
class EntityIndexSerializerTest {
    private final EntityIndexSerializer serializer = new EntityIndexSerializer();

    private static EventBlock block(int n, long first) {
        EventBlock.Builder b = new EventBlock.Builder(List.of("d", "s"), List.of(ColumnType.DOUBLE, ColumnType.STRING));
        for (int i = 0; i < n; i++) {
            b.add(first + i, EventBlock.NO_CREATED, 0, new Object[] {i % 5 == 0 ? null : i / 3.0, "s" + i});
        }
        return b.build();
    }

    private EntityIndex roundTrip(EntityIndex idx) {
        List<Object> tape = new ArrayList<>();
        serializer.writeBinary(idx, Tape.writer(tape));
        EntityIndex back = new EntityIndex();
        serializer.readBinary(back, Tape.reader(tape));
        return back;
    }

    /** Three sealed blocks with summaries, one from before summaries, and an inline tail. */
    private static EntityIndex index() {
        EventBlock inline = block(3, 100);
        BlockStats[] stats = {BlockStats.of(block(8, 0)), null, BlockStats.of(block(9, 40)), BlockStats.of(block(7, 70)),
            null};
        EntityIndex idx = new EntityIndex();
        idx.restore(new EntityIndex.Parts(new long[] {0, 20, 40, 70, 100}, new long[] {12, 5, 99, 3, EventKey.INLINE},
            new int[] {8, 6, 9, 7, 3}, 17, new long[] {-4, 2, 9}, inline, stats, 0x5eed, 4242));
        return idx;
    }

    @Test
    void format4ReadsBackEverythingItWrote() {
        EntityIndex idx = index();
        EntityIndex.Parts a = idx.parts();
        EntityIndex.Parts b = roundTrip(idx).parts();
        assertThat(b.epoch()).isEqualTo(0x5eed);
        assertThat(b.foldedThrough()).isEqualTo(4242);
        assertThat(b.nextBlockId()).isEqualTo(17);
        assertThat(b.starts()).containsExactly(a.starts());
        assertThat(b.ids()).containsExactly(a.ids());
        assertThat(b.sizes()).containsExactly(a.sizes());
        assertThat(b.idHashes()).containsExactly(a.idHashes());
        assertThat(b.inline()).isSameAs(a.inline()).isNotNull();
        for (int i = 0; i < a.stats().length; i++) {
            BlockStats x = a.stats()[i];
            BlockStats y = b.stats()[i];
            if (x == null) {
                assertThat(y).as("block %d has no summary", i).isNull();
                continue;
            }
            assertThat(y.columnCount()).isEqualTo(x.columnCount());
            for (int c = 0; c < x.columnCount(); c++) {
                assertThat(y.name(c)).isEqualTo(x.name(c));
                assertThat(y.typeCode(c)).isEqualTo(x.typeCode(c));
                assertThat(y.count(c)).isEqualTo(x.count(c));
                assertThat(new long[] {y.min(c), y.max(c), y.longSum(c)}).containsExactly(x.min(c), x.max(c), x.longSum(c));
                assertThat(y.doubleSum(c)).isEqualTo(x.doubleSum(c));
            }
            assertThat(y.find("s", ColumnType.STRING)).as("strings have no stats").isEqualTo(-2);
            assertThat(y.find("d", ColumnType.DOUBLE)).isNotNegative();
        }
    }

    @Test
    void format4WritesEachColumnNameOnce() {
        List<Object> tape = new ArrayList<>();
        serializer.writeBinary(index(), Tape.writer(tape));
        assertThat(tape.get(3)).isEqualTo(Long.MIN_VALUE + 1);
        assertThat((String[]) tape.get(8)).containsExactly("d", "s");
        assertThat(tape.get(9)).isEqualTo(true);
        assertThat(tape.get(10)).as("columns in the first block's summary").isEqualTo(2);
    }

    @Test
    void anIndexWithoutBlocksReadsBack() {
        EntityIndex back = roundTrip(new EntityIndex());
        assertThat(back.blockCount()).isZero();
        assertThat(back.inline()).isNull();
        assertThat(back.eventCount()).isZero();
    }

    @Test
    void format3ReadsWithNothingFolded() {
        List<Object> tape = new ArrayList<>();
        serializer.writeBinary(index(), Tape.writer(tape));
        tape.set(3, Long.MIN_VALUE); // the format 3 marker, and without the last value
        tape.remove(tape.size() - 1);
        EntityIndex back = new EntityIndex();
        serializer.readBinary(back, Tape.reader(tape));
        assertThat(back.foldedThrough()).isZero();
        assertThat(back.epoch()).isEqualTo(0x5eed);
        assertThat(back.eventCount()).isEqualTo(33);
    }

    @Test
    void indexesOfEarlierFormatsStillRead() {
        EventBlock inline = block(3, 100);
        // Format 2: the block counter written negative (-counter - 1) marks an inline block after the id hashes.
        List<Object> v2 = List.of(new long[] {100}, new long[] {EventKey.INLINE}, new int[] {3}, -7L - 1,
            new long[] {5, 9}, inline);
        EntityIndex two = new EntityIndex();
        serializer.readBinary(two, Tape.reader(v2));
        assertThat(two.inline()).isSameAs(inline);
        assertThat(two.parts().nextBlockId()).isEqualTo(7);
        assertThat(two.containsId(9)).isTrue();
        assertThat(two.epoch()).as("no epoch: its blocks are never cached").isZero();
        assertThat(two.stats(0)).isNull();
        // Format 1: no inline block, the counter as is.
        List<Object> v1 = List.of(new long[] {100, 200}, new long[] {0, 1}, new int[] {4, 6}, 2L, new long[0]);
        EntityIndex one = new EntityIndex();
        serializer.readBinary(one, Tape.reader(v1));
        assertThat(one.blockCount()).isEqualTo(2);
        assertThat(one.inline()).isNull();
        assertThat(one.eventCount()).isEqualTo(10);
        assertThat(one.parts().nextBlockId()).isEqualTo(2);
        assertThat(one.stats(0)).as("blocks from before summaries have none: windows scan them").isNull();
        assertThat(one.stats(1)).isNull();
    }
}

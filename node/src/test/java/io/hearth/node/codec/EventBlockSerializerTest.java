package io.hearth.node.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ColumnType;
import io.hearth.compute.events.BlockCodec;
import io.hearth.compute.events.EventBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.ignite.binary.BinaryObjectException;
import org.junit.jupiter.api.Test;

/** Ignite's binary form of event blocks: form 2 reads back what it wrote, and blocks of form 1 still read. */
class EventBlockSerializerTest {
    private final EventBlockSerializer serializer = new EventBlockSerializer();

    private List<Object> write(EventBlock b) {
        List<Object> tape = new ArrayList<>();
        serializer.writeBinary(b, Tape.writer(tape));
        return tape;
    }

    private EventBlock read(List<Object> tape) {
        EventBlock b = new EventBlock();
        serializer.readBinary(b, Tape.reader(tape));
        return b;
    }

    private static void assertSameEvents(EventBlock back, EventBlock b) {
        assertThat(back.size()).isEqualTo(b.size());
        assertThat(back.columnNames()).isEqualTo(b.columnNames());
        for (int c = 0; c < b.columnNames().size(); c++) {
            assertThat(back.type(c)).isEqualTo(b.type(c));
        }
        for (int i = 0; i < b.size(); i++) {
            assertThat(back.ts(i)).isEqualTo(b.ts(i));
            assertThat(back.created(i)).isEqualTo(b.created(i));
            assertThat(back.row(i)).isEqualTo(b.row(i));
        }
    }

    @Test
    void form2IsTheNamesTheMarkedTypesAndTheEncodedValues() {
        Random rnd = new Random(3);
        EventBlock.Builder builder = new EventBlock.Builder(List.of("k", "n", "x"),
            List.of(ColumnType.STRING, ColumnType.LONG, ColumnType.DOUBLE));
        for (int i = 0; i < 100; i++) {
            builder.add(rnd.nextInt(50), rnd.nextBoolean() ? EventBlock.NO_CREATED : rnd.nextLong(),
                rnd.nextBoolean() ? 0 : EventBlock.idHash("e" + i), new Object[] {rnd.nextBoolean() ? null : "k" + rnd.nextInt(4),
                    rnd.nextBoolean() ? null : rnd.nextLong(), rnd.nextBoolean() ? null : rnd.nextGaussian()});
        }
        EventBlock b = builder.build();
        List<Object> tape = write(b);
        assertThat(tape).hasSize(3);
        assertThat((String[]) tape.get(0)).containsExactly("k", "n", "x");
        assertThat((byte[]) tape.get(1)).containsExactly(BlockCodec.FORM_2, (byte) ColumnType.STRING.ordinal(),
            (byte) ColumnType.LONG.ordinal(), (byte) ColumnType.DOUBLE.ordinal());
        assertThat((byte[]) tape.get(2)).containsExactly(BlockCodec.encode(b));
        EventBlock back = read(tape);
        assertSameEvents(back, b);
        assertThat((byte[]) write(back).get(2)).as("written again, the same").containsExactly((byte[]) tape.get(2));
    }

    /** Blocks stored before form 2 (raw arrays after the names and types) still read. */
    @Test
    void theFirstFormStillReads() {
        List<Object> form1 = new ArrayList<>(List.of(new String[] {"x", "k", "d"}, new byte[] {(byte) ColumnType.LONG.ordinal(),
                (byte) ColumnType.STRING.ordinal(), (byte) ColumnType.DOUBLE.ordinal()}, 3, new long[] {10, 20, 30},
            new long[] {EventBlock.NO_CREATED, 5, 6}, new long[] {0, 7, 9}, new long[] {4, 0, -6}, new long[] {2},
            new String[] {"a", null, "a"}));
        form1.add(null); // strings had no null bitmap
        form1.addAll(List.of(new double[] {0.5, 0, 1.5}, new long[] {2}));
        EventBlock b = read(form1);
        assertThat(b.size()).isEqualTo(3);
        assertThat(new long[] {b.ts(0), b.ts(1), b.ts(2)}).containsExactly(10, 20, 30);
        assertThat(b.created(1)).isEqualTo(5);
        assertThat(b.row(0)).containsEntry("x", 4L).containsEntry("k", "a").containsEntry("d", 0.5);
        assertThat(b.row(1).get("x")).isNull();
        assertThat(b.row(1).get("k")).isNull();
        assertThat(b.row(1).get("d")).isNull();
        assertThat(b.row(2)).containsEntry("x", -6L).containsEntry("d", 1.5);
        EventBlock again = read(write(b));
        assertSameEvents(again, b);
        EventBlock same = new EventBlock.Builder(List.of("x", "k", "d"),
            List.of(ColumnType.LONG, ColumnType.STRING, ColumnType.DOUBLE))
            .add(10, EventBlock.NO_CREATED, 0, new Object[] {4L, "a", 0.5})
            .add(20, 5, 7, new Object[] {null, null, null})
            .add(30, 6, 9, new Object[] {-6L, "a", 1.5}).build();
        assertThat(BlockCodec.encode(b)).as("created times and id hashes too").containsExactly(BlockCodec.encode(same));
    }

    @Test
    void bytesThatDoNotEndWithTheColumnsAreRefused() {
        EventBlock b = new EventBlock.Builder(List.of("n"), List.of(ColumnType.LONG)).add(1, 2, 3, new Object[] {4L}).build();
        List<Object> tape = write(b);
        byte[] values = (byte[]) tape.get(2);
        tape.set(2, Arrays.copyOf(values, values.length + 1));
        assertThatThrownBy(() -> read(tape))
            .isInstanceOf(BinaryObjectException.class).hasMessageContaining("the columns end before that");
    }

    @Test
    void aBlockIsRestoredOnce() {
        EventBlock b = new EventBlock.Builder(List.of("n"), List.of(ColumnType.LONG)).build();
        assertThatThrownBy(() -> b.restore(b)).isInstanceOf(IllegalStateException.class);
    }
}

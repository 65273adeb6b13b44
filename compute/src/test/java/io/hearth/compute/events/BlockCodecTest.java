package io.hearth.compute.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ColumnType;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte form of event blocks' values: every value comes back exactly, and it is small. (Ignite's binary form
 * around it, and the first form, are tested with the serializer in {@code io.hearth.node.codec}.)
 */
class BlockCodecTest {
    private static final List<String> NAMES = List.of("s", "i", "l", "f", "d", "b", "t");
    private static final List<ColumnType> TYPES = List.of(ColumnType.STRING, ColumnType.INT, ColumnType.LONG,
        ColumnType.FLOAT, ColumnType.DOUBLE, ColumnType.BOOL, ColumnType.TIMESTAMP);
    private static final long[] LONGS = {0, 1, -1, 63, 64, -64, -65, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 53, 1_764_547_200_000L};
    private static final double[] DOUBLES = {0.0, -0.0, 1.5, -2.25e-300, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 0.1};
    private static final String[] STRINGS = {"", "web", "é漢字🔥", "a\u0000b", "x".repeat(300)};

    private static EventBlock random(Random rnd, int n, boolean ids, boolean created) {
        EventBlock.Builder b = new EventBlock.Builder(NAMES, TYPES);
        for (int i = 0; i < n; i++) {
            Object[] v = new Object[NAMES.size()];
            v[0] = rnd.nextInt(5) == 0 ? null : STRINGS[rnd.nextInt(STRINGS.length)];
            v[1] = rnd.nextInt(6) == 0 ? null : (long) (rnd.nextInt() >> rnd.nextInt(31));
            v[2] = rnd.nextInt(6) == 0 ? null : rnd.nextBoolean() ? LONGS[rnd.nextInt(LONGS.length)] : rnd.nextLong();
            v[3] = rnd.nextInt(6) == 0 ? null : (double) (float) rnd.nextGaussian();
            v[4] = rnd.nextInt(6) == 0 ? null : rnd.nextBoolean() ? DOUBLES[rnd.nextInt(DOUBLES.length)] : rnd.nextDouble();
            v[5] = rnd.nextInt(6) == 0 ? null : rnd.nextBoolean();
            v[6] = rnd.nextInt(6) == 0 ? null : LONGS[rnd.nextInt(LONGS.length)];
            long ts = rnd.nextBoolean() ? LONGS[rnd.nextInt(LONGS.length)] : 1_764_547_200_000L + rnd.nextInt(1000);
            long cr = !created ? EventBlock.NO_CREATED : rnd.nextInt(3) == 0 ? EventBlock.NO_CREATED : rnd.nextLong();
            b.add(ts, cr, ids ? (rnd.nextInt(4) == 0 ? 0 : EventBlock.idHash("id" + rnd.nextLong())) : 0, v);
        }
        return b.build();
    }

    private static EventBlock roundTrip(EventBlock b) {
        return BlockCodec.decode(b.storedNames(), b.storedTypes(), BlockCodec.encode(b));
    }

    private static void assertSame(EventBlock back, EventBlock b) {
        assertThat(back.size()).isEqualTo(b.size());
        assertThat(back.columnNames()).isEqualTo(b.columnNames());
        assertThat(back.hasIds()).isEqualTo(b.hasIds());
        for (int c = 0; c < b.columnNames().size(); c++) {
            assertThat(back.type(c)).isEqualTo(b.type(c));
        }
        for (int i = 0; i < b.size(); i++) {
            assertThat(back.ts(i)).as("ts " + i).isEqualTo(b.ts(i));
            assertThat(back.created(i)).as("created " + i).isEqualTo(b.created(i));
            assertThat(back.idHash(i)).as("id " + i).isEqualTo(b.idHash(i));
            for (String name : b.columnNames()) {
                Object expected = b.row(i).get(name);
                Object actual = back.row(i).get(name);
                if (expected instanceof Double d) { // bit for bit: -0.0 and NaN included
                    assertThat(Double.doubleToRawLongBits((Double) actual)).as(name + " " + i)
                        .isEqualTo(Double.doubleToRawLongBits(d));
                } else {
                    assertThat(actual).as(name + " " + i).isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} events")
    @ValueSource(ints = {0, 1, 2, 63, 64, 65, 1000})
    void everyValueComesBackExactly(int n) {
        Random rnd = new Random(n);
        for (boolean ids : new boolean[] {false, true}) {
            for (boolean created : new boolean[] {false, true}) {
                EventBlock b = random(rnd, n, ids, created); // unsorted, as incoming batches are
                assertSame(roundTrip(b), b);
                if (n > 0) {
                    EventBlock sorted = b.sorted();
                    assertSame(roundTrip(sorted), sorted);
                }
            }
        }
    }

    /**
     * What ingest pays for: the benchmark's events (a constant key column, an amount, a small count, one of three
     * kinds, times over 30 days), 50 to an entity. Form 1 took 8 bytes per long and 9-15 per string, about 52 bytes
     * an event.
     */
    @Test
    void typicalEventsTakeAboutAThirdOfTheFirstForm() {
        Random rnd = new Random(7);
        EventBlock.Builder b = new EventBlock.Builder(List.of("user_id", "amount", "items", "kind"),
            List.of(ColumnType.STRING, ColumnType.DOUBLE, ColumnType.LONG, ColumnType.STRING));
        for (int i = 0; i < 50; i++) {
            b.add(1_764_547_200_000L + Math.floorMod(rnd.nextLong(), 30L * 86_400_000), EventBlock.NO_CREATED, 0,
                new Object[] {"U12345", rnd.nextInt(1_000_000) / 100.0, (long) rnd.nextInt(10),
                    new String[] {"web", "store", "app"}[rnd.nextInt(3)]});
        }
        EventBlock block = b.build().sorted();
        byte[] values = BlockCodec.encode(block);
        assertThat(values.length).as("bytes for 50 events").isLessThan(50 * 16);
        assertSame(roundTrip(block), block);
    }

    @Test
    void bytesThatDoNotEndWithTheColumnsAreRefused() {
        EventBlock b = random(new Random(1), 5, true, true);
        byte[] values = BlockCodec.encode(b);
        assertThatThrownBy(() -> BlockCodec.decode(b.storedNames(), b.storedTypes(), Arrays.copyOf(values, values.length + 1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the columns end before that");
    }
}

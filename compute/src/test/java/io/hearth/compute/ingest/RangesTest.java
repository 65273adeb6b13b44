package io.hearth.compute.ingest;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RangesTest {
    @Test
    void consecutiveIndexesBecomeOneRange() {
        Ranges.Builder b = new Ranges.Builder();
        for (long i : new long[] {0, 1, 2, 5, 6, 9}) {
            b.add(i);
        }
        assertThat(b.build()).containsExactly(0, 3, 5, 7, 9, 10);
    }

    @Test
    void unionMergesTouchingAndOverlappingRanges() {
        assertThat(Ranges.union(new long[] {0, 3, 10, 12}, new long[] {3, 5, 11, 20, 30, 31}))
            .containsExactly(0, 5, 10, 20, 30, 31);
        assertThat(Ranges.union(Ranges.EMPTY, new long[] {4, 4})).isEmpty();
    }

    /** Random batches against a bit set: contains and union agree with it everywhere. */
    @Test
    void duelWithABitSet() {
        long seed = Seeds.seed("RangesTest");
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] ranges = Ranges.EMPTY;
        BitSet truth = new BitSet();
        for (int round = 0; round < 200; round++) {
            Ranges.Builder b = new Ranges.Builder();
            int start = rnd.nextInt(2000);
            for (int i = start; i < start + rnd.nextInt(100); i++) {
                if (rnd.nextInt(5) > 0) {
                    b.add(i);
                    truth.set(i);
                }
            }
            ranges = Ranges.union(ranges, b.build());
            for (int i = 0; i < 2200; i++) {
                assertThat(Ranges.contains(ranges, i)).as("seed %d, round %d, index %d", seed, round, i).isEqualTo(truth.get(i));
            }
        }
    }
}

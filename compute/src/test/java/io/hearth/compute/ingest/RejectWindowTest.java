package io.hearth.compute.ingest;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RejectWindowTest {
    @Test
    void judgesOnlyOverTheMinimumNumberOfRecords() {
        RejectWindow w = new RejectWindow(100, 10);
        assertThat(w.wouldExceed(0.05, 9, 9)).as("9 records are too few to judge").isFalse();
        assertThat(w.wouldExceed(0.05, 10, 1)).as("1 of 10 is over 5%").isTrue();
        w.add(9, 0);
        assertThat(w.wouldExceed(0.05, 1, 1)).as("1 of 10 over the window").isTrue();
        assertThat(w.wouldExceed(0.1, 1, 1)).as("exactly at the threshold does not trip").isFalse();
    }

    @Test
    void thresholdZeroTripsOnAnyRejectAndOneNever() {
        RejectWindow w = new RejectWindow(10, 1);
        assertThat(w.wouldExceed(0, 1, 1)).isTrue();
        assertThat(w.wouldExceed(0, 1, 0)).isFalse();
        assertThat(w.wouldExceed(1, 5, 5)).isFalse();
    }

    @Test
    void oldBatchesLeaveTheWindow() {
        RejectWindow w = new RejectWindow(100, 10);
        w.add(50, 50); // a bad burst
        w.add(100, 0);
        assertThat(w.total()).isEqualTo(100);
        assertThat(w.rate()).isZero();
        assertThat(w.wouldExceed(0.05, 10, 1)).isFalse(); // 1 of 110 (the 100 good ones stay)
    }

    @Test
    void rejectsImpossibleCounts() {
        RejectWindow w = new RejectWindow(10, 5);
        assertThatThrownBy(() -> w.add(1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RejectWindow(5, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The window against the plainest model: a queue of batches, trimmed from the old end, sums recomputed. */
    @Test
    void duelWithAQueueOfBatches() {
        long seed = Seeds.seed("RejectWindowTest");
        Random rnd = new Random(seed);
        for (int round = 0; round < 200; round++) {
            int cap = 1 + rnd.nextInt(200);
            int min = 1 + rnd.nextInt(cap);
            RejectWindow w = new RejectWindow(cap, min);
            ArrayDeque<long[]> model = new ArrayDeque<>();
            for (int step = 0; step < 50; step++) {
                long t = rnd.nextInt(60);
                long r = t == 0 ? 0 : rnd.nextInt((int) t + 1);
                double th = rnd.nextDouble();
                ArrayDeque<long[]> with = new ArrayDeque<>(model);
                if (t > 0) {
                    with.addLast(new long[] {t, r});
                }
                trim(with, cap);
                long st = with.stream().mapToLong(b -> b[0]).sum();
                long sr = with.stream().mapToLong(b -> b[1]).sum();
                boolean expected = st >= min && (double) sr / st > th;
                assertThat(w.wouldExceed(th, t, r)).as("seed %d round %d step %d", seed, round, step).isEqualTo(expected);
                w.add(t, r);
                model = with;
                assertThat(w.total()).as("seed %d", seed).isEqualTo(st);
                assertThat(w.rejected()).as("seed %d", seed).isEqualTo(sr);
            }
        }
    }

    private static void trim(ArrayDeque<long[]> q, long cap) {
        while (q.size() > 1 && q.stream().mapToLong(b -> b[0]).sum() - q.peekFirst()[0] >= cap) {
            q.removeFirst();
        }
    }
}

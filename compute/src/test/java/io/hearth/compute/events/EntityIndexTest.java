package io.hearth.compute.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntityIndexTest {

    /** An index over blocks starting at the given times, with ids 10, 11, ... and sizes 1, 2, ... */
    private static EntityIndex index(long... starts) {
        EntityIndex idx = new EntityIndex();
        if (starts.length == 0) {
            return idx;
        }
        long[] ids = new long[starts.length];
        int[] sizes = new int[starts.length];
        for (int i = 0; i < starts.length; i++) {
            ids[i] = 10 + i;
            sizes[i] = i + 1;
        }
        idx.replace(0, 0, starts, ids, sizes, new BlockStats[starts.length]);
        idx.nextBlockId = 10 + starts.length;
        return idx;
    }

    @Test
    void emptyIndexHasNothing() {
        EntityIndex idx = new EntityIndex();
        assertThat(idx.blockCount()).isZero();
        assertThat(idx.eventCount()).isZero();
        assertThat(idx.earliest()).isEqualTo(Long.MAX_VALUE);
        assertThat(idx.blocksOverlapping(Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
        assertThat(idx.blockFor(5)).isZero();
        assertThat(idx.containsId(1)).isFalse();
    }

    @Test
    void blocksOverlappingSelectsBlocksWhoseTimeRangeMeetsTheInterval() {
        EntityIndex idx = index(100, 200, 300);
        assertThat(idx.blocksOverlapping(150, 250)).containsExactly(0, 1);
        assertThat(idx.blocksOverlapping(200, 200)).containsExactly(1);
        assertThat(idx.blocksOverlapping(199, 199)).containsExactly(0);
        assertThat(idx.blocksOverlapping(200, 299)).as("block 0 ends before 200").containsExactly(1);
        assertThat(idx.blocksOverlapping(50, 99)).as("every block starts after hi").isEmpty();
        assertThat(idx.blocksOverlapping(50, 100)).containsExactly(0);
        assertThat(idx.blocksOverlapping(400, 500)).as("the last block is open-ended").containsExactly(2);
        assertThat(idx.blocksOverlapping(Long.MIN_VALUE, Long.MAX_VALUE)).containsExactly(0, 1, 2);
        assertThat(idx.blocksOverlapping(300, 300)).containsExactly(2);
        assertThat(idx.blocksOverlapping(299, 300)).containsExactly(1, 2);
    }

    @Test
    void blockForFindsTheLastBlockStartingAtOrBefore() {
        EntityIndex idx = index(100, 200, 300);
        assertThat(idx.blockFor(5)).as("earlier than every block: the first").isZero();
        assertThat(idx.blockFor(100)).isZero();
        assertThat(idx.blockFor(199)).isZero();
        assertThat(idx.blockFor(200)).isEqualTo(1);
        assertThat(idx.blockFor(299)).isEqualTo(1);
        assertThat(idx.blockFor(300)).isEqualTo(2);
        assertThat(idx.blockFor(Long.MAX_VALUE)).isEqualTo(2);
        assertThat(index(100).blockFor(Long.MIN_VALUE)).isZero();
    }

    @Test
    void blocksOverlappingMatchesNaiveIntervalIntersection() {
        Random rnd = new Random(42);
        for (int round = 0; round < 2000; round++) {
            int n = 1 + rnd.nextInt(8);
            long[] starts = new long[n];
            long t = rnd.nextInt(20);
            for (int i = 0; i < n; i++) {
                starts[i] = t;
                t += 1 + rnd.nextInt(10);
            }
            EntityIndex idx = index(starts);
            long lo = rnd.nextInt(100) - 10;
            long hi = lo + rnd.nextInt(30);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long end = i + 1 < n ? starts[i + 1] - 1 : Long.MAX_VALUE; // block i covers [start, next start)
                if (starts[i] <= hi && end >= lo) {
                    expected.add(i);
                }
            }
            assertThat(idx.blocksOverlapping(lo, hi)).as("round " + round + " starts " + java.util.Arrays.toString(starts)
                + " [" + lo + ", " + hi + "]").containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
            long probe = rnd.nextInt(100) - 10;
            int naive = 0;
            for (int i = 0; i < n; i++) {
                if (starts[i] <= probe) {
                    naive = i;
                }
            }
            assertThat(idx.blockFor(probe)).as("round " + round + " blockFor " + probe).isEqualTo(naive);
        }
    }

    @Test
    void replaceSplicesBlocksInPlace() {
        EntityIndex idx = index(100, 200, 300);
        idx.replace(1, 2, new long[] {200, 250}, new long[] {11, 99}, new int[] {4, 5}, new BlockStats[2]);
        assertThat(idx.blockCount()).isEqualTo(4);
        assertThat(new long[] {idx.blockStart(0), idx.blockStart(1), idx.blockStart(2), idx.blockStart(3)})
            .containsExactly(100, 200, 250, 300);
        assertThat(new long[] {idx.blockId(0), idx.blockId(1), idx.blockId(2), idx.blockId(3)})
            .containsExactly(10, 11, 99, 12);
        assertThat(new int[] {idx.blockSize(0), idx.blockSize(1), idx.blockSize(2), idx.blockSize(3)})
            .containsExactly(1, 4, 5, 3);
        assertThat(idx.eventCount()).isEqualTo(13);
        assertThat(idx.earliest()).isEqualTo(100);
        idx.replace(0, 1, new long[] {50}, new long[] {10}, new int[] {2}, new BlockStats[1]);
        assertThat(idx.earliest()).isEqualTo(50);
        assertThat(idx.blockSize(0)).isEqualTo(2);
        assertThat(idx.blockCount()).isEqualTo(4);
    }

    @Test
    void idHashesStaySortedAndSearchable() {
        EntityIndex idx = new EntityIndex();
        idx.addIdHashes(new long[] {-5, 3, 9});
        idx.addIdHashes(new long[] {-7, 4, 100});
        idx.addIdHashes(new long[] {});
        assertThat(idx.idHashes).containsExactly(-7, -5, 3, 4, 9, 100);
        for (long h : new long[] {-7, -5, 3, 4, 9, 100}) {
            assertThat(idx.containsId(h)).as(String.valueOf(h)).isTrue();
        }
        assertThat(idx.containsId(5)).isFalse();
        assertThat(idx.containsId(0)).isFalse();
    }
}

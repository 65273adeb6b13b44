package io.hearth.bench.pitjoin;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The generated data both engines load, the same for a seed: N entities with about {@code events / N} events each
 * (per entity avg ± 50, in pairs summing to twice the average, so the total is exact), unique event times per entity
 * over 365 days, columns a, b, c (doubles); and a spine of random (entity, time) rows.
 */
final class DataSet {
    static final long DAY = 86_400_000L;
    static final long BASE = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    static final long SPAN = 365 * DAY;

    final long seed;
    final int entities;
    final int spineRows;
    final String[] names;
    final int[] offset;   // events of entity i: [offset[i], offset[i+1]), time-sorted
    final long[] ts;
    final double[] a;
    final double[] b;
    final double[] c;
    final int[] spEntity; // spine row r: entity spEntity[r] at time spTs[r]
    final long[] spTs;

    DataSet(int entities, long events, int spineRows, long seed) {
        this.seed = seed;
        this.entities = entities;
        this.spineRows = spineRows;
        SplittableRandom rnd = new SplittableRandom(seed);
        int avg = (int) (events / entities);
        int[] count = new int[entities];
        for (int i = 0; i + 1 < entities; i += 2) {
            int d = rnd.nextInt(101) - 50;
            count[i] = avg + d;
            count[i + 1] = avg - d;
        }
        if (entities % 2 == 1) {
            count[entities - 1] = avg;
        }
        long total = 0;
        for (int n : count) {
            total += n;
        }
        count[entities - 1] += (int) (events - total); // remainder of events / entities
        names = new String[entities];
        offset = new int[entities + 1];
        for (int i = 0; i < entities; i++) {
            names[i] = "e" + i;
            offset[i + 1] = offset[i] + count[i];
        }
        int n = offset[entities];
        ts = new long[n];
        a = new double[n];
        b = new double[n];
        c = new double[n];
        for (int i = 0; i < entities; i++) {
            int from = offset[i];
            int to = offset[i + 1];
            for (int k = from; k < to; k++) {
                ts[k] = BASE + rnd.nextLong(SPAN);
            }
            Arrays.sort(ts, from, to);
            for (int k = from + 1; k < to; k++) {
                if (ts[k] <= ts[k - 1]) {
                    ts[k] = ts[k - 1] + 1; // unique per entity: ASOF ties would let the engines disagree legitimately
                }
            }
            for (int k = from; k < to; k++) {
                a[k] = Math.round(rnd.nextDouble() * 1e6) / 100.0;
                b[k] = rnd.nextDouble() * 2 - 1;
                c[k] = rnd.nextInt(1000);
            }
        }
        spEntity = new int[spineRows];
        spTs = new long[spineRows];
        for (int r = 0; r < spineRows; r++) {
            spEntity[r] = rnd.nextInt(entities);
            spTs[r] = BASE + rnd.nextLong(SPAN);
        }
    }

    int events() {
        return offset[entities];
    }
}

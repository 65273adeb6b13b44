package io.hearth.compute.semantics;

import io.hearth.testing.Seeds;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactSumTest {
    private static double bigSum(double[] v, int from, int to) {
        BigDecimal s = BigDecimal.ZERO;
        for (int i = from; i < to; i++) {
            s = s.add(new BigDecimal(v[i]));
        }
        return s.doubleValue();
    }

    private static double value(double[] v, int from, int to) {
        ExactSum s = new ExactSum();
        for (int i = from; i < to; i++) {
            s.add(v[i]);
        }
        return s.value();
    }

    /** Values of very different magnitudes and signs, with ties and cancellations, as a sum would meet them. */
    private static double draw(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> r.nextInt(100_000) / 100.0;
            case 1 -> -r.nextInt(100_000) / 100.0;
            case 2 -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(-60, 60));
            case 3 -> Math.scalb(1.0, r.nextInt(-1074, 1000)) * (r.nextBoolean() ? 1 : -1);
            case 4 -> 1e16 * (r.nextBoolean() ? 1 : -1);
            default -> Math.ulp(1.0) / 2 * r.nextInt(-3, 4);
        };
    }

    @Test
    void equalsTheExactSumRoundedOnceWhateverTheOrderAndGrouping() {
        long seed = Seeds.seed("ExactSumTest");
        System.out.println("ExactSumTest seed " + seed);
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 3000; round++) {
            int n = r.nextInt(1, 60);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = draw(r);
            }
            double expected = bigSum(v, 0, n);
            assertThat(value(v, 0, n)).as("seed %d round %d", seed, round).isEqualTo(expected);
            // reversed
            double[] rev = new double[n];
            for (int i = 0; i < n; i++) {
                rev[i] = v[n - 1 - i];
            }
            assertThat(value(rev, 0, n)).as("seed %d round %d reversed", seed, round).isEqualTo(expected);
            // grouped: partial sums of random chunks, stored as partials and merged back in another order
            int cut = r.nextInt(n + 1);
            ExactSum a = new ExactSum();
            ExactSum b = new ExactSum();
            for (int i = 0; i < n; i++) {
                (i < cut ? a : b).add(v[i]);
            }
            ExactSum merged = ExactSum.of(b.partials());
            merged.add(ExactSum.of(a.partials()));
            assertThat(merged.value()).as("seed %d round %d grouped at %d", seed, round, cut).isEqualTo(expected);
        }
    }

    @Test
    void breaksTiesToEvenAcrossPartials() {
        // 1 + 2^-53 is a tie between 1 and the next double; the tiny third value decides it upwards.
        assertThat(value(new double[] {1.0, Math.scalb(1.0, -53), Math.scalb(1.0, -80)}, 0, 3))
            .isEqualTo(Math.nextUp(1.0));
        assertThat(value(new double[] {1.0, Math.scalb(1.0, -53)}, 0, 2)).isEqualTo(1.0);
        // The classic case where a naive loop loses the small values entirely.
        assertThat(value(new double[] {1e16, 1.0, -1e16, 1.0}, 0, 4)).isEqualTo(2.0);
        assertThat(value(new double[] {0.1, 0.2, 0.3}, 0, 3)).isEqualTo(bigSum(new double[] {0.1, 0.2, 0.3}, 0, 3));
    }

    @Test
    void infinitiesAndNanAreSummedApart() {
        assertThat(value(new double[] {1, Double.POSITIVE_INFINITY, 2}, 0, 3)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(value(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}, 0, 2)).isNaN();
        assertThat(value(new double[] {Double.NaN, 1}, 0, 2)).isNaN();
        assertThat(new ExactSum().value()).isEqualTo(0.0);
        assertThat(value(new double[] {-0.0, -0.0}, 0, 2)).isEqualTo(0.0);
    }

    @Test
    void overflowIsReportedAndTheExactFallbackRoundsCorrectly() {
        double[] v = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
        ExactSum s = new ExactSum();
        for (double x : v) {
            s.add(x);
        }
        assertThat(s.overflowed()).isTrue();
        assertThat(ExactSum.exact(v, 3)).isEqualTo(Double.MAX_VALUE);
        assertThat(ExactSum.exact(new double[] {Double.MAX_VALUE, Double.MAX_VALUE}, 2)).isEqualTo(Double.POSITIVE_INFINITY);
    }
}

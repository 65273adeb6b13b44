package io.hearth.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PSI and KS as docs/semantics.md defines them, on cases small enough to compute by hand. */
class DriftTest {
    @Test
    void decilesInterpolateBetweenClosestRanksAsNumpyDoes() {
        double[] v = new double[11];
        for (int i = 0; i <= 10; i++) {
            v[i] = i * 10; // 0, 10, ..., 100: the q-quantile is 100 q
        }
        assertThat(Drift.decileEdges(v)).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90);
        assertThat(Drift.quantile(new double[] {1, 2, 3, 4}, 0.5)).isEqualTo(2.5); // numpy.quantile([1,2,3,4], .5)
        assertThat(Drift.quantile(new double[] {1, 2, 3, 4}, 0.1)).isCloseTo(1.3, within(1e-12));
    }

    @Test
    void binsAreClosedBelowAndTheOuterOnesOpen() {
        double[] edges = {10, 20, 30, 40, 50, 60, 70, 80, 90};
        assertThat(Drift.bin(edges, -1e9)).isZero();
        assertThat(Drift.bin(edges, 9.99)).isZero();
        assertThat(Drift.bin(edges, 10)).isEqualTo(1);
        assertThat(Drift.bin(edges, 89.9)).isEqualTo(8);
        assertThat(Drift.bin(edges, 90)).isEqualTo(9);
        assertThat(Drift.bin(edges, 1e9)).isEqualTo(9);
    }

    @Test
    void psiIsZeroForTheSameSharesAndFollowsTheFormulaOtherwise() {
        double[] ref = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
        assertThat(Drift.psi(ref, ref)).isZero();
        double[] cur = {0.2, 0.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
        double expected = (0.2 - 0.1) * Math.log(0.2 / 0.1) + (0.0001 - 0.1) * Math.log(0.0001 / 0.1);
        assertThat(Drift.psi(ref, cur)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aReferenceOfItsOwnValuesHasNoDriftAndAShiftedWindowHasMuch() {
        SplittableRandom r = new SplittableRandom(3);
        double[] base = new double[20_000];
        for (int i = 0; i < base.length; i++) {
            base[i] = 50 + 10 * gaussian(r);
        }
        Reference ref = Reference.of("r", "s", "c", null, null, 0L, 1L, base, 0, 0);
        for (double share : ref.shares()) {
            assertThat(share).isCloseTo(0.1, within(1e-4));
        }
        assertThat(ref.distance(io.hearth.catalog.Expectation.Method.PSI, base, base.length)).isCloseTo(0, within(1e-6));
        double[] shifted = Arrays.stream(base).limit(2000).map(x -> x + 10).toArray();
        double psi = ref.distance(io.hearth.catalog.Expectation.Method.PSI, shifted, shifted.length);
        assertThat(psi).isGreaterThan(0.5); // a one-sigma shift
        double ks = ref.distance(io.hearth.catalog.Expectation.Method.KS, shifted, shifted.length);
        assertThat(ks).isCloseTo(0.38, within(0.03)); // Phi(0.5) - Phi(-0.5) for a one-sigma shift
    }

    @Test
    void ksIsTheLargestGapBetweenTheTwoDistributionFunctions() {
        assertThat(Drift.ks(new double[] {1, 2, 3}, new double[] {1, 2, 3}, 3)).isZero();
        assertThat(Drift.ks(new double[] {1, 2, 3}, new double[] {4, 5, 6}, 3)).isEqualTo(1.0);
        assertThat(Drift.ks(new double[] {1, 2, 3, 4}, new double[] {3, 4, 5, 6}, 4)).isEqualTo(0.5);
        assertThat(Drift.ks(new double[] {1, 2}, new double[] {1, 1, 99}, 2)).isEqualTo(0.5); // only the first 2 of b
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}

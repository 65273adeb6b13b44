package io.hearth.compute.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.testing.Seeds;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReproductionTest {
    private static FeatureValue v(Object value, long ts) {
        return new FeatureValue(value, value == null ? Status.NULL_VALUE : Status.PRESENT, ts);
    }

    @Test
    void equalVectorsReproduceWithNoDiff() {
        FeatureValue[][] a = {{v(1.5, 10), FeatureValue.NOT_FOUND}, {v(3L, 10), v(null, 7)}};
        FeatureValue[][] b = {{v(1.5, 10), FeatureValue.NOT_FOUND}, {v(3L, 10), v(null, 7)}};
        assertThat(Reproduction.compare(a, b, new boolean[2])).isEmpty();
    }

    @Test
    void doublesAreComparedBitForBit() {
        assertThat(Reproduction.same(v(0.0, 1), v(-0.0, 1))).isFalse();
        assertThat(Reproduction.same(v(0.1 + 0.2, 1), v(0.30000000000000004, 1))).isTrue();
        assertThat(Reproduction.same(v(1L, 1), v(1.0, 1))).isFalse();
    }

    @Test
    void aNewerEventAtOrBeforeTheServedTimeIsALateEvent() {
        List<Reproduction.Diff> d = Reproduction.compare(new FeatureValue[][] {{v(1.0, 100)}},
            new FeatureValue[][] {{v(2.0, 150)}}, new boolean[1]);
        assertThat(d).singleElement().satisfies(x -> {
            assertThat(x.cause()).isEqualTo(Reproduction.Cause.LATE_EVENT);
            assertThat(x.logged().value()).isEqualTo(1.0);
            assertThat(x.recomputed().eventTs()).isEqualTo(150);
        });
        assertThat(Reproduction.cause(FeatureValue.NOT_FOUND, v(2.0, 150), false)).isEqualTo(Reproduction.Cause.LATE_EVENT);
    }

    @Test
    void anOlderEventOrNoneMeansTheLoggedEventIsGone() {
        assertThat(Reproduction.cause(v(1.0, 100), v(2.0, 50), false)).isEqualTo(Reproduction.Cause.EVENT_GONE);
        assertThat(Reproduction.cause(v(1.0, 100), FeatureValue.NOT_FOUND, false)).isEqualTo(Reproduction.Cause.EVENT_GONE);
    }

    @Test
    void theSameEventTimeWithAnotherValueIsAChangedValue() {
        assertThat(Reproduction.cause(v(3L, 100), v(4L, 100), false)).isEqualTo(Reproduction.Cause.VALUE_CHANGED);
    }

    @Test
    void otherDefinitionsExplainAnyDifference() {
        assertThat(Reproduction.cause(v(1.0, 100), v(2.0, 150), true)).isEqualTo(Reproduction.Cause.DEFINITION_CHANGED);
    }

    @Test
    void vectorsOfDifferentShapesAreRefused() {
        assertThatThrownBy(() -> Reproduction.compare(new FeatureValue[1][1], new FeatureValue[2][1], new boolean[1]))
            .isInstanceOf(IllegalArgumentException.class);
    }

    /** Against the oracle "every position whose values differ, in feature-major order", on random vectors. */
    @Test
    void reportsExactlyThePositionsThatDifferInOrder() {
        long seed = Seeds.seed("ReproductionTest");
        SplittableRandom r = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            int nf = 1 + r.nextInt(5);
            int ne = 1 + r.nextInt(4);
            FeatureValue[][] a = new FeatureValue[nf][ne];
            FeatureValue[][] b = new FeatureValue[nf][ne];
            int expected = 0;
            for (int f = 0; f < nf; f++) {
                for (int e = 0; e < ne; e++) {
                    a[f][e] = v((double) r.nextInt(3), r.nextInt(3));
                    b[f][e] = r.nextBoolean() ? a[f][e] : v((double) r.nextInt(3), r.nextInt(3));
                    expected += Reproduction.same(a[f][e], b[f][e]) ? 0 : 1;
                }
            }
            List<Reproduction.Diff> d = Reproduction.compare(a, b, new boolean[nf]);
            assertThat(d).as(Seeds.replay(seed)).hasSize(expected);
            for (int i = 1; i < d.size(); i++) {
                assertThat(d.get(i).feature() * 100 + d.get(i).entity())
                    .as(Seeds.replay(seed)).isGreaterThan(d.get(i - 1).feature() * 100 + d.get(i - 1).entity());
            }
        }
    }
}

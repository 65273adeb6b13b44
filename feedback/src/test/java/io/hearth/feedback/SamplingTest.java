package io.hearth.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.testing.Seeds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplingTest {
    @Test
    void theSampleKeyIsTheDocumentedSha256PrefixSoOtherLanguagesCanPredictIt() {
        // (int.from_bytes(hashlib.sha256(rid.encode()).digest()[:8], "big") >> 11), computed in Python
        assertThat(Sampling.key("req-1")).isEqualTo(5219208812191054L);
        assertThat(Sampling.key("a")).isEqualTo(7128065739670391L);
        assertThat(Sampling.sampled("req-1", 0.58)).isTrue(); // 0.5794...
        assertThat(Sampling.sampled("req-1", 0.579)).isFalse();
    }

    @Test
    void rateZeroLogsNothingAndRateOneEverything() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Sampling.sampled("r" + i, 0.0)).isFalse();
            assertThat(Sampling.sampled("r" + i, 1.0)).isTrue();
        }
    }

    @Test
    void theDecisionDependsOnTheRequestIdAloneSoAReplayIsLoggedTheSame() {
        long seed = Seeds.seed("SamplingTest.replay");
        SplittableRandom r = new SplittableRandom(seed);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ids.add(Long.toHexString(r.nextLong()));
        }
        List<Boolean> first = ids.stream().map(id -> Sampling.sampled(id, 0.1)).toList();
        List<Boolean> again = ids.stream().map(id -> Sampling.sampled(id, 0.1)).toList();
        assertThat(again).as(Seeds.replay(seed)).isEqualTo(first);
    }

    @Test
    void aLowerRateLogsASubsetOfWhatAHigherRateLogs() {
        for (int i = 0; i < 5000; i++) {
            String id = "req-" + i;
            if (Sampling.sampled(id, 0.05)) {
                assertThat(Sampling.sampled(id, 0.2)).as(id).isTrue();
            }
        }
    }

    /**
     * With rate p, n ids give a binomial count: mean np, standard deviation sqrt(np(1-p)). Sequential ids, random ids
     * and generated UUIDv7s all stay within 5 standard deviations (a false alarm about once in 1.7 million runs).
     */
    @Test
    void theShareLoggedIsBinomialWithTheRateForSequentialRandomAndGeneratedIds() {
        long seed = Seeds.seed("SamplingTest.binomial");
        SplittableRandom r = new SplittableRandom(seed);
        int n = 5000;
        for (double p : new double[] {0.01, 0.1, 0.5, 0.9}) {
            double mean = n * p;
            double sd = Math.sqrt(n * p * (1 - p));
            int sequential = 0;
            int random = 0;
            int generated = 0;
            for (int i = 0; i < n; i++) {
                sequential += Sampling.sampled("request-" + i, p) ? 1 : 0;
                random += Sampling.sampled(Long.toString(r.nextLong(), 36), p) ? 1 : 0;
                generated += Sampling.sampled(RequestIds.generate(Clock.systemUTC()), p) ? 1 : 0;
            }
            for (int count : new int[] {sequential, random, generated}) {
                assertThat((double) count).as("rate %s, %s", p, Seeds.replay(seed))
                    .isBetween(mean - 5 * sd, mean + 5 * sd);
            }
        }
    }
}

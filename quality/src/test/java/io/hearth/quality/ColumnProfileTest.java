package io.hearth.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Profiles kept apart merge into the profile of all their values: moments exactly, sketches within their bounds. */
class ColumnProfileTest {
    @Test
    void partsMergeIntoTheWholeAndSurviveTheirStoredForm() {
        SplittableRandom r = new SplittableRandom(5);
        List<ColumnProfile.Part> parts = new ArrayList<>();
        double[] all = new double[30_000];
        int n = 0;
        long nulls = 0;
        for (int p = 0; p < 3; p++) { // three gateways
            ColumnProfile c = new ColumnProfile(true);
            for (int i = 0; i < 10_000; i++) {
                if (r.nextInt(100) == 0) {
                    c.add(null);
                    nulls++;
                } else {
                    double v = Math.floor(r.nextDouble() * 5000) + p * 1000; // 5,000 distinct values per part
                    c.add(v);
                    all[n++] = v;
                }
            }
            parts.add(ProfileCodec.decode(ProfileCodec.encode(c.part())));
        }
        double[] values = Arrays.copyOf(all, n);
        Arrays.sort(values);
        ColumnProfile.Merged m = ColumnProfile.merge(parts);
        assertThat(m.count()).isEqualTo(30_000);
        assertThat(m.nulls()).isEqualTo(nulls);
        double mean = Arrays.stream(values).average().orElseThrow();
        double var = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        assertThat(m.mean()).isCloseTo(mean, within(1e-9));
        assertThat(m.stddev()).isCloseTo(Math.sqrt(var), within(1e-6));
        assertThat(m.min()).isEqualTo(values[0]);
        assertThat(m.max()).isEqualTo(values[n - 1]);
        // KLL: the median's rank within about 1.3% (k = 200)
        double median = m.quantiles()[3];
        long below = Arrays.stream(values).filter(v -> v <= median).count();
        assertThat((double) below / n).isCloseTo(0.5, within(0.02));
        // HLL: 7,000 distinct values (0..6999) within about 3% (two standard errors)
        long distinct = Arrays.stream(values).distinct().count();
        assertThat(m.distinct()).isCloseTo(distinct, within(distinct * 0.04));
        assertThat(m.distinctLow()).isLessThanOrEqualTo(m.distinct());
        assertThat(m.distinctHigh()).isGreaterThanOrEqualTo(m.distinct());
    }

    @Test
    void textColumnsCountDistinctValuesOnly() {
        ColumnProfile c = new ColumnProfile(false);
        for (int i = 0; i < 1000; i++) {
            c.add(i % 3 == 0 ? "US" : i % 3 == 1 ? "DE" : "FR");
        }
        c.add(null);
        ColumnProfile.Merged m = ColumnProfile.merge(List.of(c.part()));
        assertThat(m.count()).isEqualTo(1001);
        assertThat(m.nulls()).isEqualTo(1);
        assertThat(m.distinct()).isCloseTo(3, within(0.01));
        assertThat(m.quantiles()).isNull();
        assertThat(m.mean()).isNaN();
    }
}

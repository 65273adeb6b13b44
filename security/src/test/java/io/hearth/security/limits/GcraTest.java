package io.hearth.security.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.security.keys.Rate;
import io.hearth.testing.ManualClock;
import org.junit.jupiter.api.Test;

class GcraTest {
    @Test
    void aBurstPassesThenRequestsPassAtTheRateAndTheWaitIsSaid() {
        ManualClock clock = new ManualClock(1_000_000);
        Gcra g = new Gcra(clock);
        Rate rate = new Rate(2, 3); // 2/s, bursts of 3
        assertThat(g.tryAcquire("k", rate)).isZero();
        assertThat(g.tryAcquire("k", rate)).isZero();
        assertThat(g.tryAcquire("k", rate)).isZero();
        long wait = g.tryAcquire("k", rate);
        assertThat(wait).as("the fourth at once waits one interval").isEqualTo(500_000_000L);
        assertThat(g.tryAcquire("k", rate)).as("a refusal costs nothing").isEqualTo(500_000_000L);
        clock.advance(499);
        assertThat(g.tryAcquire("k", rate)).isEqualTo(1_000_000L);
        clock.advance(1);
        assertThat(g.tryAcquire("k", rate)).isZero();
        assertThat(g.tryAcquire("k", rate)).isPositive();
    }

    @Test
    void keysHaveTheirOwnBudgets() {
        ManualClock clock = new ManualClock(0);
        Gcra g = new Gcra(clock);
        Rate one = new Rate(1, 1);
        assertThat(g.tryAcquire("a", one)).isZero();
        assertThat(g.tryAcquire("a", one)).isPositive();
        assertThat(g.tryAcquire("b", one)).isZero();
    }

    @Test
    void aLongQuietSpellRestoresTheBurstAndNoMore() {
        ManualClock clock = new ManualClock(0);
        Gcra g = new Gcra(clock);
        Rate rate = new Rate(10, 2);
        assertThat(g.tryAcquire("k", rate)).isZero();
        clock.advance(3_600_000);
        assertThat(g.tryAcquire("k", rate)).isZero();
        assertThat(g.tryAcquire("k", rate)).isZero();
        assertThat(g.tryAcquire("k", rate)).isPositive();
    }

    @Test
    void requestsInFlightAreCountedPerKeyAndReleased() {
        InFlight f = new InFlight();
        assertThat(f.tryAcquire("k", 2)).isTrue();
        assertThat(f.tryAcquire("k", 2)).isTrue();
        assertThat(f.tryAcquire("k", 2)).isFalse();
        assertThat(f.tryAcquire("other", 2)).isTrue();
        f.release("k");
        assertThat(f.current("k")).isEqualTo(1);
        assertThat(f.tryAcquire("k", 2)).isTrue();
    }
}

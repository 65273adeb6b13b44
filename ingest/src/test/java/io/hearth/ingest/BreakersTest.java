package io.hearth.ingest;

import io.hearth.testing.ManualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hearth.catalog.ErrorCode;
import io.hearth.catalog.Source;
import io.hearth.compute.ingest.BreakerState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The circuit breakers over an in-memory store and a clock moved by hand. Settings: the rate is judged over about
 * 100 records once 20 are counted, and an open breaker probes after a minute; the source's threshold is 0.1.
 */
class BreakersTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long PROBE_AFTER = 60_000;
    private static final Source CLICKS = source("clicks", 0.1);

    private final InMemoryBreakerStore store = new InMemoryBreakerStore();
    private final ManualClock clock = new ManualClock(T0);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Breakers breakers = new Breakers(store, new Breakers.Settings(100, 20, Duration.ofMillis(PROBE_AFTER)),
        clock, meters);

    private static Source source(String name, double threshold) {
        return new Source(name, "user", "ts", null, null, Map.of(), Map.of(), threshold, null, null);
    }

    private BreakerState stored() {
        return store.peek(CLICKS.name());
    }

    /** Opens the breaker of {@code clicks} at the current time: 20 records, all rejected. */
    private void trip() {
        assertThat(breakers.admit(CLICKS, 20, 20)).isFalse();
        assertThat(stored().isOpen()).isTrue();
    }

    // ------------------------------------------------------------------ the window and min-records rules

    @Test
    void aBatchAtTheThresholdIsAdmittedSinceOnlyARateOverItTrips() {
        assertThat(breakers.admit(CLICKS, 50, 5)).isTrue();
        assertThat(stored()).usingRecursiveComparison().isEqualTo(BreakerState.initial());
    }

    @Test
    void noRateIsJudgedBeforeTheWindowHoldsMinRecords() {
        assertThat(breakers.admit(CLICKS, 10, 10)).as("10 records, all rejected").isTrue();
        assertThat(breakers.admit(CLICKS, 9, 9)).as("19 records, all rejected").isTrue();
        assertThat(stored().isOpen()).isFalse();
        assertThat(breakers.admit(CLICKS, 1, 0)).as("the 20th record makes the rate count").isFalse();
        assertThat(stored().isOpen()).isTrue();
    }

    @Test
    void theRateIsJudgedOverAboutTheLastWindowOfRecordsNotSinceStart() {
        assertThat(breakers.admit(CLICKS, 100, 0)).isTrue();
        assertThat(breakers.admit(CLICKS, 100, 0)).isTrue();
        // 11 of the last 100 + 100 records, once the oldest whole batch is dropped: 11 of 200 would be within.
        assertThat(breakers.admit(CLICKS, 100, 11)).isFalse();
        assertThat(stored().isOpen()).isTrue();
    }

    @Test
    void aBatchLargerThanTheWindowIsJudgedWhole() {
        assertThat(breakers.admit(CLICKS, 500, 50)).isTrue();
        assertThat(breakers.admit(CLICKS, 500, 51)).isFalse();
    }

    @Test
    void aThresholdOfZeroTripsOnTheFirstJudgedRejectAndOneNeverTrips() {
        Source strict = source("strict", 0);
        Source lax = source("lax", 1);
        assertThat(breakers.admit(strict, 100, 0)).isTrue();
        assertThat(breakers.admit(strict, 1, 1)).isFalse();
        assertThat(breakers.admit(lax, 100, 100)).isTrue();
        assertThat(breakers.current("lax").isOpen()).isFalse();
    }

    @Test
    void recordingAnAppliedBatchCountsItAndOpensTheBreakerWhenTheRateGoesOver() {
        breakers.record(CLICKS, 30, 2);
        assertThat(stored().isOpen()).isFalse();
        breakers.record(CLICKS, 10, 4);
        assertThat(stored().isOpen()).as("6 of 40 rejected").isTrue();
    }

    // ------------------------------------------------------------------ tripping

    @Test
    void trippingOpensTheBreakerWithItsReasonRateAndProbeTimeAndCountsATrip() {
        assertThat(breakers.admit(CLICKS, 30, 2)).isTrue();
        clock.advance(5_000);
        assertThat(breakers.admit(CLICKS, 10, 4)).isFalse();
        BreakerState b = stored();
        assertThat(b.state()).isEqualTo(BreakerState.State.OPEN);
        assertThat(b.sinceMillis()).isEqualTo(T0 + 5_000);
        assertThat(b.probeAtMillis()).isEqualTo(T0 + 5_000 + PROBE_AFTER);
        assertThat(b.rejectRate()).isEqualTo(6.0 / 40);
        assertThat(b.threshold()).isEqualTo(0.1);
        assertThat(b.trips()).isEqualTo(1);
        assertThat(b.generation()).isEqualTo(1);
        assertThat(b.reason()).as("the rate and the records it was judged on, the refused batch among them")
            .isEqualTo("reject rate 0.1500 over the last 40 records is over the threshold 0.1");
        assertThat(meters.get("hearth.breaker.trips").tag("source", "clicks").counter().count()).isEqualTo(1);
        assertThat(meters.get("hearth.breaker.open").tag("source", "clicks").gauge().value()).isEqualTo(1);
    }

    @Test
    void aBreakerAnotherGatewayOpenedKeepsItsFirstReasonAndTime() {
        trip();
        BreakerState first = stored();
        clock.advance(1_000);
        Breakers other = new Breakers(store, breakers.settings(), clock, new SimpleMeterRegistry());
        assertThat(other.admit(CLICKS, 20, 20)).isFalse();
        assertThat(stored()).isSameAs(first);
        assertThat(stored().trips()).isEqualTo(1);
    }

    @Test
    void aTripForgetsTheCountsBeforeIt() {
        breakers.current("clicks");
        assertThat(breakers.admit(CLICKS, 19, 2)).isTrue();
        assertThat(breakers.admit(CLICKS, 1, 1)).as("3 of 20").isFalse();
        // Counted while open (as HTTP's record does): had the 19 records before the trip stayed, 21 of 38.
        assertThat(breakers.admit(CLICKS, 19, 19)).isTrue();
    }

    @Test
    void eachTripIsCountedInTheStateAndByThisGateway() {
        trip();
        breakers.reset(CLICKS.name());
        trip();
        assertThat(stored().trips()).isEqualTo(2);
        assertThat(meters.get("hearth.breaker.trips").tag("source", "clicks").counter().count()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ admitting requests (HTTP)

    @Test
    void aClosedBreakerAdmitsRequestsNoneOfThemAProbe() {
        assertThat(breakers.admitRequest("clicks")).isFalse();
        breakers.admit(CLICKS, 50, 0);
        assertThat(breakers.admitRequest("clicks")).isFalse();
    }

    @Test
    void anOpenBreakerRefusesRequestsUntilTheProbeIsDueWithRetryAfterInWholeSeconds() {
        trip();
        clock.advance(10_500);
        BreakerOpenException e = catchThrowableOfType(BreakerOpenException.class, () -> breakers.admitRequest("clicks"));
        assertThat(e).isNotNull();
        assertThat(e.retryAfterSeconds()).as("49.5 s to the probe, rounded up").isEqualTo(50);
        assertThat(e.code()).isEqualTo(ErrorCode.BREAKER_OPEN);
        assertThat(e.field()).isEqualTo("source");
        assertThat(e.rule()).isEqualTo("breaker.open");
        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("the circuit breaker of source 'clicks' is open since 2023-11-14T22:13:20.000Z ("
            + stored().reason() + "); nothing is ingested until POST /v1/sources/clicks/breaker/reset or a probe after "
            + "2023-11-14T22:14:20.000Z");
    }

    @Test
    void retryAfterIsAtLeastOneSecondAndRoundsUp() {
        trip();
        clock.set(T0 + PROBE_AFTER - 1_001);
        assertThat(catchThrowableOfType(BreakerOpenException.class, () -> breakers.admitRequest("clicks"))
            .retryAfterSeconds()).isEqualTo(2);
        clock.set(T0 + PROBE_AFTER - 1_000);
        assertThat(catchThrowableOfType(BreakerOpenException.class, () -> breakers.admitRequest("clicks"))
            .retryAfterSeconds()).isEqualTo(1);
        clock.set(T0 + PROBE_AFTER - 1);
        assertThat(catchThrowableOfType(BreakerOpenException.class, () -> breakers.admitRequest("clicks"))
            .retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void theFirstRequestAtTheProbeTimeIsTheProbe() {
        trip();
        clock.set(T0 + PROBE_AFTER - 1);
        assertThatThrownBy(() -> breakers.admitRequest("clicks")).isInstanceOf(BreakerOpenException.class);
        clock.set(T0 + PROBE_AFTER);
        assertThat(breakers.admitRequest("clicks")).isTrue();
    }

    // ------------------------------------------------------------------ probes

    @Test
    void aProbeWithinTheThresholdClosesTheBreakerAndItsRecordsCount() {
        trip();
        clock.set(T0 + PROBE_AFTER + 7);
        assertThat(breakers.probe(CLICKS, 20, 2)).isTrue();
        BreakerState b = stored();
        assertThat(b.state()).isEqualTo(BreakerState.State.CLOSED);
        assertThat(b.reason()).isEqualTo("probe passed: 2 of 20 records rejected");
        assertThat(b.sinceMillis()).isEqualTo(T0 + PROBE_AFTER + 7);
        assertThat(b.generation()).isEqualTo(2);
        assertThat(b.trips()).isEqualTo(1);
        assertThat(meters.get("hearth.breaker.open").tag("source", "clicks").gauge().value()).isZero();
        // The probe's 2 of 20 are in the new window: one more reject makes 3 of 21.
        assertThat(breakers.admit(CLICKS, 1, 1)).isFalse();
    }

    @Test
    void aFailedProbeKeepsTheBreakerOpenAndTheNextProbeWaitsAnotherInterval() {
        trip();
        BreakerState opened = stored();
        long failedAt = T0 + PROBE_AFTER + 3_000;
        clock.set(failedAt);
        assertThat(breakers.probe(CLICKS, 20, 5)).isFalse();
        BreakerState b = stored();
        assertThat(b.state()).isEqualTo(BreakerState.State.OPEN);
        assertThat(b.sinceMillis()).as("open since the trip").isEqualTo(opened.sinceMillis());
        assertThat(b.reason()).isEqualTo(opened.reason());
        assertThat(b.rejectRate()).isEqualTo(0.25);
        assertThat(b.probeAtMillis()).isEqualTo(failedAt + PROBE_AFTER);
        assertThat(b.generation()).isEqualTo(opened.generation() + 1);
        assertThat(b.trips()).as("a failed probe is no new trip").isEqualTo(1);
    }

    @Test
    void afterAFailedProbeRequestsAreRefusedUntilTheNextProbeTime() {
        trip();
        long failedAt = T0 + PROBE_AFTER + 3_000;
        clock.set(failedAt);
        assertThat(breakers.admitRequest("clicks")).isTrue();
        assertThat(breakers.probe(CLICKS, 20, 20)).isFalse();
        clock.set(failedAt + PROBE_AFTER - 1);
        assertThat(catchThrowableOfType(BreakerOpenException.class, () -> breakers.admitRequest("clicks"))
            .retryAfterSeconds()).isEqualTo(1);
        clock.set(failedAt + PROBE_AFTER);
        assertThat(breakers.admitRequest("clicks")).isTrue();
    }

    @Test
    void aProbeWithNoRecordsFails() {
        trip();
        clock.set(T0 + PROBE_AFTER);
        assertThat(breakers.probe(CLICKS, 0, 0)).isFalse();
        assertThat(stored().isOpen()).isTrue();
    }

    @Test
    void aProbeAfterAnotherGatewayClosedTheBreakerChangesNothing() {
        trip();
        BreakerState reset = new Breakers(store, breakers.settings(), clock, new SimpleMeterRegistry()).reset("clicks");
        clock.set(T0 + PROBE_AFTER);
        breakers.probe(CLICKS, 20, 20);
        assertThat(stored()).isSameAs(reset);
    }

    // ------------------------------------------------------------------ reset

    @Test
    void aResetClosesTheBreakerAndStartsANewGeneration() {
        trip();
        clock.advance(2_000);
        BreakerState b = breakers.reset("clicks");
        assertThat(stored()).isSameAs(b);
        assertThat(b.state()).isEqualTo(BreakerState.State.CLOSED);
        assertThat(b.reason()).isEqualTo(Breakers.RESET_REASON);
        assertThat(b.sinceMillis()).isEqualTo(T0 + 2_000);
        assertThat(b.generation()).isEqualTo(2);
        assertThat(b.trips()).isEqualTo(1);
        assertThat(breakers.admitRequest("clicks")).isFalse();
    }

    @Test
    void aResetForgetsTheCountsOfTheGenerationBefore() {
        breakers.current("clicks");
        assertThat(breakers.admit(CLICKS, 19, 19)).isTrue();
        breakers.reset("clicks");
        assertThat(breakers.admit(CLICKS, 1, 1)).as("had 19 of 19 stayed, 20 of 20").isTrue();
    }

    @Test
    void aResetByAnotherGatewayIsForgottenHereOnTheNextRead() {
        breakers.current("clicks");
        assertThat(breakers.admit(CLICKS, 19, 19)).isTrue();
        new Breakers(store, breakers.settings(), clock, new SimpleMeterRegistry()).reset("clicks");
        breakers.current("clicks");
        assertThat(breakers.admit(CLICKS, 1, 1)).isTrue();
    }

    @Test
    void aReadOfTheSameGenerationKeepsTheCounts() {
        breakers.current("clicks");
        assertThat(breakers.admit(CLICKS, 19, 19)).isTrue();
        breakers.current("clicks");
        assertThat(breakers.admit(CLICKS, 1, 1)).isFalse();
    }

    // ------------------------------------------------------------------ the cached read on the request path

    @Test
    void theRequestPathReadsTheStoreAtMostOnceAQuarterSecond() {
        Breakers other = new Breakers(store, breakers.settings(), clock, new SimpleMeterRegistry());
        assertThat(breakers.current("clicks").isOpen()).isFalse();
        int reads = store.reads();
        assertThat(other.admit(CLICKS, 20, 20)).as("another gateway opens the breaker").isFalse();
        clock.advance(250);
        assertThat(breakers.cached("clicks").isOpen()).as("250 ms old: served from the cache").isFalse();
        assertThat(breakers.admitRequest("clicks")).isFalse();
        assertThat(store.reads()).isEqualTo(reads);
        clock.advance(1);
        assertThat(breakers.cached("clicks").isOpen()).as("251 ms old: read again").isTrue();
        assertThat(store.reads()).isEqualTo(reads + 1);
        assertThatThrownBy(() -> breakers.admitRequest("clicks")).isInstanceOf(BreakerOpenException.class);
        assertThat(store.reads()).isEqualTo(reads + 1);
    }

    @Test
    void aGatewaysFirstCachedReadOfASourceGoesToTheStore() {
        // Another gateway opened the breaker before this one ever read it.
        new Breakers(store, breakers.settings(), clock, new SimpleMeterRegistry()).admit(CLICKS, 20, 20);
        assertThat(breakers.cached("clicks").isOpen()).isTrue();
        assertThatThrownBy(() -> breakers.admitRequest("clicks")).isInstanceOf(BreakerOpenException.class);
    }

    @Test
    void aReadThatRacedATripDoesNotUndoItInTheCache() {
        // The Kafka consumer's thread reads CLOSED from the store; before it caches that, an HTTP request's records
        // trip the breaker here. The older read must not replace the newer state: requests would be admitted.
        Breakers[] here = new Breakers[1];
        boolean[] raced = {false};
        BreakerStore racing = new BreakerStore() {
            @Override
            public BreakerState breaker(String source) {
                BreakerState read = store.breaker(source);
                if (!raced[0]) {
                    raced[0] = true;
                    assertThat(here[0].admit(CLICKS, 20, 20)).as("the trip in between").isFalse();
                }
                return read;
            }

            @Override
            public BreakerState updateBreaker(String source, UnaryOperator<BreakerState> change) {
                return store.updateBreaker(source, change);
            }
        };
        here[0] = new Breakers(racing, breakers.settings(), clock, new SimpleMeterRegistry());
        assertThat(here[0].current("clicks").isOpen()).as("the newest state known").isTrue();
        assertThat(here[0].cached("clicks").isOpen()).isTrue();
        assertThatThrownBy(() -> here[0].admitRequest("clicks")).isInstanceOf(BreakerOpenException.class);
    }

    @Test
    void everyChangeThisGatewayMakesRefreshesItsCache() {
        breakers.current("clicks");
        int reads = store.reads();
        trip();
        assertThat(breakers.cached("clicks").isOpen()).isTrue();
        breakers.reset("clicks");
        assertThat(breakers.cached("clicks").isOpen()).isFalse();
        assertThat(store.reads()).as("no read needed").isEqualTo(reads);
    }

    // ------------------------------------------------------------------ settings

    @Test
    void settingsNeedOneToWindowMinRecordsAndAPositiveProbeInterval() {
        assertThatThrownBy(() -> new Breakers.Settings(100, 101, Duration.ofSeconds(1)))
            .hasMessage("breaker: need 1 <= min-records <= window, got 101 and 100");
        assertThatThrownBy(() -> new Breakers.Settings(100, 0, Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Breakers.Settings(0, 0, Duration.ofSeconds(1)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Breakers.Settings(100, 10, Duration.ZERO))
            .hasMessage("breaker: the probe interval must be positive, got PT0S");
        assertThat(Breakers.Settings.defaults()).isEqualTo(new Breakers.Settings(1000, 100, Duration.ofSeconds(60)));
    }
}

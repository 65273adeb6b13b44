package io.hearth.security.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.catalog.ErrorCode;
import io.hearth.security.keys.KeyFile;
import io.hearth.security.keys.Role;
import io.hearth.security.limits.Gcra;
import io.hearth.security.limits.InFlight;
import io.hearth.testing.ManualClock;
import io.hearth.security.testing.TestKeys;
import org.junit.jupiter.api.Test;

class GatekeeperTest {
    private final ManualClock clock = new ManualClock(0);
    private final InFlight inFlight = new InFlight();
    private final Gatekeeper gate = new Gatekeeper(RouteRules.hearth(), KeyFile.parse("k.yaml", TestKeys.file(
        TestKeys.key("slow", "hs_slow", "[reader]", "    rate: 1/s\n    max_concurrent: 1\n"))), new Gcra(clock), inFlight);

    private AccessDenied refusal(String method, String path, String header) {
        Gatekeeper.Decision d = gate.decide(method, path, header);
        assertThat(d).as(method + " " + path + " with " + header).isInstanceOf(Gatekeeper.Refused.class);
        return ((Gatekeeper.Refused) d).why();
    }

    private Gatekeeper.Admitted admitted(String method, String path, String header) {
        Gatekeeper.Decision d = gate.decide(method, path, header);
        assertThat(d).as(method + " " + path + " with " + header).isInstanceOf(Gatekeeper.Admitted.class);
        return (Gatekeeper.Admitted) d;
    }

    @Test
    void anOpenRouteLooksAtNoKey() {
        assertThat(gate.decide("GET", "/health", null)).isInstanceOf(Gatekeeper.Open.class);
        assertThat(gate.decide("GET", "/openapi.yaml", "Bearer nonsense")).isInstanceOf(Gatekeeper.Open.class);
    }

    @Test
    void noKeyAMalformedHeaderAndAnUnknownKeyAre401sNamingWhich() {
        assertThat(refusal("GET", "/metrics", null).rule()).isEqualTo("auth.missing");
        assertThat(refusal("GET", "/metrics", "Basic dXNlcjpwYXNz").rule()).isEqualTo("auth.malformed");
        assertThat(refusal("GET", "/metrics", "Bearer").rule()).isEqualTo("auth.malformed");
        assertThat(refusal("GET", "/metrics", "Bearer two words").rule()).isEqualTo("auth.malformed");
        AccessDenied unknown = refusal("GET", "/metrics", "Bearer hs_unknown");
        assertThat(unknown.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(unknown.rule()).isEqualTo("auth.unknown_key");
        assertThat(unknown.getMessage()).doesNotContain("hs_unknown");
    }

    @Test
    void theSchemeIsCaseInsensitiveAndSpacesAroundTheTokenAreIgnored() {
        admitted("GET", "/metrics", "bearer " + TestKeys.READER).release().run();
        admitted("GET", "/metrics", "BEARER   " + TestKeys.READER + " ").release().run();
    }

    @Test
    void aKeyWithoutTheRoleIsA403NamingTheRoleItLacks() {
        AccessDenied d = refusal("PUT", "/v1/registry", "Bearer " + TestKeys.WRITER);
        assertThat(d.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(d.missingRole()).contains(Role.ADMIN);
        assertThat(d.rule()).isEqualTo("role.admin");
        assertThat(d.getMessage()).isEqualTo("key 'ingest-all' has role writer; PUT /v1/registry needs role admin");
        assertThat(refusal("POST", "/v1/ingest/orders", "Bearer " + TestKeys.READER).missingRole()).contains(Role.WRITER);
    }

    @Test
    void aScopedWriterIngestsIntoItsSourcesOnlyAndStillReads() {
        admitted("POST", "/v1/ingest/profiles", "Bearer " + TestKeys.WRITER_OF_PROFILES).release().run();
        AccessDenied d = refusal("POST", "/v1/ingest/orders", "Bearer " + TestKeys.WRITER_OF_PROFILES);
        assertThat(d.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(d.missingScope()).contains("source:orders");
        assertThat(d.getMessage()).isEqualTo("key 'profiles-ingest' may ingest into sources profiles, not 'orders'");
        admitted("GET", "/v1/sources/orders", "Bearer " + TestKeys.WRITER_OF_PROFILES).release().run();
        admitted("POST", "/v1/ingest/orders", "Bearer " + TestKeys.WRITER).release().run();
        admitted("POST", "/v1/ingest/orders", "Bearer " + TestKeys.ADMIN).release().run();
    }

    @Test
    void aRouteNoRuleCoversNeedsAnAdmin() {
        assertThat(refusal("DELETE", "/v1/registry", "Bearer " + TestKeys.WRITER).missingRole()).contains(Role.ADMIN);
        assertThat(admitted("DELETE", "/v1/registry", "Bearer " + TestKeys.ADMIN).rule()).isEmpty();
    }

    @Test
    void aKeyOverItsRateOrItsRequestsInFlightIsA429SayingWhenToRetry() {
        Gatekeeper.Admitted first = admitted("GET", "/v1/sources", "Bearer hs_slow");
        AccessDenied rate = refusal("GET", "/v1/sources", "Bearer hs_slow");
        assertThat(rate.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(rate.rule()).isEqualTo("rate.requests");
        assertThat(rate.retryAfterSeconds()).hasValue(1);
        clock.advance(1000);
        AccessDenied busy = refusal("GET", "/v1/sources", "Bearer hs_slow");
        assertThat(busy.rule()).as("the first is still in flight").isEqualTo("rate.concurrent");
        first.release().run();
        clock.advance(1000);
        admitted("GET", "/v1/sources", "Bearer hs_slow").release().run();
        assertThat(inFlight.current("slow")).isZero();
    }
}

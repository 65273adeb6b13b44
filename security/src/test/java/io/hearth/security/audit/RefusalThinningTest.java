package io.hearth.security.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.testing.ManualClock;
import org.junit.jupiter.api.Test;

class RefusalThinningTest {
    @Test
    void aFloodFromOneAddressIsRecordedAtOneASecondWithTheCountLeftOut() {
        ManualClock clock = new ManualClock(0);
        RefusalThinning t = new RefusalThinning(clock);
        for (int i = 0; i < 20; i++) {
            assertThat(t.record("10.0.0.1")).as("the burst").isZero();
        }
        for (int i = 0; i < 50; i++) {
            assertThat(t.record("10.0.0.1")).isEqualTo(-1);
        }
        assertThat(t.record("10.0.0.2")).as("another address is not thinned").isZero();
        clock.advance(1000);
        assertThat(t.record("10.0.0.1")).isEqualTo(50);
        assertThat(t.record("10.0.0.1")).isEqualTo(-1);
    }

    @Test
    void anEntryRoundTripsThroughItsJsonLine() {
        AuditEntry e = new AuditEntry(1_767_225_600_123L, "ops", "registry.apply", "PUT", "/v1/registry", "127.0.0.1", "gw-1",
            200, "version 3");
        assertThat(e.toJson().toString()).isEqualTo("{\"at\":\"2026-01-01T00:00:00.123Z\",\"actor\":\"ops\","
            + "\"action\":\"registry.apply\",\"method\":\"PUT\",\"path\":\"/v1/registry\",\"from\":\"127.0.0.1\","
            + "\"gateway\":\"gw-1\",\"status\":200,\"outcome\":\"ok\",\"detail\":\"version 3\"}");
        assertThat(AuditEntry.fromJson(e.toJson().toString())).isEqualTo(e);
        assertThat(new AuditEntry(0, "-", "auth.failed", "GET", "/", "x", "g", 401, "").outcome()).isEqualTo("denied");
        assertThat(new AuditEntry(0, "ops", "compaction", "POST", "/", "x", "g", 503, "").outcome()).isEqualTo("failed");
    }
}

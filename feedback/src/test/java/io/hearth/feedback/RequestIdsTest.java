package io.hearth.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.HearthException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void aGeneratedIdIsAUuidVersion7CarryingTheClocksMilliseconds() {
        long ms = 1_767_225_600_123L;
        String id = RequestIds.generate(Clock.fixed(Instant.ofEpochMilli(ms), ZoneOffset.UTC));
        UUID u = UUID.fromString(id);
        assertThat(id).hasSize(36).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(u.version()).isEqualTo(7);
        assertThat(u.variant()).isEqualTo(2);
        assertThat(u.getMostSignificantBits() >>> 16).isEqualTo(ms);
        assertThat(RequestIds.valid(id)).isTrue();
    }

    @Test
    void generatedIdsAreUniqueAndSortByTime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(RequestIds.generate(Clock.systemUTC()))).isTrue();
        }
        String early = RequestIds.generate(Clock.fixed(Instant.ofEpochMilli(1000), ZoneOffset.UTC));
        String late = RequestIds.generate(Clock.fixed(Instant.ofEpochMilli(2000), ZoneOffset.UTC));
        assertThat(early).isLessThan(late);
    }

    @Test
    void callersIdsOfTheUsualShapesAreTaken() {
        for (String id : new String[] {"req-1", "b3f1c2d4e5f6", "0190a5c2-0000-7000-8000-000000000000",
            "trace:1234.5_6~7", "x".repeat(128)}) {
            assertThat(RequestIds.check(id, "X-Request-Id")).isEqualTo(id);
        }
    }

    @Test
    void anIdThatCannotTravelInAPathIsRefusedNamingTheFieldAndTheRule() {
        for (String id : new String[] {"", "a b", "a/b", "x".repeat(129), "ü", "a?b"}) {
            assertThatThrownBy(() -> RequestIds.check(id, "X-Request-Id")).isInstanceOfSatisfying(HearthException.class,
                e -> {
                    assertThat(e.field()).isEqualTo("X-Request-Id");
                    assertThat(e.rule()).isEqualTo("request_id.syntax");
                });
        }
    }
}
